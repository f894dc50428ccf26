"""Recommendation services: the council's and the authorities' steps, the timeline, who may act."""

import datetime
from typing import NamedTuple

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant, with_second_factor
from voices.core.models import Notification
from voices.councils.decision_models import Motion, MotionEvidence
from voices.councils.models import Membership
from voices.councils.tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
    facilitator_of,
)
from voices.directory.models import Organisation
from voices.directory.tests.factories import OrganisationFactory, text
from voices.recommendations import selectors, services
from voices.recommendations.models import (
    Addressee,
    AuthorityResponse,
    Event,
    Evidence,
    Follower,
    Outcome,
    ProgressUpdate,
    Recommendation,
    State,
)
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    domain,
    recommendation_sent,
)

NOT_ALLOWED = "transition_not_allowed"


class Refused(NamedTuple):
    """An expected refusal, with its code."""

    code: str


def code_of(excinfo) -> str | None:
    return excinfo.value.code


def fields_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


@pytest.fixture
def council(db):
    return CouncilFactory(slug="graz", time_zone="Europe/Vienna", response_days=60)


@pytest.fixture
def other_authority(db):
    return OrganisationFactory(slug="city-of-linz")


@pytest.fixture
def other_officer(other_authority):
    """An officer, but of an authority the recommendation is not addressed to."""
    user = UserFactory(username="linz-officer")
    grant(user, Role.OFFICER, other_authority)
    return with_second_factor(user)


def draft(council, authority, **fields) -> Recommendation:
    return RecommendationFactory(council=council, addressees=[authority], **fields)


def sent(coordinator, council, authority) -> Recommendation:
    return recommendation_sent(actor=coordinator, council=council, addressees=[authority])


def fresh(addressee: Addressee) -> Addressee:
    """The track as stored: services work on their own locked copy."""
    return Addressee.objects.select_related("recommendation").get(pk=addressee.pk)


def save_draft(officer, track, outcome=Outcome.ACCEPTED) -> AuthorityResponse:
    return services.response_save_draft(
        actor=officer, addressee=track, outcome=outcome, reasons="We will do it.", language="en"
    )


def answer(officer, track, outcome=Outcome.ACCEPTED) -> None:
    save_draft(officer, track, outcome)
    services.response_publish(actor=officer, addressee=track)


def report(officer, track, percent=40) -> ProgressUpdate:
    return services.progress_report(
        actor=officer, addressee=track, percent=percent, note="Budget approved.", language="en"
    )


def close(officer, track, *, implemented: bool, note="Done as asked.") -> Addressee:
    return services.addressee_close(
        actor=officer, addressee=track, implemented=implemented, note=note
    )


def withdraw(actor, recommendation) -> Recommendation:
    return services.recommendation_withdraw(
        actor=actor, recommendation=recommendation, reason="The city already did it."
    )


# The council's steps


def _rec_in(state: str, *, coordinator, officer, council, authority) -> Recommendation:
    """A recommendation brought to `state` through the services, as in real life."""
    if state == State.DRAFT:
        return draft(council, authority)
    if state == State.ADOPTED:
        return services.recommendation_adopt(
            actor=coordinator, recommendation=draft(council, authority)
        )
    if state == State.WITHDRAWN:
        return withdraw(coordinator, draft(council, authority))
    recommendation = sent(coordinator, council, authority)
    track = recommendation.addressees.get()
    if state in (State.ANSWERED, State.NOT_IMPLEMENTED):
        answer(officer, track)
    if state == State.NOT_IMPLEMENTED:
        close(officer, fresh(track), implemented=False)
    recommendation.refresh_from_db()
    assert recommendation.state == state
    return recommendation


COUNCIL_ACTIONS = {
    "adopt": lambda actor, r: services.recommendation_adopt(actor=actor, recommendation=r),
    "send": lambda actor, r: services.recommendation_send(actor=actor, recommendation=r),
    "withdraw": withdraw,
}

# (state, action) → the state it leads to, or None when refused. Written out by hand rather than
# read from services.ALLOWED, so that a wrong entry in that table shows here.
COUNCIL_STEPS = [
    (State.DRAFT, "adopt", State.ADOPTED),
    (State.DRAFT, "send", None),  # a draft must be adopted before it is sent
    (State.DRAFT, "withdraw", State.WITHDRAWN),
    (State.ADOPTED, "adopt", None),  # adopting twice
    (State.ADOPTED, "send", State.SENT),
    (State.ADOPTED, "withdraw", State.WITHDRAWN),
    (State.SENT, "adopt", None),
    (State.SENT, "send", None),  # sending twice would move the deadline
    (State.SENT, "withdraw", State.WITHDRAWN),
    (State.ANSWERED, "adopt", None),
    (State.ANSWERED, "send", None),
    (State.ANSWERED, "withdraw", State.WITHDRAWN),
    (State.NOT_IMPLEMENTED, "adopt", None),
    (State.NOT_IMPLEMENTED, "send", None),
    (State.NOT_IMPLEMENTED, "withdraw", None),  # finished: nothing left to withdraw
    (State.WITHDRAWN, "adopt", None),
    (State.WITHDRAWN, "send", None),
    (State.WITHDRAWN, "withdraw", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "action", "expected"), COUNCIL_STEPS)
def test_a_recommendation_takes_only_the_steps_its_state_allows(
    coordinator, officer, council, authority, state, action, expected
):
    recommendation = _rec_in(
        state, coordinator=coordinator, officer=officer, council=council, authority=authority
    )
    events = Event.objects.count()

    if expected is None:
        with pytest.raises(ValidationError) as excinfo:
            COUNCIL_ACTIONS[action](coordinator, recommendation)
        assert code_of(excinfo) == NOT_ALLOWED
        recommendation.refresh_from_db()
        assert recommendation.state == state
        assert Event.objects.count() == events  # a refused step leaves no trace in the timeline
    else:
        COUNCIL_ACTIONS[action](coordinator, recommendation)
        recommendation.refresh_from_db()
        assert recommendation.state == expected
        assert Event.objects.filter(recommendation=recommendation, to_state=expected).exists()


