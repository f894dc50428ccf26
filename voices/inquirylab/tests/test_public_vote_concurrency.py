"""The people's choice under simultaneous clicks: one vote per account, every account counted.

These run in real transactions with one database connection per thread, on SQLite and PostgreSQL
alike (as the consultations' supports test does).
"""

import pytest

from voices.accounts.tests.factories import UserFactory
from voices.core.tests.concurrency import at_once
from voices.inquirylab import result_services
from voices.inquirylab.models import Challenge, PublicVote, Stage
from voices.inquirylab.tests.factories import ChallengeFactory, TeamFactory, brief_for, move_to
from voices.inquirylab.tests.factories_results import verified


@pytest.fixture
def voting(transactional_db):
    challenge = ChallengeFactory(stage=Stage.WORK)
    briefs = [brief_for(TeamFactory(challenge=challenge), title=f"Brief {n}") for n in range(4)]
    move_to(challenge, Stage.JUDGING)
    return Challenge.objects.get(pk=challenge.pk), briefs


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_votes_from_one_account_store_one(voting):
    challenge, briefs = voting
    voter = verified(UserFactory())

    outcomes = at_once(
        20,
        lambda n: result_services.vote_cast(
            user=voter, challenge=challenge, brief=briefs[n % len(briefs)]
        ),
    )

    assert outcomes.count("stored") == 20
    assert PublicVote.objects.filter(challenge=challenge).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_from_many_accounts_are_all_counted(voting):
    challenge, briefs = voting
    voters = [verified(UserFactory()) for _n in range(20)]

    outcomes = at_once(
        20,
        lambda n: result_services.vote_cast(user=voters[n], challenge=challenge, brief=briefs[0]),
    )

    assert outcomes == ["stored"] * 20
    assert PublicVote.objects.filter(challenge=challenge, brief=briefs[0]).count() == 20
