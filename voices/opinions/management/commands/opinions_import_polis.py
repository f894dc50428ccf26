"""manage.py opinions_import_polis FOLDER --consultation ID [--replace] [--no-analysis]"""

from django.core.management.base import BaseCommand, CommandError

from voices.consultations.models import Consultation
from voices.opinions.exports import PolisImportError, polis_import


class Command(BaseCommand):
    help = (
        "Import a Pol.is export folder (comments.csv, votes.csv or participants-votes.csv, "
        "summary.csv) into a consultation's opinion map: all of it or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The folder of the Pol.is export.")
        parser.add_argument(
            "--consultation", type=int, required=True, metavar="ID",
            help="The consultation whose map receives the conversation (created if missing).",
        )  # fmt: skip
        parser.add_argument(
            "--replace", action="store_true",
            help="Delete the map's statements, votes and analyses first.",
        )  # fmt: skip
        parser.add_argument(
            "--no-analysis", action="store_true",
            help="Do not analyse now (the worker's periodic task will).",
        )  # fmt: skip
        parser.add_argument(
            "--language", default=None,
            help="The statements' language (default: the consultation's first language).",
        )  # fmt: skip

    def handle(self, *args, folder, consultation, replace, no_analysis, language, **options):
        found = Consultation.objects.filter(pk=consultation).first()
        if found is None:
            raise CommandError(f"No consultation {consultation}.")
        try:
            summary = polis_import(
                consultation=found, folder=folder, replace=replace,
                analyse=not no_analysis, language=language,
            )  # fmt: skip
        except PolisImportError as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {m}" for m in exc.messages)
            ) from exc
        made = "a new opinion map" if summary.created_map else "its opinion map"
        self.stdout.write(f"Imported into {made} of consultation {found.pk}:")
        self.stdout.write(f"  statements:   {summary.statements}")
        self.stdout.write(f"  participants: {summary.participants}")
        self.stdout.write(f"  votes:        {summary.votes} (from {summary.votes_from})")
        if summary.groups is None:
            self.stdout.write("  groups:       not analysed yet")
        else:
            self.stdout.write(f"  groups:       {summary.groups}")
