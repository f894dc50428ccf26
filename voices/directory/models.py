from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from voices.core.models import TimeStampedModel
from voices.core.translation import TranslatableField

# The seven countries of the programme, with the language demo texts are written in.
PROGRAMME_COUNTRIES = {
    "AT": "de", "BG": "bg", "FR": "fr", "GR": "el", "HU": "hu", "IT": "it", "RO": "ro",
}  # fmt: skip


class Country(models.Model):
    code = CountryField(_("country"), unique=True)
    is_programme = models.BooleanField(_("programme country"), default=False)
    language = models.CharField(_("main language"), max_length=10, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return str(self.code.name)

    def get_absolute_url(self) -> str:
        return reverse("directory:country_detail", kwargs={"code": self.code.code.lower()})

    @property
    def name(self) -> str:
        return str(self.code.name)


class Region(models.Model):
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="regions")
    name = TranslatableField(_("name"), max_length=150)
    code = models.SlugField(_("code"), max_length=20)

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="region_code_per_country")
        ]

    def __str__(self) -> str:
        return str(self.name)


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="municipalities")
    name = TranslatableField(_("name"), max_length=150)
    code = models.SlugField(_("code"), max_length=20)

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="municipality_code_per_region")
        ]

    def __str__(self) -> str:
        return str(self.name)


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        REGIONAL_AUTHORITY = "regional_authority", _("Regional authority")
        NATIONAL_AUTHORITY = "national_authority", _("National authority")
        NGO = "ngo", _("NGO")
        UNIVERSITY = "university", _("University")
        MIGRANT_ASSOCIATION = "migrant_association", _("Migrant association")
        EU_BODY = "eu_body", _("EU body")

    AUTHORITY_KINDS = (Kind.LOCAL_AUTHORITY, Kind.REGIONAL_AUTHORITY, Kind.NATIONAL_AUTHORITY)

    slug = models.SlugField(_("short web name"), max_length=80, unique=True)
    name = TranslatableField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text=_("Leave empty only for European bodies."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    website = models.URLField(_("website"), blank=True)
    description = TranslatableField(_("description"), blank=True, multiline=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country__code", "slug"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__isnull=False) | models.Q(kind="eu_body"),
                name="organisation_country_unless_eu_body",
            )
        ]

    def __str__(self) -> str:
        return str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", kwargs={"slug": self.slug})

    @property
    def is_authority(self) -> bool:
        return self.kind in self.AUTHORITY_KINDS

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.country_id is None and self.kind != self.Kind.EU_BODY:
            errors["country"] = _("Choose the country the organisation works in.")
        if self.region_id and self.region.country_id != self.country_id:
            errors["region"] = _("This region is not in the chosen country.")
        if self.municipality_id and self.municipality.region_id != self.region_id:
            errors["municipality"] = _("This municipality is not in the chosen region.")
        if errors:
            raise ValidationError(errors)