@pytest.mark.django_db
def test_sending_needs_a_policy_area(coordinator, council, authority):
    recommendation = services.recommendation_adopt(
        actor=coordinator, recommendation=draft(council, authority, domain=None)
    )

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_send(actor=coordinator, recommendation=recommendation)

    assert code_of(excinfo) == "no_domain"
    recommendation.refresh_from_db()
    assert (recommendation.state, recommendation.sent_at) == (State.ADOPTED, None)


@pytest.mark.django_db
def test_sending_needs_at_least_one_authority(coordinator, council, authority):
    recommendation = services.recommendation_adopt(
        actor=coordinator, recommendation=draft(council, authority)
    )
    recommendation.addressees.all().delete()

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_send(actor=coordinator, recommendation=recommendation)

    assert code_of(excinfo) == "no_addressee"


@pytest.mark.django_db
def test_sending_sets_the_deadline_and_starts_every_authoritys_track(
    coordinator, council, authority, other_authority
):
    recommendation = RecommendationFactory(council=council, addressees=[authority, other_authority])
    services.recommendation_adopt(actor=coordinator, recommendation=recommendation)
    before = timezone.now()

    recommendation = services.recommendation_send(actor=coordinator, recommendation=recommendation)

    assert before <= recommendation.sent_at <= timezone.now()
    assert recommendation.due_on is not None and recommendation.due_at is not None
    assert set(recommendation.addressees.values_list("state", flat=True)) == {State.SENT}
    assert recommendation.is_public


@pytest.mark.django_db
def test_withdrawing_needs_a_reason(coordinator, council, authority):
    recommendation = sent(coordinator, council, authority)

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_withdraw(
            actor=coordinator, recommendation=recommendation, reason="   "
        )

    assert fields_of(excinfo) == {"reason"}
    recommendation.refresh_from_db()
    assert recommendation.state == State.SENT


@pytest.mark.django_db
def test_withdrawing_keeps_the_reason_on_the_recommendation_and_in_the_timeline(
    coordinator, council, authority
):
    recommendation = sent(coordinator, council, authority)

    services.recommendation_withdraw(
        actor=coordinator, recommendation=recommendation, reason="  Already done.  "
    )

    recommendation.refresh_from_db()
    assert recommendation.withdrawn_reason == "Already done."
    event = recommendation.events.get(to_state=State.WITHDRAWN)
    assert (event.from_state, event.note) == (State.SENT, "Already done.")
    assert recommendation.is_public  # a withdrawn one stays on the public tracker


# Drafting and editing


@pytest.mark.django_db
def test_a_facilitator_drafts_a_recommendation_with_its_authorities_and_evidence(
    council, authority
):
    facilitator = facilitator_of(council)

    recommendation = services.recommendation_create(
        actor=facilitator,
        council=council,
        title=text("Longer library hours"),
        text=text("Open the libraries until 22:00."),
        addressees=[authority],
        domain=domain(),
        evidence=[("Survey 2025", "https://example.org/survey")],
    )

    assert recommendation.state == State.DRAFT
    assert recommendation.created_by == facilitator
    assert list(recommendation.addressees.values_list("organisation", "state")) == [
        (authority.pk, "")
    ]
    assert list(recommendation.evidence.values_list("label", flat=True)) == ["Survey 2025"]
    event = recommendation.events.get()
    assert (event.from_state, event.to_state, event.actor) == ("", State.DRAFT, facilitator)


@pytest.mark.django_db
def test_a_recommendation_needs_at_least_one_authority(coordinator, council):
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_create(
            actor=coordinator, council=council, title=text("T"), text=text("X"), addressees=[]
        )

    assert fields_of(excinfo) == {"addressees"}
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_recommendation_is_addressed_to_public_authorities_only(coordinator, council):
    ngo = OrganisationFactory(kind=Organisation.Kind.NGO)

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_create(
            actor=coordinator, council=council, title=text("T"), text=text("X"), addressees=[ngo]
        )

    assert fields_of(excinfo) == {"addressees"}
    assert not Recommendation.objects.exists()


def _refuse_without_reason(coordinator, officer, council, authority):
    services.recommendation_withdraw(
        actor=coordinator, recommendation=draft(council, authority), reason=" "
    )


def _refuse_closing_without_note(coordinator, officer, council, authority):
    track = sent(coordinator, council, authority).addressees.get()
    answer(officer, track)
    close(officer, fresh(track), implemented=False, note="")


def _refuse_no_addressee(coordinator, officer, council, authority):
    services.recommendation_create(
        actor=coordinator, council=council, title=text("T"), text=text("X"), addressees=[]
    )


def _refuse_not_authority(coordinator, officer, council, authority):
    services.recommendation_create(
        actor=coordinator, council=council, title=text("T"), text=text("X"),
        addressees=[OrganisationFactory(kind=Organisation.Kind.NGO)],
    )  # fmt: skip


def _refuse_past_override(coordinator, officer, council, authority):
    services.recommendation_create(
        actor=coordinator, council=council, title=text("T"), text=text("X"),
        addressees=[authority], due_on_override=timezone.now().date() - datetime.timedelta(days=2),
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("refusal", "field", "code"),
    [
        (_refuse_without_reason, "reason", "reason_required"),
        (_refuse_closing_without_note, "note", "reason_required"),
        (_refuse_no_addressee, "addressees", "no_addressee"),
        (_refuse_not_authority, "addressees", "not_authority"),
        (_refuse_past_override, "due_on_override", "due_in_past"),
    ],
)
def test_a_refusal_about_one_field_keeps_its_code_on_that_field(
    coordinator, officer, council, authority, refusal, field, code
):
    # Forms and the API tell refusals apart by their code, like every other refusal here.
    with pytest.raises(ValidationError) as excinfo:
        refusal(coordinator, officer, council, authority)

    assert [e.code for e in excinfo.value.error_dict[field]] == [code]


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.DRAFT, State.ADOPTED])
def test_a_recommendation_not_yet_sent_can_be_edited(
    coordinator, officer, council, authority, other_authority, state
):
    recommendation = _rec_in(
        state, coordinator=coordinator, officer=officer, council=council, authority=authority
    )

    services.recommendation_update(
        actor=coordinator,
        recommendation=recommendation,
        title=text("A better title"),
        addressees=[other_authority],
    )

    recommendation.refresh_from_db()
    assert str(recommendation.title) == "A better title"
    assert [a.organisation for a in recommendation.addressees.all()] == [other_authority]


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.SENT, State.ANSWERED, State.WITHDRAWN])
def test_a_sent_or_withdrawn_recommendation_cannot_be_edited(
    coordinator, officer, council, authority, state
):
    recommendation = _rec_in(
        state, coordinator=coordinator, officer=officer, council=council, authority=authority
    )
    title = str(recommendation.title)

    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_update(
            actor=coordinator, recommendation=recommendation, title=text("Changed afterwards")
        )

    assert code_of(excinfo) == "not_editable"
    recommendation.refresh_from_db()
    assert str(recommendation.title) == title


