"""Demo recommendations: every state, in every local council, with dates over the last year."""

import datetime

from django.utils import timezone

from voices.accounts.models import User
from voices.core.translation import TranslatedText
from voices.councils.models import Council, PolicyDomain
from voices.directory.models import Organisation

from . import deadlines
from .models import (
    Addressee,
    AuthorityResponse,
    Event,
    Evidence,
    Follower,
    Outcome,
    ProgressUpdate,
    Recommendation,
    Reminder,
    State,
)

TOPICS = [
    ("education", "Free language courses for parents at every primary school"),
    ("employment", "Faster recognition of foreign diplomas at the job centre"),
    ("housing", "A housing desk that helps refugees find their first flat"),
    ("health", "Interpreters by phone in every public health centre"),
    ("education", "Homework clubs in the neighbourhoods with many new arrivals"),
    ("employment", "Paid internships in the city administration for migrants"),
    ("housing", "Rental guarantees from the city for tenants without a credit history"),
    ("health", "Mental health support in Arabic, Persian and Ukrainian"),
    ("education", "Evening classes that lead to a school certificate"),
    ("employment", "One counter for work permits and registration"),
    ("housing", "No more waiting lists for emergency shelters for families"),
    ("health", "Health information leaflets in the ten most spoken languages"),
    ("education", "Mentors for migrant students starting university"),
    ("housing", "Inspections of overcrowded flats with the tenants' consent"),
]

# (state of the authority's track, answer, days ago it was sent, days it took to answer)
PLAN = [
    ("draft", "", None, None),
    ("adopted", "", None, None),
    ("withdrawn", "", 200, None),
    (State.SENT, "", 10, None),
    (State.SENT, "", 90, None),  # overdue
    (State.ACKNOWLEDGED, "", 30, None),
    (State.ACKNOWLEDGED, "", 75, None),  # overdue after receipt
    (State.ANSWERED, Outcome.REJECTED, 120, 40),
    (State.ANSWERED, Outcome.PARTLY_ACCEPTED, 80, 70),  # answered late
    (State.IN_IMPLEMENTATION, Outcome.ACCEPTED, 200, 25),
    (State.IN_IMPLEMENTATION, Outcome.PARTLY_ACCEPTED, 160, 55),
    (State.IMPLEMENTED, Outcome.ACCEPTED, 330, 30),
    (State.IMPLEMENTED, Outcome.ACCEPTED, 300, 45),
    (State.NOT_IMPLEMENTED, Outcome.ACCEPTED, 280, 20),
]

REASONS = {
    Outcome.ACCEPTED: "The city agrees. The department will start within this budget year "
    "and report progress to the council every three months.",
    Outcome.PARTLY_ACCEPTED: "The city agrees with the aim. It can start in two districts now; "
    "the rest depends on next year's budget.",
    Outcome.REJECTED: "The city cannot fund this now. It will look again at the proposal "
    "when the national programme is renewed.",
}


def seed(out) -> list:
    made = 0
    councils = Council.objects.filter(level=Council.Level.LOCAL).select_related("country")
    for k, council in enumerate(councils):
        if Recommendation.objects.filter(council=council).exists():
            continue
        code = council.country.code.code.lower() if council.country_id else ""
        authority = Organisation.objects.filter(slug=f"{code}-city").first()
        if authority is None:
            continue
        members = list(User.objects.filter(council_memberships__council=council).distinct()[:4])
        for n, ((domain_code, title), plan) in enumerate(zip(TOPICS, PLAN, strict=True)):
            _seed_one(council, authority, domain_code, title, _varied(plan, k), n, members)
            made += 1
    out.write(f"recommendations: {Recommendation.objects.count()} recommendations")
    return []


def _varied(plan, k: int):
    """Authorities do not all answer alike: shift each council's answer times a little."""
    state, outcome, sent_ago, answer_days = plan
    if answer_days is None:
        return plan
    shifted = answer_days + (k * 13) % 35 - 10
    # An answer must come before today, and early enough for the progress reported after it.
    latest = sent_ago - 2 if state == State.ANSWERED else sent_ago - 40
    return state, outcome, sent_ago, max(5, min(shifted, latest))


