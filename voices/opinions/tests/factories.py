"""Opinion maps for tests: a map on a consultation in its contributions phase, statements and
votes written directly (use the services to test the rules)."""

import random

import factory
from django.db.models import F, Max

from voices.consultations.models import Participant
from voices.consultations.tests.factories import ConsultationFactory
from voices.directory.tests.factories import text
from voices.opinions.models import OpinionMap, Statement, Vote, text_key


class OpinionMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpinionMap

    consultation = factory.SubFactory(ConsultationFactory, components=["proposals", "opinions"])
    question = factory.LazyFunction(lambda: text("What should the city do first for newcomers?"))


def _next_number(statement) -> int:
    last = Statement.objects.filter(map=statement.map).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


class StatementFactory(factory.django.DjangoModelFactory):
    """A published statement by a moderator (a seed)."""

    class Meta:
        model = Statement

    map = factory.SubFactory(OpinionMapFactory)
    consultation = factory.LazyAttribute(lambda s: s.map.consultation)
    number = factory.LazyAttribute(_next_number)
    text = factory.Sequence(lambda n: f"Statement {n}: language classes should be free")
    text_key = factory.LazyAttribute(lambda s: text_key(s.text))
    language = "en"
    is_seed = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    consultation = factory.SubFactory(ConsultationFactory)
    user = factory.SubFactory("voices.accounts.tests.factories.UserFactory")


class VoteFactory(factory.django.DjangoModelFactory):
    """A vote, counted on its statement as services.vote_cast counts it."""

    class Meta:
        model = Vote

    statement = factory.SubFactory(StatementFactory)
    participant = factory.LazyAttribute(
        lambda v: ParticipantFactory(consultation=v.statement.consultation)
    )
    value = Vote.Value.AGREE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        vote = super()._create(model_class, *args, **kwargs)
        counter = {1: "agree_count", -1: "disagree_count", 0: "pass_count"}[vote.value]
        Statement.objects.filter(pk=vote.statement_id).update(**{counter: F(counter) + 1})
        return vote


def vote_in_two_camps(statements: list[Statement], people: list[Participant]) -> None:
    """Half of `people` agree with statements 1-4 and disagree with 5-8, the other half the
    other way round, with a few passes and changes of side; statement 9 nearly everyone agrees
    with. The rolls are seeded, so the votes are the same on every run."""
    agree, disagree, skip = Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS
    rolls = random.Random(0)
    for n, person in enumerate(people):
        for statement in statements:
            roll = rolls.random()
            side = agree if (n < len(people) // 2) == (statement.number <= 4) else disagree
            if statement.number == 9:
                value = skip if roll < 0.1 else agree
            elif roll < 0.15:
                value = skip
            else:
                value = -side if roll < 0.25 else side
            VoteFactory(statement=statement, participant=person, value=value)
