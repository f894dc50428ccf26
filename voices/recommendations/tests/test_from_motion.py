"""A facilitator writes a recommendation from an adopted motion; the motion page links to it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from voices.councils.decision_models import Motion, MotionEvidence
from voices.councils.models import Council
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    facilitator_of,
)
from voices.directory.tests.factories import OrganisationFactory, text
from voices.recommendations import services
from voices.recommendations.models import Recommendation
from voices.recommendations.tests.factories import domain


def _motion(council: Council, *, status=Motion.Status.ADOPTED) -> Motion:
    meeting = MeetingFactory(council=council, starts_at=timezone.now() - datetime.timedelta(days=3))
    item = AgendaItemFactory(meeting=meeting, kind="decision")
    motion = Motion.objects.create(
        agenda_item=item, title="Night buses", text="We ask for night buses.", language="en",
        status=status, decided_at=timezone.now(),
    )  # fmt: skip
    MotionEvidence.objects.create(motion=motion, label="Survey", url="https://example.org/s")
    return motion


def _create(actor, council, motion):
    return services.recommendation_create(
        actor=actor, council=council, title=text("Night buses"), text=text("Please."),
        addressees=[OrganisationFactory(country=council.country)], domain=domain(), motion=motion,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_recommendation_drafted_from_a_motion_links_it_and_takes_its_evidence():
    motion = _motion(council := _motion_council())
    recommendation = _create(facilitator_of(council), council, motion)

    assert recommendation.motion == motion
    assert list(recommendation.evidence.values_list("label", flat=True)) == ["Survey"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Motion.Status.PROPOSED, Motion.Status.REJECTED])
def test_only_an_adopted_motion_of_the_same_council_can_be_the_source(status):
    council = _motion_council()
    facilitator = facilitator_of(council)
    with pytest.raises(ValidationError) as refused:
        _create(facilitator, council, _motion(council, status=status))
    assert refused.value.error_dict["motion"][0].code == "motion_not_adopted"
    other = _motion(_motion_council())
    with pytest.raises(ValidationError):
        _create(facilitator, council, other)
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_motion_gives_one_recommendation_only():
    council = _motion_council()
    facilitator = facilitator_of(council)
    motion = _motion(council)
    _create(facilitator, council, motion)
    with pytest.raises(ValidationError) as refused:
        _create(facilitator, council, motion)
    assert refused.value.error_dict["motion"][0].code == "motion_taken"
    assert Recommendation.objects.count() == 1


@pytest.mark.django_db
def test_the_motion_page_offers_to_write_the_recommendation_then_links_to_it(client):
    council = _motion_council()
    facilitator = facilitator_of(council)
    motion = _motion(council)
    client.force_login(facilitator)
    page = client.get(reverse("councils:motion_detail", kwargs={"motion_id": motion.pk}))
    create_url = reverse("recommendations:create", kwargs={"slug": council.slug})
    assert f"{create_url}?motion={motion.pk}" in page.content.decode()

    form = client.get(f"{create_url}?motion={motion.pk}")
    assert f'<option value="{motion.pk}" selected>' in form.content.decode()

    recommendation = _create(facilitator, council, motion)
    page = client.get(reverse("councils:motion_detail", kwargs={"motion_id": motion.pk}))
    # A draft is the council's own business; its facilitator is led to it.
    assert recommendation.get_absolute_url() in page.content.decode()
    client.logout()
    page = client.get(reverse("councils:motion_detail", kwargs={"motion_id": motion.pk}))
    assert recommendation.get_absolute_url() not in page.content.decode()


def _motion_council() -> Council:
    return CouncilFactory()