@pytest.mark.django_db
def test_only_the_drafting_fields_can_be_edited(coordinator, council, authority):
    recommendation = draft(council, authority)

    # The state and the deadline move only through the steps, never by editing.
    with pytest.raises(ValueError, match="state"):
        services.recommendation_update(
            actor=coordinator, recommendation=recommendation, state=State.SENT
        )


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.DRAFT, State.ADOPTED])
def test_evidence_can_be_added_and_removed_while_the_recommendation_is_editable(
    coordinator, officer, council, authority, state
):
    recommendation = _rec_in(
        state, coordinator=coordinator, officer=officer, council=council, authority=authority
    )

    item = services.evidence_add(
        actor=coordinator, recommendation=recommendation, label="Study", url="https://e.org/s"
    )
    assert list(recommendation.evidence.all()) == [item]

    services.evidence_remove(actor=coordinator, evidence=item)
    assert not recommendation.evidence.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.SENT, State.WITHDRAWN])
def test_evidence_cannot_be_added_or_removed_once_sent_or_withdrawn(
    coordinator, officer, council, authority, state
):
    recommendation = _rec_in(
        state, coordinator=coordinator, officer=officer, council=council, authority=authority
    )
    # Evidence written while it was still a draft.
    item = Evidence.objects.create(
        recommendation=recommendation, label="Survey", url="https://e.org/1"
    )

    with pytest.raises(ValidationError) as added:
        services.evidence_add(
            actor=coordinator, recommendation=recommendation, label="Late", url="https://e.org/2"
        )
    with pytest.raises(ValidationError) as removed:
        services.evidence_remove(actor=coordinator, evidence=item)

    assert code_of(added) == code_of(removed) == "not_editable"
    assert list(recommendation.evidence.all()) == [item]


@pytest.mark.django_db
def test_evidence_needs_a_valid_link(coordinator, council, authority):
    recommendation = draft(council, authority)

    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=coordinator, recommendation=recommendation, label="Study", url="not a link"
        )

    assert not recommendation.evidence.exists()


# The authorities' steps


def _track_in(state: str, *, coordinator, officer, council, authority) -> Addressee:
    """One authority's track brought to `state` through the services.

    "rejected" is an answered track whose answer rejects the recommendation; "withdrawn-…" is
    a track in that state whose recommendation the council then withdrew.
    """
    withdrawn = state.startswith("withdrawn-")
    state = state.removeprefix("withdrawn-")
    recommendation = sent(coordinator, council, authority)
    track = recommendation.addressees.get()
    if state == State.ACKNOWLEDGED:
        services.addressee_acknowledge(actor=officer, addressee=track)
    if state == "rejected":
        answer(officer, track, Outcome.REJECTED)
    if state in (
        State.ANSWERED,
        State.IN_IMPLEMENTATION,
        State.IMPLEMENTED,
        State.NOT_IMPLEMENTED,
    ):
        answer(officer, track)
    if state == State.IN_IMPLEMENTATION:
        report(officer, fresh(track))
    if state in (State.IMPLEMENTED, State.NOT_IMPLEMENTED):
        close(officer, fresh(track), implemented=state == State.IMPLEMENTED)
    if withdrawn:
        withdraw(coordinator, recommendation)
    return fresh(track)


TRACK_ACTIONS = {
    "acknowledge": lambda officer, t: services.addressee_acknowledge(actor=officer, addressee=t),
    "answer": answer,
    "progress": report,
    "close implemented": lambda officer, t: close(officer, t, implemented=True),
    "close not implemented": lambda officer, t: close(officer, t, implemented=False),
}

