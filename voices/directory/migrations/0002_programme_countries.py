from django.db import migrations

PROGRAMME_COUNTRIES = {
    "AT": "de", "BG": "bg", "FR": "fr", "GR": "el", "HU": "hu", "IT": "it", "RO": "ro",
}  # fmt: skip


def add_countries(apps, schema_editor):
    Country = apps.get_model("directory", "Country")
    for code, language in PROGRAMME_COUNTRIES.items():
        Country.objects.update_or_create(
            code=code, defaults={"is_programme": True, "language": language}
        )


def remove_countries(apps, schema_editor):
    Country = apps.get_model("directory", "Country")
    Country.objects.filter(code__in=PROGRAMME_COUNTRIES, organisations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(add_countries, remove_countries)]
