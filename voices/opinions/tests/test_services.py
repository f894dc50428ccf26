"""Opinion map services: setting a map up, statements (participants' and seeds), votes, and the
debounce that enqueues the analysis."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.consultations.models import Action, Consultation, Participant, Phase
from voices.consultations.tests.factories import ConsultationFactory, move_to
from voices.core import moderation, periodic
from voices.core.models import AuditEntry, ModerationState
from voices.councils.tests.factories import CouncilFactory, MembershipFactory
from voices.directory.tests.factories import OrganisationFactory, text
from voices.opinions import selectors, services
from voices.opinions.models import Analysis, OpinionMap, Statement, Vote, text_key
from voices.opinions.tasks import analyses_due, map_analyse
from voices.opinions.tests.factories import (
    OpinionMapFactory,
    StatementFactory,
    VoteFactory,
)

AGREE, DISAGREE, PASS = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS
ALL_PHASES = [
    Phase.UPCOMING,
    Phase.INFORMATION,
    Phase.CONTRIBUTIONS,
    Phase.DELIBERATION,
    Phase.ANSWERS,
    Phase.CLOSED,
]


def code_of(exc_info) -> str | None:
    return exc_info.value.code


def add(user, opinion_map: OpinionMap, text: str = "Language classes should be free.", **kw):
    return services.statement_add(
        user=user, opinion_map=opinion_map, text=text, language="en", **kw
    )


def seed(actor, opinion_map: OpinionMap, text: str = "The city should open a welcome desk."):
    return services.statement_seed_add(
        actor=actor, opinion_map=opinion_map, text=text, language="en"
    )


def vote(user, statement: Statement, value: int = AGREE, **kw) -> Vote:
    return services.vote_cast(user=user, statement=statement, value=value, **kw)


def counts(statement: Statement) -> tuple[int, int, int]:
    statement.refresh_from_db()
    return statement.agree_count, statement.disagree_count, statement.pass_count


# Setting a map up


def map_fields() -> dict:
    return {"question": text("What should the city do first for newcomers?")}


@pytest.mark.django_db
def test_the_officer_adds_an_opinion_map_and_it_joins_the_consultations_parts(authority, officer):
    consultation = ConsultationFactory(owner_organisation=authority, components=["proposals"])

    opinion_map = services.opinion_map_create(
        actor=officer, consultation=consultation, **map_fields(), statement_max_length=200
    )

    assert opinion_map.consultation == consultation
    assert opinion_map.statement_max_length == 200
    assert not opinion_map.premoderation
    consultation.refresh_from_db()
    assert consultation.components == ["proposals", "opinions"]
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(OpinionMap),
        object_id=str(opinion_map.pk),
        action=AuditEntry.Action.CREATE,
        actor=officer,
    ).exists()


@pytest.mark.django_db
def test_a_consultation_has_one_opinion_map(opinion_map, officer):
    with pytest.raises(ValidationError) as exc:
        services.opinion_map_create(
            actor=officer, consultation=opinion_map.consultation, **map_fields()
        )

    assert code_of(exc) == "map_exists"


@pytest.mark.django_db
def test_only_those_who_run_the_consultation_add_or_change_its_map(consultation, participant):
    other_officer = UserFactory()
    grant(other_officer, Role.OFFICER, OrganisationFactory())

    for actor in (participant, other_officer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.opinion_map_create(actor=actor, consultation=consultation, **map_fields())
    assert not OpinionMap.objects.exists()

    opinion_map = OpinionMapFactory(consultation=consultation)
    for actor in (participant, other_officer):
        with pytest.raises(PermissionDenied):
            services.opinion_map_update(actor=actor, opinion_map=opinion_map, premoderation=True)
    opinion_map.refresh_from_db()
    assert not opinion_map.premoderation


@pytest.mark.django_db
def test_programme_staff_may_add_a_map_to_any_consultation(consultation, coordinator):
    opinion_map = services.opinion_map_create(
        actor=coordinator, consultation=consultation, **map_fields()
    )

    assert opinion_map.pk


@pytest.mark.django_db
def test_the_officer_changes_the_map_settings_and_the_change_is_audited(opinion_map, officer):
    services.opinion_map_update(
        actor=officer, opinion_map=opinion_map, premoderation=True, statement_max_length=300,
        votes_since_analysis=999,  # not a setting: ignored
    )  # fmt: skip

    opinion_map.refresh_from_db()
    assert opinion_map.premoderation
    assert opinion_map.statement_max_length == 300
    assert opinion_map.votes_since_analysis == 0
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(OpinionMap), action="update"
    )
    assert entry.before["premoderation"] is False
    assert entry.after["premoderation"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("length", [19, 501])
def test_a_statement_length_limit_outside_20_to_500_is_refused(opinion_map, officer, length):
    with pytest.raises(ValidationError) as exc:
        services.opinion_map_update(
            actor=officer, opinion_map=opinion_map, statement_max_length=length
        )

    assert "statement_max_length" in exc.value.message_dict


# Participants' statements


@pytest.mark.django_db
def test_a_participants_statement_is_published_at_once_with_the_next_number(
    opinion_map, participant, outsider
):
    first = add(participant, opinion_map, "Language classes should be free.")
    second = add(outsider, opinion_map, "Buses should run later at night.")

    assert (first.number, second.number) == (1, 2)
    assert first.moderation_state == ModerationState.VISIBLE
    assert first.author == participant
    assert first.participant.user == participant
    assert first.consultation == opinion_map.consultation
    assert not first.is_seed
    assert not first.is_anonymous
    assert first.duplicate_of is None
    assert list(selectors.statements_visible(opinion_map)) == [first, second]


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ALL_PHASES)
def test_statements_are_added_only_in_the_phase_that_takes_proposals(authority, participant, phase):
    consultation = ConsultationFactory(owner_organisation=authority, phase=phase)
    opinion_map = OpinionMapFactory(consultation=consultation)

    if phase == Phase.CONTRIBUTIONS:
        add(participant, opinion_map)
        assert Statement.objects.filter(author=participant).exists()
    else:
        with pytest.raises(ValidationError) as exc:
            add(participant, opinion_map)
        assert code_of(exc) == "phase"
        assert not Statement.objects.exists()
        assert not Participant.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_an_unpublished_consultation_takes_no_statements(authority, participant):
    consultation = ConsultationFactory(owner_organisation=authority, is_published=False)
    opinion_map = OpinionMapFactory(consultation=consultation)

    with pytest.raises(ValidationError) as exc:
        add(participant, opinion_map)

    assert code_of(exc) == "phase"


@pytest.mark.django_db
def test_where_only_moderators_add_statements_a_participants_statement_is_refused(
    opinion_map, participant
):
    opinion_map.participants_may_add = False
    opinion_map.save()

    with pytest.raises(ValidationError) as exc:
        add(participant, opinion_map)

    assert code_of(exc) == "closed"
    assert not Statement.objects.exists()


@pytest.mark.django_db
def test_someone_outside_the_eligible_council_adds_no_statement(opinion_map, participant):
    consultation = opinion_map.consultation
    consultation.eligibility = Consultation.Eligibility.COUNCIL_MEMBERS
    consultation.eligible_council = CouncilFactory()
    consultation.save()

    with pytest.raises(ValidationError) as exc:
        add(participant, opinion_map)
    assert code_of(exc) == "not_eligible"
    assert not Participant.objects.filter(user=participant).exists()

    MembershipFactory(council=consultation.eligible_council, user=participant)
    member = type(participant).objects.get(pk=participant.pk)  # memberships are read once
    assert add(member, opinion_map).author == participant


@pytest.mark.django_db
def test_a_statement_without_an_account_is_marked_unverified_where_the_owner_allows_it(
    opinion_map, open_to_anonymous
):
    statement = add(AnonymousUser(), opinion_map, anon_key="browser-a")

    assert statement.is_anonymous
    assert statement.author is None
    assert statement.participant.anon_key == "browser-a"
    assert statement.author_label() == "Anonymous participant (unverified)"


@pytest.mark.django_db
def test_without_an_account_nobody_adds_a_statement_unless_the_owner_allows_it(opinion_map):
    with pytest.raises(ValidationError) as exc:
        add(AnonymousUser(), opinion_map, anon_key="browser-a")

    assert code_of(exc) == "not_eligible"
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_without_an_account_nor_a_browser_key_nobody_adds_a_statement(
    opinion_map, open_to_anonymous
):
    with pytest.raises(PermissionDenied):
        add(AnonymousUser(), opinion_map)


@pytest.mark.django_db
def test_a_blocked_participant_adds_no_statement_and_casts_no_vote(
    opinion_map, officer, participant
):
    statement = StatementFactory(map=opinion_map)
    moderation.user_block(
        actor=officer, scope=opinion_map.consultation, model=Statement, user=participant,
        reason="Spam.",
    )  # fmt: skip

    with pytest.raises(ValidationError) as exc:
        add(participant, opinion_map)
    assert code_of(exc) == "not_eligible"
    with pytest.raises(ValidationError) as exc:
        vote(participant, statement)
    assert code_of(exc) == "not_eligible"
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_statement_longer_than_the_maps_limit_is_refused(opinion_map, participant):
    add(participant, opinion_map, "x" * 140)

    with pytest.raises(ValidationError) as exc:
        add(participant, opinion_map, "y" * 141)

    assert code_of(exc) == "too_long"
    assert "141" in exc.value.messages[0]
    opinion_map.statement_max_length = 300
    opinion_map.save()
    assert len(add(participant, opinion_map, "y" * 300).text) == 300


@pytest.mark.django_db
def test_spaces_are_tidied_before_the_length_is_counted(opinion_map, participant):
    statement = add(participant, opinion_map, "  Free   classes\n for all.  ")

    assert statement.text == "Free classes for all."


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["", "   ", "?!…"])
def test_a_statement_without_words_is_refused(opinion_map, participant, blank):
    with pytest.raises(ValidationError) as exc:
        add(participant, opinion_map, blank)

    assert code_of(exc) == "blank"


@pytest.mark.django_db
def test_with_premoderation_a_statement_waits_for_a_moderator(opinion_map, participant, officer):
    opinion_map.premoderation = True
    opinion_map.save()

    statement = add(participant, opinion_map)

    assert statement.moderation_state == ModerationState.PENDING
    assert list(selectors.statements_visible(opinion_map)) == []
    assert list(selectors.statements_pending_for(opinion_map=opinion_map, user=participant)) == [
        statement
    ]
    queue = moderation.moderation_queue(opinion_map.consultation)
    assert [entry.target for entry in queue] == [statement]

    moderation.moderation_decide(actor=officer, target=statement, action="approve")

    assert list(selectors.statements_visible(opinion_map)) == [statement]


@pytest.mark.django_db
def test_the_same_words_as_an_earlier_statement_are_flagged_not_refused(
    opinion_map, participant, outsider
):
    first = add(participant, opinion_map, "Free buses for students!")
    again = add(outsider, opinion_map, "free  buses, for STUDENTS")
    other = add(outsider, opinion_map, "Free buses for pensioners.")
    third = add(participant, opinion_map, "Free buses for students.")

    assert again.duplicate_of == first
    assert third.duplicate_of == first
    assert other.duplicate_of is None
    assert again.moderation_state == ModerationState.VISIBLE


@pytest.mark.django_db
def test_a_statement_hidden_by_a_moderator_is_not_named_as_the_earlier_one(
    opinion_map, participant
):
    hidden = add(participant, opinion_map, "Free buses for students!")
    hidden.moderation_state = ModerationState.HIDDEN
    hidden.save()

    assert add(participant, opinion_map, "Free buses for students").duplicate_of is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Free buses for students!", "free buses for students"),
        ("Free  buses,\tfor students.", "FREE BUSES FOR STUDENTS"),
        ("«Cours gratuits» pour tous", "cours gratuits pour tous"),
        ("Straße", "STRASSE"),
        ("دروس مجانية!", "دروس مجانية"),
    ],
)
def test_the_duplicate_key_ignores_case_punctuation_and_spaces(one, other):
    assert text_key(one) == text_key(other)


def test_the_duplicate_key_keeps_the_words_apart():
    assert text_key("Free buses") != text_key("Freebuses")


@pytest.mark.django_db
def test_the_database_refuses_two_statements_with_one_number(opinion_map):
    StatementFactory(map=opinion_map, number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(map=opinion_map, number=1)


@pytest.mark.django_db
def test_statements_are_moderated_like_proposals(opinion_map, participant, outsider, officer):
    statement = add(participant, opinion_map)
    opinion_map.consultation.report_threshold = 1
    opinion_map.consultation.save()

    moderation.report_create(reporter=outsider, target=statement, reason="spam")

    statement.refresh_from_db()
    assert statement.moderation_state == ModerationState.REPORTED
    assert moderation.can_moderate(officer, opinion_map.consultation, Statement)
    assert not moderation.can_moderate(participant, opinion_map.consultation, Statement)


# Seed statements


@pytest.mark.django_db
def test_a_moderator_adds_a_seed_statement_shown_at_once_even_with_premoderation(
    opinion_map, officer
):
    opinion_map.premoderation = True
    opinion_map.save()

    statement = seed(officer, opinion_map)

    assert statement.is_seed
    assert statement.author == officer
    assert statement.participant is None
    assert statement.moderation_state == ModerationState.VISIBLE
    assert statement.author_label() == "Moderators"
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Statement),
        object_id=str(statement.pk),
        actor=officer,
    ).exists()


@pytest.mark.django_db
def test_seeds_are_added_before_the_consultation_opens_too(authority, officer):
    consultation = ConsultationFactory(
        owner_organisation=authority, phase=Phase.UPCOMING, is_published=False
    )
    opinion_map = OpinionMapFactory(consultation=consultation)

    assert seed(officer, opinion_map).number == 1


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [Phase.ANSWERS, Phase.CLOSED])
def test_no_seed_is_added_once_voting_is_over(opinion_map, officer, phase):
    move_to(opinion_map.consultation, phase)

    with pytest.raises(ValidationError) as exc:
        seed(officer, opinion_map)

    assert code_of(exc) == "phase"


@pytest.mark.django_db
def test_participants_and_other_officers_add_no_seed_statement(opinion_map, participant):
    other_officer = UserFactory()
    grant(other_officer, Role.OFFICER, OrganisationFactory())

    for actor in (participant, other_officer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            seed(actor, opinion_map)

    assert not Statement.objects.exists()


@pytest.mark.django_db
def test_administrators_and_coordinators_moderate_every_map(opinion_map, admin_user, coordinator):
    # As in consultations: superusers and programme coordinators moderate every consultation.
    assert seed(admin_user, opinion_map, "One.").is_seed
    assert seed(coordinator, opinion_map, "Two.").is_seed


@pytest.mark.django_db
def test_seed_statements_keep_the_maps_length_limit(opinion_map, officer):
    with pytest.raises(ValidationError) as exc:
        seed(officer, opinion_map, "z" * 141)

    assert code_of(exc) == "too_long"


# Votes


@pytest.fixture
def statement(opinion_map):
    return StatementFactory(map=opinion_map)


@pytest.mark.django_db
def test_a_vote_is_stored_and_counted_on_the_statement(statement, participant):
    cast = vote(participant, statement, DISAGREE)

    assert cast.value == DISAGREE
    assert cast.participant.user == participant
    assert counts(statement) == (0, 1, 0)
    assert selectors.my_votes(statement.map, cast.participant) == {statement.pk: DISAGREE}


@pytest.mark.django_db
def test_a_new_vote_is_given_and_changed_at_the_same_moment(statement, participant):
    before = timezone.now()

    cast = vote(participant, statement, AGREE)

    stored = Vote.objects.get(pk=cast.pk)
    assert before <= stored.created_at == stored.updated_at <= timezone.now()


@pytest.mark.django_db
def test_a_changed_vote_updates_the_same_row_and_its_time_and_keeps_when_it_was_given(
    statement, participant
):
    first = vote(participant, statement, AGREE)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Vote.objects.filter(pk=first.pk).update(created_at=an_hour_ago, updated_at=an_hour_ago)
    before = timezone.now()

    changed = vote(participant, statement, PASS)

    assert changed.pk == first.pk
    assert Vote.objects.count() == 1
    stored = Vote.objects.get()
    assert stored.value == PASS
    assert before <= stored.updated_at <= timezone.now()
    assert stored.created_at == an_hour_ago
    assert counts(statement) == (0, 0, 1)


@pytest.mark.django_db
def test_the_same_vote_again_changes_nothing(
    statement, participant, django_capture_on_commit_callbacks
):
    first = vote(participant, statement, AGREE)
    stamp = Vote.objects.get(pk=first.pk).updated_at

    with django_capture_on_commit_callbacks() as callbacks:
        again = vote(participant, statement, AGREE)

    assert again.pk == first.pk
    assert Vote.objects.get().updated_at == stamp
    assert counts(statement) == (1, 0, 0)
    assert callbacks == []  # not counted towards the next analysis either


@pytest.mark.django_db
def test_the_database_keeps_one_vote_per_participant_and_statement(statement):
    first = VoteFactory(statement=statement)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(statement=statement, participant=first.participant, value=DISAGREE)


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_vote_value(statement):
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteFactory(statement=statement, value=2)


@pytest.mark.django_db
def test_a_vote_other_than_agree_disagree_or_pass_is_refused(statement, participant):
    with pytest.raises(ValidationError) as exc:
        vote(participant, statement, 2)

    assert code_of(exc) == "value"
    assert not Vote.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [ModerationState.PENDING, ModerationState.REPORTED, ModerationState.HIDDEN]
)
def test_a_statement_that_is_not_published_takes_no_vote(statement, participant, state):
    statement.moderation_state = state
    statement.save()

    with pytest.raises(ValidationError) as exc:
        vote(participant, statement)

    assert code_of(exc) == "not_votable"
    assert not Vote.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ALL_PHASES)
def test_votes_are_cast_only_in_the_phases_that_take_supports(authority, participant, phase):
    consultation = ConsultationFactory(owner_organisation=authority, phase=phase)
    statement = StatementFactory(map=OpinionMapFactory(consultation=consultation))

    if consultation.allows(Action.SUPPORT, at=timezone.now()):
        assert phase in (Phase.CONTRIBUTIONS, Phase.DELIBERATION)
        vote(participant, statement)
        assert Vote.objects.filter(participant__user=participant).exists()
    else:
        with pytest.raises(ValidationError) as exc:
            vote(participant, statement)
        assert code_of(exc) == "phase"
        assert not Vote.objects.exists()
        assert not Participant.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_people_without_an_account_vote_once_per_browser_where_the_owner_allows_it(
    statement, open_to_anonymous
):
    vote(AnonymousUser(), statement, AGREE, anon_key="browser-a")
    vote(AnonymousUser(), statement, DISAGREE, anon_key="browser-b")
    vote(AnonymousUser(), statement, DISAGREE, anon_key="browser-a")

    stored = dict(Vote.objects.values_list("participant__anon_key", "value"))
    assert stored == {"browser-a": DISAGREE, "browser-b": DISAGREE}
    assert counts(statement) == (0, 2, 0)


@pytest.mark.django_db
def test_without_an_account_nobody_votes_unless_the_owner_allows_it(statement):
    with pytest.raises(ValidationError) as exc:
        vote(AnonymousUser(), statement, anon_key="browser-a")

    assert code_of(exc) == "not_eligible"
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_vote_and_a_statement_share_one_participant_row(statement, participant):
    vote(participant, statement)
    services.statement_add(
        user=participant, opinion_map=statement.map, text="Another idea.", language="en"
    )

    assert Participant.objects.filter(user=participant).count() == 1


# The debounce: when a vote enqueues the analysis


def analyses_enqueued(backend) -> list[dict]:
    return [r.kwargs for r in backend.results if r.task.module_path == map_analyse.module_path]


def analysed_at(opinion_map: OpinionMap, when: datetime.datetime, version: int = 1) -> Analysis:
    analysis = Analysis.objects.create(
        map=opinion_map, version=version, n_votes=0, n_participants=0, seconds=0.1
    )
    Analysis.objects.filter(pk=analysis.pk).update(created_at=when)
    return analysis


@pytest.fixture
def voters(db):
    return UserFactory.create_batch(6)


@pytest.mark.django_db
def test_the_first_vote_on_a_map_enqueues_its_first_analysis(
    statement, participant, tasks_kept, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote(participant, statement)

    assert analyses_enqueued(tasks_kept) == [{"map_id": statement.map_id}]
    statement.map.refresh_from_db()
    assert statement.map.votes_since_analysis == 1
    assert statement.map.analysis_queued_at is not None


@pytest.mark.django_db
def test_enough_new_votes_enqueue_one_analysis_and_no_more_while_it_waits(
    opinion_map, statement, voters, tasks_kept, django_capture_on_commit_callbacks
):
    opinion_map.analysis_every_votes = 3
    opinion_map.save()
    analysed_at(opinion_map, timezone.now())  # just now: the interval has not passed

    enqueued = []
    for voter in voters:
        with django_capture_on_commit_callbacks(execute=True):
            vote(voter, statement)
        enqueued.append(len(analyses_enqueued(tasks_kept)))

    assert enqueued == [0, 0, 1, 1, 1, 1]
    opinion_map.refresh_from_db()
    assert opinion_map.votes_since_analysis == 6


@pytest.mark.django_db
def test_a_changed_vote_counts_towards_the_next_analysis(
    opinion_map, statement, participant, tasks_kept, django_capture_on_commit_callbacks
):
    analysed_at(opinion_map, timezone.now())
    for value in (AGREE, DISAGREE, DISAGREE, PASS):
        with django_capture_on_commit_callbacks(execute=True):
            vote(participant, statement, value)

    opinion_map.refresh_from_db()
    assert opinion_map.votes_since_analysis == 3


@pytest.mark.django_db
def test_a_vote_after_the_interval_enqueues_an_analysis_even_with_few_new_votes(
    opinion_map, statement, participant, tasks_kept, django_capture_on_commit_callbacks
):
    analysed_at(opinion_map, timezone.now() - datetime.timedelta(seconds=61))

    with django_capture_on_commit_callbacks(execute=True):
        vote(participant, statement)

    assert analyses_enqueued(tasks_kept) == [{"map_id": opinion_map.pk}]


@pytest.mark.django_db
def test_an_analysis_enqueued_long_ago_and_never_run_is_enqueued_again(
    opinion_map, statement, voters, tasks_kept, django_capture_on_commit_callbacks
):
    now = timezone.now()
    opinion_map.analysis_queued_at = now - datetime.timedelta(minutes=9)
    opinion_map.save()

    with django_capture_on_commit_callbacks(execute=True):
        vote(voters[0], statement)
    assert analyses_enqueued(tasks_kept) == []

    OpinionMap.objects.filter(pk=opinion_map.pk).update(
        analysis_queued_at=now - datetime.timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        vote(voters[1], statement)
    assert analyses_enqueued(tasks_kept) == [{"map_id": opinion_map.pk}]


@pytest.mark.django_db
def test_of_two_voters_who_both_find_the_analysis_due_only_one_enqueues_it(
    opinion_map, tasks_kept, django_capture_on_commit_callbacks
):
    OpinionMap.objects.filter(pk=opinion_map.pk).update(votes_since_analysis=5)
    now = timezone.now()
    # Both read the map before either claims it.
    seen = [services._with_last_analysis(OpinionMap.objects.filter(pk=opinion_map.pk)).get()]
    seen.append(services._with_last_analysis(OpinionMap.objects.filter(pk=opinion_map.pk)).get())

    with django_capture_on_commit_callbacks(execute=True):
        claimed = [services._claim(m, now) for m in seen if services._is_due(m, now)]

    assert claimed == [True, False]
    assert len(analyses_enqueued(tasks_kept)) == 1


@pytest.mark.django_db
def test_the_periodic_task_enqueues_maps_whose_last_votes_wait_past_the_interval(
    authority, tasks_kept, django_capture_on_commit_callbacks
):
    now = timezone.now()
    maps = {
        name: OpinionMapFactory(consultation=ConsultationFactory(owner_organisation=authority))
        for name in ("waiting", "recent", "no new votes", "never analysed", "queued")
    }
    for name in ("waiting", "recent", "never analysed", "queued"):
        OpinionMap.objects.filter(pk=maps[name].pk).update(votes_since_analysis=2)
    analysed_at(maps["waiting"], now - datetime.timedelta(minutes=5))
    analysed_at(maps["recent"], now - datetime.timedelta(seconds=30))
    analysed_at(maps["no new votes"], now - datetime.timedelta(minutes=5))
    analysed_at(maps["queued"], now - datetime.timedelta(minutes=5))
    OpinionMap.objects.filter(pk=maps["queued"].pk).update(analysis_queued_at=now)

    with django_capture_on_commit_callbacks(execute=True):
        enqueued = services.analyses_enqueue_due(now=now)

    assert sorted(enqueued) == sorted([maps["waiting"].pk, maps["never analysed"].pk])
    assert sorted(k["map_id"] for k in analyses_enqueued(tasks_kept)) == sorted(enqueued)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.analyses_enqueue_due(now=now) == []


@pytest.mark.django_db
def test_the_periodic_task_is_registered_to_run_every_minute():
    entry = periodic.registered()[analyses_due.module_path]

    assert entry.every == datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_periodic_task_enqueues_through_the_service(
    opinion_map, tasks_kept, django_capture_on_commit_callbacks
):
    OpinionMap.objects.filter(pk=opinion_map.pk).update(votes_since_analysis=1)

    with django_capture_on_commit_callbacks(execute=True):
        analyses_due.call()

    assert analyses_enqueued(tasks_kept) == [{"map_id": opinion_map.pk}]


@pytest.mark.django_db
def test_the_consultations_moderation_queue_acts_only_on_proposals_and_comments(
    client, opinion_map, officer
):
    # Statements share the consultation's moderation scope (blocks, reports, who moderates),
    # but the consultation's queue acts on proposals and comments by their own ids: a
    # statement listed there would be moderated as the comment with the same id.
    opinion_map.premoderation = True
    opinion_map.save()
    add(UserFactory(), opinion_map, "Held for a moderator.")
    client.force_login(officer)

    page = client.get(
        reverse("consultations:moderation", kwargs={"consultation_id": opinion_map.consultation_id})
    )

    assert page.status_code == 200
    assert 'id="queue-' not in page.content.decode()