# (track state, action) → the state it leads to, or the code it is refused with. By hand, so a
# wrong entry in services.TRACK_ALLOWED shows here.
TRACK_STEPS = [
    (State.SENT, "acknowledge", State.ACKNOWLEDGED),
    (State.SENT, "answer", State.ANSWERED),  # acknowledging first is optional
    (State.SENT, "progress", Refused("not_in_implementation")),
    (State.SENT, "close implemented", Refused(NOT_ALLOWED)),
    (State.SENT, "close not implemented", Refused(NOT_ALLOWED)),
    (State.ACKNOWLEDGED, "acknowledge", Refused(NOT_ALLOWED)),
    (State.ACKNOWLEDGED, "answer", State.ANSWERED),
    (State.ACKNOWLEDGED, "progress", Refused("not_in_implementation")),
    (State.ACKNOWLEDGED, "close implemented", Refused(NOT_ALLOWED)),
    (State.ACKNOWLEDGED, "close not implemented", Refused(NOT_ALLOWED)),
    (State.ANSWERED, "acknowledge", Refused(NOT_ALLOWED)),
    (State.ANSWERED, "answer", Refused("closed")),  # answered once; the answer is not rewritten
    (State.ANSWERED, "progress", State.IN_IMPLEMENTATION),
    (State.ANSWERED, "close implemented", State.IMPLEMENTED),
    (State.ANSWERED, "close not implemented", State.NOT_IMPLEMENTED),
    ("rejected", "acknowledge", Refused(NOT_ALLOWED)),
    ("rejected", "answer", Refused("closed")),
    ("rejected", "progress", Refused("rejected")),  # nothing to implement after a rejection
    ("rejected", "close implemented", Refused("rejected")),
    ("rejected", "close not implemented", Refused("rejected")),
    (State.IN_IMPLEMENTATION, "acknowledge", Refused(NOT_ALLOWED)),
    (State.IN_IMPLEMENTATION, "answer", Refused("closed")),
    (State.IN_IMPLEMENTATION, "progress", State.IN_IMPLEMENTATION),
    (State.IN_IMPLEMENTATION, "close implemented", State.IMPLEMENTED),
    (State.IN_IMPLEMENTATION, "close not implemented", State.NOT_IMPLEMENTED),
    (State.IMPLEMENTED, "acknowledge", Refused(NOT_ALLOWED)),
    (State.IMPLEMENTED, "answer", Refused("closed")),
    (State.IMPLEMENTED, "progress", Refused("not_in_implementation")),
    (State.IMPLEMENTED, "close implemented", Refused(NOT_ALLOWED)),
    (State.IMPLEMENTED, "close not implemented", Refused(NOT_ALLOWED)),
    (State.NOT_IMPLEMENTED, "acknowledge", Refused(NOT_ALLOWED)),
    (State.NOT_IMPLEMENTED, "answer", Refused("closed")),
    (State.NOT_IMPLEMENTED, "progress", Refused("not_in_implementation")),
    (State.NOT_IMPLEMENTED, "close implemented", Refused(NOT_ALLOWED)),
    (State.NOT_IMPLEMENTED, "close not implemented", Refused(NOT_ALLOWED)),
    # Once the council withdrew it, the authority takes no further step.
    ("withdrawn-sent", "acknowledge", Refused("withdrawn")),
    ("withdrawn-sent", "answer", Refused("closed")),
    ("withdrawn-sent", "progress", Refused("withdrawn")),
    ("withdrawn-sent", "close implemented", Refused("withdrawn")),
    ("withdrawn-sent", "close not implemented", Refused("withdrawn")),
    ("withdrawn-answered", "progress", Refused("withdrawn")),
    ("withdrawn-answered", "close implemented", Refused("withdrawn")),
    ("withdrawn-answered", "close not implemented", Refused("withdrawn")),
    ("withdrawn-implementing", "progress", Refused("withdrawn")),
    ("withdrawn-implementing", "close implemented", Refused("withdrawn")),
    ("withdrawn-implementing", "close not implemented", Refused("withdrawn")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "action", "expected"),
    TRACK_STEPS,
    ids=lambda v: f"refused-{v.code}" if isinstance(v, Refused) else None,
)
def test_an_authoritys_track_takes_only_the_steps_its_state_allows(
    coordinator, officer, council, authority, state, action, expected
):
    track = _track_in(
        state, coordinator=coordinator, officer=officer, council=council, authority=authority
    )
    before = (track.state, track.progress, Event.objects.count(), ProgressUpdate.objects.count())

    if isinstance(expected, Refused):
        with pytest.raises(ValidationError) as excinfo:
            TRACK_ACTIONS[action](officer, track)
        assert code_of(excinfo) == expected.code
        track = fresh(track)
        after = (track.state, track.progress, Event.objects.count(), ProgressUpdate.objects.count())
        assert after == before  # nothing of the refused step is kept
    else:
        TRACK_ACTIONS[action](officer, track)
        track = fresh(track)
        assert track.state == expected
        assert track.events.filter(to_state=expected).exists()


@pytest.mark.django_db
def test_publishing_needs_a_saved_draft(coordinator, officer, council, authority):
    track = sent(coordinator, council, authority).addressees.get()

    with pytest.raises(ValidationError) as excinfo:
        services.response_publish(actor=officer, addressee=track)

    assert code_of(excinfo) == "no_draft"
    assert fresh(track).state == State.SENT


@pytest.mark.django_db
def test_an_answer_is_published_once(coordinator, officer, council, authority):
    track = sent(coordinator, council, authority).addressees.get()
    answer(officer, track)

    with pytest.raises(ValidationError) as excinfo:
        services.response_publish(actor=officer, addressee=fresh(track))

    assert code_of(excinfo) == "published"
    assert fresh(track).events.filter(to_state=State.ANSWERED).count() == 1


@pytest.mark.django_db
def test_a_draft_answer_saved_before_the_withdrawal_cannot_be_published_after_it(
    coordinator, officer, council, authority
):
    recommendation = sent(coordinator, council, authority)
    track = recommendation.addressees.get()
    save_draft(officer, track)
    withdraw(coordinator, recommendation)

    with pytest.raises(ValidationError) as excinfo:
        services.response_publish(actor=officer, addressee=track)

    assert code_of(excinfo) == "withdrawn"
    assert not AuthorityResponse.objects.get().is_published


@pytest.mark.django_db
def test_saving_the_draft_again_replaces_it_until_it_is_published(
    coordinator, officer, council, authority
):
    track = sent(coordinator, council, authority).addressees.get()
    colleague = UserFactory()
    grant(colleague, Role.OFFICER, authority)

    save_draft(officer, track, Outcome.ACCEPTED)
    response = services.response_save_draft(
        actor=colleague, addressee=track, outcome=Outcome.PARTLY_ACCEPTED,
        reasons="  Only in the centre.  ", language="de",
    )  # fmt: skip

    assert AuthorityResponse.objects.get() == response
    assert (response.outcome, response.reasons, response.language, response.drafted_by) == (
        Outcome.PARTLY_ACCEPTED,
        "Only in the centre.",
        "de",
        colleague,
    )
    assert fresh(track).state == State.SENT  # a draft is not an answer yet


