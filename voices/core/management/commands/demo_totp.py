import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo staff account (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
        from allauth.mfa.utils import decrypt

        from voices.accounts.demo import DEMO_TOTP_SECRET, DEMO_USERNAMES

        if username not in DEMO_USERNAMES:
            raise CommandError("Only demo accounts have a known second factor.")
        user = get_user_model().objects.filter(username=username).first()
        authenticator = Authenticator.objects.filter(user=user, type="totp").first()
        if authenticator is None or decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError("This account has its own authenticator; its code is not known.")
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30)))
