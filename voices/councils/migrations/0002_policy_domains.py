from django.db import migrations

DOMAINS = [
    ("education", {"en": "Education", "fr": "Éducation", "de": "Bildung", "it": "Istruzione",
                   "el": "Εκπαίδευση", "bg": "Образование", "hu": "Oktatás", "ro": "Educație",
                   "ar": "التعليم", "fa": "آموزش", "uk": "Освіта"}),
    ("employment", {"en": "Employment", "fr": "Emploi", "de": "Arbeit", "it": "Lavoro",
                    "el": "Απασχόληση", "bg": "Заетост", "hu": "Foglalkoztatás", "ro": "Ocupare",
                    "ar": "العمل", "fa": "اشتغال", "uk": "Зайнятість"}),
    ("housing", {"en": "Housing", "fr": "Logement", "de": "Wohnen", "it": "Casa",
                 "el": "Στέγαση", "bg": "Жилище", "hu": "Lakhatás", "ro": "Locuințe",
                 "ar": "السكن", "fa": "مسکن", "uk": "Житло"}),
    ("health", {"en": "Health", "fr": "Santé", "de": "Gesundheit", "it": "Salute",
                "el": "Υγεία", "bg": "Здраве", "hu": "Egészség", "ro": "Sănătate",
                "ar": "الصحة", "fa": "سلامت", "uk": "Здоров’я"}),
    ("other", {"en": "Other", "fr": "Autre", "de": "Anderes", "it": "Altro",
               "el": "Άλλο", "bg": "Друго", "hu": "Egyéb", "ro": "Altele",
               "ar": "أخرى", "fa": "سایر", "uk": "Інше"}),
]  # fmt: skip


def add_domains(apps, schema_editor):
    PolicyDomain = apps.get_model("councils", "PolicyDomain")
    for position, (code, names) in enumerate(DOMAINS):
        PolicyDomain.objects.update_or_create(
            code=code, defaults={"name": {"orig": "en", **names}, "position": position}
        )


def remove_domains(apps, schema_editor):
    apps.get_model("councils", "PolicyDomain").objects.filter(
        code__in=[code for code, _names in DOMAINS], councils__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(add_domains, remove_domains)]