@pytest.mark.django_db
def test_publishing_copies_the_answer_to_the_track_and_records_who_published_it(
    coordinator, officer, council, authority
):
    track = sent(coordinator, council, authority).addressees.get()
    save_draft(officer, track, Outcome.PARTLY_ACCEPTED)

    response = services.response_publish(actor=officer, addressee=track)

    track = fresh(track)
    assert (track.state, track.outcome) == (State.ANSWERED, Outcome.PARTLY_ACCEPTED)
    assert response.published_by == officer
    event = track.events.get(to_state=State.ANSWERED)
    assert event.at == response.published_at


@pytest.mark.django_db
def test_progress_in_implementation_is_recorded_as_a_progress_event(
    coordinator, officer, council, authority
):
    track = sent(coordinator, council, authority).addressees.get()
    answer(officer, track)
    report(officer, fresh(track), percent=30)

    report(officer, fresh(track), percent=70)

    track = fresh(track)
    assert (track.state, track.progress) == (State.IN_IMPLEMENTATION, 70)
    assert list(track.progress_updates.values_list("percent", flat=True)) == [30, 70]
    progress = track.events.get(kind=Event.Kind.PROGRESS)
    assert (progress.from_state, progress.to_state, progress.actor, progress.note) == (
        State.IN_IMPLEMENTATION,
        State.IN_IMPLEMENTATION,
        officer,
        "Budget approved.",
    )


@pytest.mark.django_db
def test_progress_beyond_one_hundred_percent_is_refused(coordinator, officer, council, authority):
    track = sent(coordinator, council, authority).addressees.get()
    answer(officer, track)

    with pytest.raises(ValidationError):
        report(officer, fresh(track), percent=101)

    assert (fresh(track).state, fresh(track).progress) == (State.ANSWERED, 0)


@pytest.mark.django_db
def test_closing_as_not_implemented_needs_a_note(coordinator, officer, council, authority):
    track = sent(coordinator, council, authority).addressees.get()
    answer(officer, track)

    with pytest.raises(ValidationError) as excinfo:
        close(officer, fresh(track), implemented=False, note="  ")

    assert fields_of(excinfo) == {"note"}
    assert fresh(track).state == State.ANSWERED


@pytest.mark.django_db
def test_closing_as_implemented_sets_progress_to_one_hundred_and_keeps_the_note(
    coordinator, officer, council, authority
):
    track = sent(coordinator, council, authority).addressees.get()
    answer(officer, track)

    close(officer, fresh(track), implemented=True, note="")

    track = fresh(track)
    assert (track.state, track.progress, track.closing_note) == (State.IMPLEMENTED, 100, "")


# The timeline


def _assert_event(event, *, addressee, frm, to, actor, kind=Event.Kind.STATE, since):
    assert (event.addressee, event.from_state, event.to_state, event.actor, event.kind) == (
        addressee,
        frm,
        to,
        actor,
        kind,
    )
    assert since <= event.at <= timezone.now()


@pytest.mark.django_db
def test_every_step_of_a_recommendations_life_is_a_timestamped_attributed_event(
    coordinator, officer, council, authority
):
    facilitator = facilitator_of(council)
    start = timezone.now()
    recommendation = services.recommendation_create(
        actor=facilitator, council=council, title=text("T"), text=text("X"),
        addressees=[authority], domain=domain(),
    )  # fmt: skip
    services.recommendation_adopt(actor=facilitator, recommendation=recommendation)
    services.recommendation_send(actor=coordinator, recommendation=recommendation)
    track = recommendation.addressees.get()
    services.addressee_acknowledge(actor=officer, addressee=track)
    answer(officer, track)
    report(officer, fresh(track), percent=20)
    report(officer, fresh(track), percent=60)
    close(officer, fresh(track), implemented=True)

    events = list(recommendation.events.order_by("at", "id"))

    expected = [
        (None, "", State.DRAFT, facilitator, Event.Kind.STATE),
        (None, State.DRAFT, State.ADOPTED, facilitator, Event.Kind.STATE),
        (None, State.ADOPTED, State.SENT, coordinator, Event.Kind.STATE),
        (track, "", State.SENT, coordinator, Event.Kind.STATE),
        (track, State.SENT, State.ACKNOWLEDGED, officer, Event.Kind.STATE),
        (track, State.ACKNOWLEDGED, State.ANSWERED, officer, Event.Kind.STATE),
        (track, State.ANSWERED, State.IN_IMPLEMENTATION, officer, Event.Kind.STATE),
        (track, State.IN_IMPLEMENTATION, State.IN_IMPLEMENTATION, officer, Event.Kind.PROGRESS),
        (track, State.IN_IMPLEMENTATION, State.IMPLEMENTED, officer, Event.Kind.STATE),
    ]
    assert [(e.addressee, e.from_state, e.to_state, e.actor, e.kind) for e in events] == expected
    assert all(start <= e.at <= timezone.now() for e in events)
    recommendation.refresh_from_db()
    assert recommendation.state == State.IMPLEMENTED
    # The sending's moment is the same on the recommendation, its event and the track's event.
    assert events[2].at == events[3].at == recommendation.sent_at
    assert events[1].at == recommendation.adopted_at


@pytest.mark.django_db
def test_withdrawing_is_an_attributed_event_with_the_reason(coordinator, council, authority):
    recommendation = draft(council, authority)
    start = timezone.now()

    withdraw(coordinator, recommendation)

    event = recommendation.events.get(to_state=State.WITHDRAWN)
    _assert_event(
        event, addressee=None, frm=State.DRAFT, to=State.WITHDRAWN, actor=coordinator, since=start
    )
    assert event.note == "The city already did it."


@pytest.mark.django_db
def test_closing_as_not_implemented_keeps_the_reason_in_the_timeline(
    coordinator, officer, council, authority
):
    track = sent(coordinator, council, authority).addressees.get()
    answer(officer, track)
    start = timezone.now()

    close(officer, fresh(track), implemented=False, note=" No budget this year. ")

    event = track.events.get(to_state=State.NOT_IMPLEMENTED)
    _assert_event(
        event, addressee=track, frm=State.ANSWERED, to=State.NOT_IMPLEMENTED, actor=officer,
        since=start,
    )  # fmt: skip
    assert event.note == "No budget this year."
    assert fresh(track).closing_note == "No budget this year."