def _seed_one(council, authority, domain_code, title, plan, n, members) -> None:
    state, outcome, sent_ago, answer_days = plan
    now = timezone.now()
    domain = PolicyDomain.objects.filter(code=domain_code).first()
    created = now - datetime.timedelta(days=(sent_ago or 5) + 14)
    recommendation = Recommendation.objects.create(
        council=council, domain=domain, title=TranslatedText({"en": title}, "en"),
        text=TranslatedText({"en": f"The council asks the city: {title.lower()}."}, "en"),
        reasons=TranslatedText(
            {"en": "Members heard this request again and again in the council's consultations."},
            "en",
        ),
        state=State.DRAFT,
    )  # fmt: skip
    Recommendation.objects.filter(pk=recommendation.pk).update(created_at=created)
    Evidence.objects.create(
        recommendation=recommendation,
        label="Consultation results (summary)",
        url="https://example.org/consultation-results",
    )
    track = Addressee.objects.create(recommendation=recommendation, organisation=authority)
    _event(recommendation, None, "", State.DRAFT, created)
    if state == "draft":
        return
    adopted = created + datetime.timedelta(days=7)
    _event(recommendation, None, State.DRAFT, State.ADOPTED, adopted)
    recommendation.state, recommendation.adopted_at = State.ADOPTED, adopted
    if state == "adopted":
        recommendation.save()
        return
    sent = now - datetime.timedelta(days=sent_ago, hours=n)
    recommendation.sent_at = sent
    recommendation.due_on = deadlines.due_date(
        sent_at=sent, days=council.response_days, zone=council.time_zone
    )
    recommendation.due_at = deadlines.end_of_day(recommendation.due_on, council.time_zone)
    recommendation.state = State.SENT
    _event(recommendation, None, State.ADOPTED, State.SENT, sent)
    _event(recommendation, track, "", State.SENT, sent)
    track.state = State.SENT
    Follower.objects.bulk_create(
        [Follower(recommendation=recommendation, user=u) for u in members], ignore_conflicts=True
    )
    if state == "withdrawn":
        withdrawn = sent + datetime.timedelta(days=20)
        recommendation.state = State.WITHDRAWN
        recommendation.withdrawn_reason = (
            "The national government has since passed a law that does what we asked."
        )
        _event(recommendation, None, State.SENT, State.WITHDRAWN, withdrawn,
               note=recommendation.withdrawn_reason)  # fmt: skip
    else:
        _advance(recommendation, track, state, outcome, sent, answer_days, now)
    recommendation.save()
    track.save()


def _advance(recommendation, track, state, outcome, sent, answer_days, now) -> None:
    if state == State.SENT:
        _overdue_if_late(recommendation, track, now)
        return
    acknowledged = sent + datetime.timedelta(days=3)
    _event(recommendation, track, State.SENT, State.ACKNOWLEDGED, acknowledged)
    track.state = recommendation.state = State.ACKNOWLEDGED
    if state == State.ACKNOWLEDGED:
        _overdue_if_late(recommendation, track, now)
        return
    answered = sent + datetime.timedelta(days=answer_days)
    if answered > recommendation.due_at:
        _event(recommendation, track, State.ACKNOWLEDGED, State.ACKNOWLEDGED,
               recommendation.due_at, kind=Event.Kind.OVERDUE)  # fmt: skip
        Reminder.objects.create(addressee=track, kind="overdue", sent_at=recommendation.due_at)
    _event(recommendation, track, State.ACKNOWLEDGED, State.ANSWERED, answered)
    track.state = recommendation.state = State.ANSWERED
    track.outcome = outcome
    track.save()
    AuthorityResponse.objects.create(
        addressee=track, outcome=outcome, reasons=REASONS[outcome], language="en",
        published_at=answered,
    )  # fmt: skip
    if state == State.ANSWERED:
        return
    started = answered + datetime.timedelta(days=30)
    for step, percent in enumerate((25, 60) if state != State.NOT_IMPLEMENTED else (20,)):
        at = started + datetime.timedelta(days=45 * step)
        if at > now:
            break
        update = ProgressUpdate.objects.create(
            addressee=track, percent=percent, language="en",
            note="The department has hired two staff and opened the first desk.",
            milestone="Open in all districts",
            milestone_on=(at + datetime.timedelta(days=90)).date(),
        )  # fmt: skip
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=at)
        if step == 0:
            _event(recommendation, track, State.ANSWERED, State.IN_IMPLEMENTATION, at)
        else:
            _event(recommendation, track, State.IN_IMPLEMENTATION, State.IN_IMPLEMENTATION, at,
                   kind=Event.Kind.PROGRESS)  # fmt: skip
        track.progress = percent
    track.state = recommendation.state = State.IN_IMPLEMENTATION
    if state == State.IN_IMPLEMENTATION:
        return
    finished = min(now - datetime.timedelta(days=5), started + datetime.timedelta(days=120))
    if state == State.IMPLEMENTED:
        track.progress = 100
        track.closing_note = "Done: the service is open to everyone who needs it."
    else:
        track.closing_note = "The regional government stopped the funding this service needed."
    _event(recommendation, track, State.IN_IMPLEMENTATION, state, finished, note=track.closing_note)
    track.state = recommendation.state = state


def _overdue_if_late(recommendation, track, now) -> None:
    if now >= recommendation.due_at:
        _event(recommendation, track, track.state, track.state, recommendation.due_at,
               kind=Event.Kind.OVERDUE)  # fmt: skip
        Reminder.objects.create(addressee=track, kind="overdue", sent_at=recommendation.due_at)


def _event(recommendation, track, frm, to, at, *, kind=Event.Kind.STATE, note="") -> None:
    Event.objects.create(
        recommendation=recommendation, addressee=track, kind=kind, from_state=frm, to_state=to,
        at=at, note=note,
    )  # fmt: skip
