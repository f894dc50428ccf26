"""The team-matching helper: sizes within the range, a shared language, mixed countries, the
same proposal for the same people in any order, and those it cannot place reported."""

import random

import pytest

from voices.inquirylab.matching import propose

COUNTRIES = ["AT", "BG", "FR", "GR", "HU", "IT", "RO"]


def crowd(count: int, *, languages=("en",), start: int = 1) -> list:
    """`count` people speaking `languages`, living in the countries in turn."""
    return [(start + i, list(languages), COUNTRIES[i % len(COUNTRIES)]) for i in range(count)]


def test_every_team_size_is_within_the_range_and_sizes_differ_by_at_most_one():
    for count in range(2, 40):
        teams, unmatched = propose(crowd(count), size_min=2, size_max=5, languages=["en"])

        sizes = [len(t["members"]) for t in teams]
        assert all(2 <= size <= 5 for size in sizes), (count, sizes)
        assert max(sizes) - min(sizes) <= 1
        assert unmatched == []
        assert sum(sizes) == count


def test_people_who_cannot_fill_a_team_are_unmatched():
    teams, unmatched = propose(crowd(6), size_min=4, size_max=5, languages=["en"])

    assert [len(t["members"]) for t in teams] == [5]
    assert len(unmatched) == 1


def test_a_single_person_is_unmatched_and_no_team_is_formed():
    teams, unmatched = propose([(7, ["en"], "AT")], size_min=2, size_max=5, languages=["en"])

    assert teams == []
    assert unmatched == [7]


def test_each_team_shares_a_language_that_all_its_members_speak():
    people = crowd(7, languages=("uk",)) + crowd(5, languages=("ar", "en"), start=100)
    people += crowd(4, languages=("en", "uk"), start=200)
    speaks = {user_id: languages for user_id, languages, _c in people}

    teams, unmatched = propose(people, size_min=2, size_max=4, languages=["en", "uk", "ar"])

    assert unmatched == []
    for team in teams:
        assert all(team["language"] in speaks[member] for member in team["members"])


def test_people_who_speak_none_of_the_challenge_languages_are_unmatched():
    people = crowd(4) + [(50, ["de"], "AT"), (51, [], "IT")]

    teams, unmatched = propose(people, size_min=2, size_max=4, languages=["en"])

    assert unmatched == [50, 51]
    assert sorted(m for t in teams for m in t["members"]) == [1, 2, 3, 4]


def test_teams_mix_countries_when_the_people_allow():
    # Six from Austria, six from Italy, three teams: each team gets both countries.
    people = [(i, ["en"], "AT") for i in range(1, 7)] + [(i, ["en"], "IT") for i in range(7, 13)]
    country = dict((user_id, c) for user_id, _l, c in people)

    teams, _unmatched = propose(people, size_min=3, size_max=4, languages=["en"])

    assert len(teams) == 3
    for team in teams:
        assert {country[m] for m in team["members"]} == {"AT", "IT"}


def test_one_country_larger_than_the_others_is_spread_over_the_teams():
    people = [(i, ["en"], "AT") for i in range(1, 9)] + [(9, ["en"], "FR"), (10, ["en"], "RO")]
    country = dict((user_id, c) for user_id, _l, c in people)

    teams, _unmatched = propose(people, size_min=2, size_max=5, languages=["en"])

    austrians = [sum(country[m] == "AT" for m in t["members"]) for t in teams]
    assert austrians == [4, 4]
    assert all(len({country[m] for m in t["members"]}) == 2 for t in teams)


def test_the_same_people_in_any_order_give_the_same_proposal():
    people = crowd(9, languages=("uk", "en")) + crowd(8, languages=("ar",), start=30)
    people += crowd(5, languages=("en",), start=60)
    expected = propose(people, size_min=2, size_max=4, languages=["en", "uk", "ar"])

    for seed in range(20):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        assert propose(shuffled, size_min=2, size_max=4, languages=["en", "uk", "ar"]) == expected


def test_the_language_with_the_most_people_is_grouped_first():
    # Four speak only Ukrainian, two speak English and Ukrainian: one Ukrainian team of six is
    # too big, so two Ukrainian teams of three.
    people = crowd(4, languages=("uk",)) + crowd(2, languages=("en", "uk"), start=10)

    teams, unmatched = propose(people, size_min=2, size_max=3, languages=["en", "uk"])

    assert [t["language"] for t in teams] == ["uk", "uk"]
    assert unmatched == []


def test_when_a_language_overflows_people_with_another_language_are_left_for_it():
    # Five speak English (three of them Arabic too), teams of exactly four: the one left out of
    # English is one who also speaks Arabic, who still finds no Arabic team of four.
    people = [(1, ["en"], "AT"), (2, ["en"], "IT"), (3, ["en", "ar"], "FR")]
    people += [(4, ["ar", "en"], "GR"), (5, ["ar", "en"], "RO")]

    teams, unmatched = propose(people, size_min=4, size_max=4, languages=["en", "ar"])

    assert teams == [{"language": "en", "members": [1, 2, 3, 4]}]
    assert unmatched == [5]


def test_a_person_given_twice_is_placed_once():
    people = crowd(3) + [(1, ["en"], "AT")]

    teams, unmatched = propose(people, size_min=3, size_max=3, languages=["en"])

    assert teams == [{"language": "en", "members": [1, 2, 3]}]
    assert unmatched == []


def test_an_impossible_size_range_is_refused():
    with pytest.raises(ValueError):
        propose(crowd(4), size_min=3, size_max=2, languages=["en"])