# Several authorities


@pytest.mark.django_db
def test_a_recommendation_shows_the_least_advanced_of_its_authorities_tracks(
    coordinator, officer, council, authority, other_authority, other_officer
):
    recommendation = recommendation_sent(
        actor=coordinator, council=council, addressees=[authority, other_authority]
    )
    graz = recommendation.addressees.get(organisation=authority)
    linz = recommendation.addressees.get(organisation=other_authority)

    def state_after(step) -> str:
        step()
        recommendation.refresh_from_db()
        return recommendation.state

    assert recommendation.state == State.SENT
    assert state_after(lambda: services.addressee_acknowledge(actor=officer, addressee=graz)) == (
        State.SENT
    )
    assert state_after(
        lambda: services.addressee_acknowledge(actor=other_officer, addressee=linz)
    ) == (State.ACKNOWLEDGED)
    assert state_after(lambda: answer(officer, graz)) == State.ACKNOWLEDGED
    assert state_after(lambda: answer(other_officer, linz)) == State.ANSWERED
    assert state_after(lambda: report(officer, fresh(graz))) == State.ANSWERED
    assert state_after(lambda: close(officer, fresh(graz), implemented=True)) == State.ANSWERED
    assert state_after(lambda: report(other_officer, fresh(linz))) == State.IN_IMPLEMENTATION
    # "Implemented" only when every authority implemented it.
    assert state_after(lambda: close(other_officer, fresh(linz), implemented=False)) == (
        State.NOT_IMPLEMENTED
    )
    assert fresh(graz).state == State.IMPLEMENTED


@pytest.mark.django_db
def test_one_authoritys_step_leaves_the_other_authoritys_track_alone(
    coordinator, officer, council, authority, other_authority
):
    recommendation = recommendation_sent(
        actor=coordinator, council=council, addressees=[authority, other_authority]
    )
    graz = recommendation.addressees.get(organisation=authority)
    linz = recommendation.addressees.get(organisation=other_authority)

    answer(officer, graz, Outcome.REJECTED)

    assert (fresh(graz).state, fresh(graz).outcome) == (State.ANSWERED, Outcome.REJECTED)
    assert (fresh(linz).state, fresh(linz).outcome) == (State.SENT, "")


# Who may act


@pytest.mark.django_db
def test_a_participant_cannot_draft_a_recommendation(participant, council, authority):
    with pytest.raises(PermissionDenied):
        services.recommendation_create(
            actor=participant, council=council, title=text("T"), text=text("X"),
            addressees=[authority],
        )  # fmt: skip

    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_facilitator_of_another_council_cannot_draft_here(council, authority):
    elsewhere = facilitator_of(CouncilFactory())

    with pytest.raises(PermissionDenied):
        services.recommendation_create(
            actor=elsewhere, council=council, title=text("T"), text=text("X"),
            addressees=[authority],
        )  # fmt: skip


@pytest.mark.django_db
def test_an_ordinary_council_member_cannot_draft_a_recommendation(council, authority):
    member = MembershipFactory(council=council).user

    with pytest.raises(PermissionDenied):
        services.recommendation_create(
            actor=member, council=council, title=text("T"), text=text("X"),
            addressees=[authority],
        )  # fmt: skip


COUNCIL_WRITES = {
    "update": lambda a, r: services.recommendation_update(actor=a, recommendation=r, title="x"),
    "adopt": COUNCIL_ACTIONS["adopt"],
    "withdraw": withdraw,
    "add evidence": lambda a, r: services.evidence_add(
        actor=a, recommendation=r, label="x", url="https://e.org/x"
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("write", COUNCIL_WRITES)
@pytest.mark.parametrize("who", ["outsider", "officer", "member", "other facilitator"])
def test_only_programme_staff_and_the_councils_facilitators_take_the_councils_steps(
    outsider, officer, council, authority, write, who
):
    recommendation = draft(council, authority)
    actor = {
        "outsider": outsider,
        "officer": officer,  # the authority asked does not write the council's recommendation
        "member": lambda: MembershipFactory(council=council).user,
        "other facilitator": lambda: facilitator_of(CouncilFactory()),
    }[who]
    actor = actor() if callable(actor) else actor

    with pytest.raises(PermissionDenied):
        COUNCIL_WRITES[write](actor, recommendation)

    recommendation.refresh_from_db()
    assert recommendation.state == State.DRAFT


@pytest.mark.django_db
def test_only_the_councils_people_send_it(outsider, coordinator, council, authority):
    recommendation = services.recommendation_adopt(
        actor=coordinator, recommendation=draft(council, authority)
    )

    with pytest.raises(PermissionDenied):
        services.recommendation_send(actor=outsider, recommendation=recommendation)

    services.recommendation_send(actor=facilitator_of(council), recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.state == State.SENT


@pytest.mark.django_db
def test_nobody_can_remove_evidence_of_another_councils_draft(council, authority):
    recommendation = draft(council, authority)
    item = Evidence.objects.create(recommendation=recommendation, label="S", url="https://e.org")

    with pytest.raises(PermissionDenied):
        services.evidence_remove(actor=facilitator_of(CouncilFactory()), evidence=item)

    assert Evidence.objects.filter(pk=item.pk).exists()


def _prepared(state, *, coordinator, officer, council, authority) -> Addressee:
    """A track where the step under test would be allowed for the right officer."""
    track = sent(coordinator, council, authority).addressees.get()
    if state in ("publish", "progress", "close"):
        save_draft(officer, track)
    if state in ("progress", "close"):
        services.response_publish(actor=officer, addressee=track)
    return fresh(track)


AUTHORITY_WRITES = {
    "acknowledge": TRACK_ACTIONS["acknowledge"],
    "draft": save_draft,
    "publish": lambda a, t: services.response_publish(actor=a, addressee=t),
    "progress": report,
    "close": TRACK_ACTIONS["close implemented"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("step", AUTHORITY_WRITES)
@pytest.mark.parametrize("who", ["other_officer", "admin_user", "coordinator", "participant"])
def test_only_an_officer_of_the_authority_asked_takes_its_steps(
    request, coordinator, officer, council, authority, step, who
):
    # Administrators hold every permission, yet do not speak for an authority either.
    track = _prepared(
        step, coordinator=coordinator, officer=officer, council=council, authority=authority
    )
    before = (track.state, Event.objects.count(), AuthorityResponse.objects.count())
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        AUTHORITY_WRITES[step](actor, track)

    track = fresh(track)
    assert (track.state, Event.objects.count(), AuthorityResponse.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("step", AUTHORITY_WRITES)
def test_the_officer_of_the_authority_asked_takes_its_steps(
    coordinator, officer, council, authority, step
):
    track = _prepared(
        step, coordinator=coordinator, officer=officer, council=council, authority=authority
    )

    AUTHORITY_WRITES[step](officer, track)


@pytest.mark.django_db
def test_someone_who_is_no_longer_an_officer_cannot_answer(
    coordinator, officer, council, authority
):
    track = sent(coordinator, council, authority).addressees.get()
    officer.role_grants.all().delete()
    officer.__dict__.pop("_role_set", None)

    with pytest.raises(PermissionDenied):
        services.addressee_acknowledge(actor=officer, addressee=track)


# Draft answers stay inside the authority


@pytest.mark.django_db
def test_a_draft_answer_is_shown_only_to_the_officers_of_its_authority(
    coordinator, officer, other_officer, admin_user, participant, council, authority
):
    recommendation = sent(coordinator, council, authority)
    response = save_draft(officer, recommendation.addressees.get())
    colleague = UserFactory()
    grant(colleague, Role.OFFICER, authority)

    def seen_by(user):
        (track,) = selectors.tracks_for(recommendation, user=user)
        return track.draft_response, track.published_response

    assert seen_by(officer) == (response, None)
    assert seen_by(colleague) == (response, None)
    for user in (other_officer, admin_user, coordinator, participant, AnonymousUser()):
        assert seen_by(user) == (None, None), user


@pytest.mark.django_db
def test_a_published_answer_is_shown_to_everyone(
    coordinator, officer, other_officer, council, authority
):
    recommendation = sent(coordinator, council, authority)
    answer(officer, recommendation.addressees.get())
    response = AuthorityResponse.objects.get()

    for user in (officer, other_officer, AnonymousUser()):
        (track,) = selectors.tracks_for(recommendation, user=user)
        assert (track.published_response, track.draft_response) == (response, None)


@pytest.mark.django_db
def test_only_the_officers_of_the_authority_asked_can_answer_on_its_track(
    coordinator, officer, other_officer, admin_user, council, authority
):
    recommendation = sent(coordinator, council, authority)

    assert [t.can_answer for t in selectors.tracks_for(recommendation, user=officer)] == [True]
    for user in (other_officer, admin_user, coordinator, AnonymousUser()):
        assert [t.can_answer for t in selectors.tracks_for(recommendation, user=user)] == [False]


# From a council's motion


@pytest.fixture
def adopted_motion(council, authority):
    item = AgendaItemFactory(meeting=MeetingFactory(council=council))
    motion = Motion.objects.create(
        agenda_item=item,
        title="Night buses",
        text="Run night buses on weekends.",
        reasons="Shift workers asked for them.",
        language="de",
        is_request_to_authority=True,
        addressed_to=authority,
        status=Motion.Status.ADOPTED,
        decided_at=timezone.now() - datetime.timedelta(hours=1),
    )
    MotionEvidence.objects.create(motion=motion, label="Survey", url="https://e.org/survey")
    return motion


@pytest.mark.django_db
def test_an_adopted_motion_to_an_authority_becomes_an_adopted_recommendation(
    council, authority, adopted_motion
):
    chair = MembershipFactory(council=council, role=Membership.Role.CHAIR).user

    recommendation = services.recommendation_from_motion(motion_id=adopted_motion.pk)

    assert (recommendation.state, recommendation.council, recommendation.motion) == (
        State.ADOPTED,
        council,
        adopted_motion,
    )
    assert recommendation.adopted_at == adopted_motion.decided_at
    assert recommendation.title.original == "de"
    assert recommendation.text.get("de") == "Run night buses on weekends."
    assert [a.organisation for a in recommendation.addressees.all()] == [authority]
    assert list(recommendation.evidence.values_list("label", "url")) == [
        ("Survey", "https://e.org/survey")
    ]
    event = recommendation.events.get()
    assert (event.from_state, event.to_state, event.actor, event.at) == (
        State.DRAFT,
        State.ADOPTED,
        None,
        adopted_motion.decided_at,
    )
    # The chair is told that it is ready to be checked and sent.
    assert Notification.objects.filter(recipient=chair, kind="recommendation_adopted").exists()


@pytest.mark.django_db
def test_a_motion_becomes_a_recommendation_only_once(council, adopted_motion):
    chair = MembershipFactory(council=council, role=Membership.Role.CHAIR).user
    first = services.recommendation_from_motion(motion_id=adopted_motion.pk)

    second = services.recommendation_from_motion(motion_id=adopted_motion.pk)

    assert second == first
    assert Recommendation.objects.count() == 1
    assert Addressee.objects.count() == 1
    assert Event.objects.count() == 1
    assert Notification.objects.filter(recipient=chair).count() == 1


@pytest.mark.django_db
def test_a_motion_that_asks_no_authority_makes_no_recommendation(adopted_motion):
    Motion.objects.filter(pk=adopted_motion.pk).update(
        is_request_to_authority=False, addressed_to=None
    )

    assert services.recommendation_from_motion(motion_id=adopted_motion.pk) is None
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_recommendation_from_a_motion_can_be_sent_by_the_council(
    coordinator, officer, council, adopted_motion
):
    recommendation = services.recommendation_from_motion(motion_id=adopted_motion.pk)
    if recommendation.domain is None:  # the council has no policy areas of its own
        services.recommendation_update(
            actor=coordinator, recommendation=recommendation, domain=domain()
        )

    services.recommendation_send(actor=coordinator, recommendation=recommendation)

    recommendation.refresh_from_db()
    assert recommendation.state == State.SENT
    assert Notification.objects.filter(recipient=officer, kind="recommendation_received").exists()


# Followers and notifications


def _changed(user):
    return Notification.objects.filter(recipient=user, kind="recommendation_changed")


@pytest.mark.django_db
def test_sending_notifies_the_officers_of_each_authority_asked_and_no_one_else(
    coordinator, officer, other_officer, council, authority, django_capture_on_commit_callbacks
):
    colleague = UserFactory()
    grant(colleague, Role.OFFICER, authority)

    with django_capture_on_commit_callbacks(execute=True):
        sent(coordinator, council, authority)

    received = Notification.objects.filter(kind="recommendation_received")
    assert sorted(n.recipient_id for n in received) == sorted([officer.pk, colleague.pk])
    assert not received.filter(recipient=other_officer).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, colleague.email])


@pytest.mark.django_db
def test_current_council_members_follow_what_their_council_sent(coordinator, council, authority):
    member = MembershipFactory(council=council).user
    chair = MembershipFactory(council=council, role=Membership.Role.CHAIR).user
    today = timezone.localdate()
    former = MembershipFactory(
        council=council,
        term_start=today - datetime.timedelta(days=800),
        term_end=today - datetime.timedelta(days=100),
    ).user
    elsewhere = MembershipFactory().user

    recommendation = sent(coordinator, council, authority)

    followers = set(recommendation.followers.values_list("user", flat=True))
    assert followers == {member.pk, chair.pk}
    assert former.pk not in followers and elsewhere.pk not in followers


@pytest.mark.django_db
def test_a_member_who_stopped_following_is_not_added_again_nor_doubled(
    coordinator, council, authority
):
    member = MembershipFactory(council=council).user
    recommendation = services.recommendation_adopt(
        actor=coordinator, recommendation=draft(council, authority)
    )
    Follower.objects.create(recommendation=recommendation, user=member)

    services.recommendation_send(actor=coordinator, recommendation=recommendation)

    assert recommendation.followers.filter(user=member).count() == 1


@pytest.mark.django_db
def test_followers_are_told_of_each_step_of_an_authority(
    coordinator, officer, participant, council, authority
):
    recommendation = sent(coordinator, council, authority)
    services.follow_set(user=participant, recommendation=recommendation, following=True)
    track = recommendation.addressees.get()

    services.addressee_acknowledge(actor=officer, addressee=track)
    answer(officer, track)
    report(officer, fresh(track))
    close(officer, fresh(track), implemented=True)

    notes = _changed(participant)
    assert notes.count() == 4
    assert all(n.url == recommendation.get_absolute_url() for n in notes)


@pytest.mark.django_db
def test_the_actor_is_not_told_of_their_own_step(
    coordinator, officer, participant, council, authority
):
    recommendation = sent(coordinator, council, authority)
    for user in (participant, officer, coordinator):
        services.follow_set(user=user, recommendation=recommendation, following=True)

    services.addressee_acknowledge(actor=officer, addressee=recommendation.addressees.get())
    withdraw(coordinator, recommendation)

    assert _changed(participant).count() == 2
    assert _changed(officer).count() == 1  # of the withdrawal, not of their acknowledgement
    assert _changed(coordinator).count() == 1  # of the acknowledgement, not of the withdrawal


@pytest.mark.django_db
def test_the_sender_is_not_told_of_their_own_sending(council, authority):
    facilitator = facilitator_of(council)
    member = MembershipFactory(council=council).user
    recommendation = services.recommendation_adopt(
        actor=facilitator, recommendation=draft(council, authority)
    )

    services.recommendation_send(actor=facilitator, recommendation=recommendation)

    assert recommendation.followers.filter(user=facilitator).exists()
    assert not _changed(facilitator).exists()
    assert _changed(member).count() == 1


@pytest.mark.django_db
def test_withdrawing_a_draft_tells_nobody(coordinator, council, authority):
    member = MembershipFactory(council=council).user
    recommendation = draft(council, authority)
    Follower.objects.create(recommendation=recommendation, user=member)

    withdraw(coordinator, recommendation)

    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_follower_is_told_in_their_own_language(coordinator, officer, council, authority):
    reader = UserFactory(languages=["fr"])
    english_reader = UserFactory(languages=["en"])
    recommendation = sent(coordinator, council, authority)
    for user in (reader, english_reader):
        services.follow_set(user=user, recommendation=recommendation, following=True)

    services.addressee_acknowledge(actor=officer, addressee=recommendation.addressees.get())

    french = _changed(reader).get()
    english = _changed(english_reader).get()
    assert english.subject == f"News on “{recommendation.title}”"
    # The catalogues are being translated: only once this subject has a French translation can
    # the message differ from the English one.
    msgid = "News on “%(title)s”"
    with translation.override("fr"):
        translated = gettext(msgid) != msgid
    if translated:
        assert french.subject != english.subject
    else:
        assert french.subject


@pytest.mark.django_db
def test_following_needs_a_sent_recommendation(participant, coordinator, council, authority):
    recommendation = draft(council, authority)

    with pytest.raises(PermissionDenied):
        services.follow_set(user=participant, recommendation=recommendation, following=True)

    services.recommendation_adopt(actor=coordinator, recommendation=recommendation)
    recommendation = services.recommendation_send(actor=coordinator, recommendation=recommendation)
    assert services.follow_set(user=participant, recommendation=recommendation, following=True)
    assert services.follow_set(user=participant, recommendation=recommendation, following=True)
    assert recommendation.followers.filter(user=participant).count() == 1
    assert not services.follow_set(user=participant, recommendation=recommendation, following=False)
    assert not recommendation.followers.filter(user=participant).exists()


@pytest.mark.django_db
def test_an_anonymous_visitor_cannot_follow(coordinator, council, authority):
    recommendation = sent(coordinator, council, authority)

    with pytest.raises(PermissionDenied):
        services.follow_set(user=AnonymousUser(), recommendation=recommendation, following=True)
