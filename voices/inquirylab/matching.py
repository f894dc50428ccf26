"""The team-matching helper: proposes teams for the participants still alone.

Pure and deterministic: no database, no randomness, no dependence on the order of the input.
The organiser reviews its proposal before anything changes (see `team_services.match_propose`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

Person = tuple[int, Sequence[str], str]  # (user id, languages in preference order, country)


def propose(
    people: Iterable[Person], *, size_min: int, size_max: int, languages: Sequence[str]
) -> tuple[list[dict], list[int]]:
    """Group people into teams that share a language, within the size range, mixing countries.

    Returns `(teams, unmatched)`: each team is `{"language": code, "members": [user ids]}` with
    its members in ascending id order; `unmatched` are the ids no team could take, ascending.

    The method, step by step:

    1. People are taken in ascending id order (a person given twice counts once, with their
       first entry). Only the challenge's `languages` count, in each person's own order of
       preference; someone who speaks none of them is unmatched.
    2. Among the people not placed yet, take the language spoken by the most of them (a tie goes
       to the language listed first in `languages`). If fewer than `size_min` people speak it,
       no further team can be formed: stop.
    3. Form teams from its `n` speakers. With `k = ceil(n / size_max)` teams everyone fits; if
       that makes teams smaller than `size_min`, take `k = floor(n / size_min)` teams and only
       `k * size_max` people. Who is left out then (to be tried with another language): first
       those who also speak another of the languages, then those who prefer this language
       less, then the higher ids.
    4. Deal the chosen people to the `k` teams in turn, country by country (countries with the
       most people first, a tie in alphabetical order; within a country by id). Dealing in
       turn keeps sizes within one of each other, and spreads every country over the teams,
       so each team mixes countries as far as the people allow.
    5. Repeat from step 2 with the people still alone.

    The same people always give the same teams, whatever the order they are given in.
    """
    if size_min < 1 or size_max < size_min:
        raise ValueError("Sizes must satisfy 1 <= size_min <= size_max.")
    allowed = list(dict.fromkeys(languages))
    rank_of_language = {code: index for index, code in enumerate(allowed)}

    spoken: dict[int, list[str]] = {}
    country: dict[int, str] = {}
    for user_id, their_languages, their_country in sorted(people, key=lambda p: p[0]):
        if user_id in spoken:
            continue
        spoken[user_id] = [c for c in dict.fromkeys(their_languages) if c in rank_of_language]
        country[user_id] = their_country or ""

    alone = {user_id for user_id, codes in spoken.items() if codes}
    teams: list[dict] = []
    while alone:
        speakers: dict[str, list[int]] = defaultdict(list)
        for user_id in sorted(alone):
            for code in spoken[user_id]:
                speakers[code].append(user_id)
        language = min(speakers, key=lambda code: (-len(speakers[code]), rank_of_language[code]))
        pool = speakers[language]
        if len(pool) < size_min:
            break
        count = -(-len(pool) // size_max)  # ceil
        if len(pool) // count < size_min:
            count = len(pool) // size_min
        # Keep those for whom this language is the only chance, and who prefer it.
        pool.sort(key=lambda u: (len(spoken[u]) > 1, spoken[u].index(language), u))
        chosen = pool[: min(len(pool), count * size_max)]
        for members in _deal(chosen, count, country):
            teams.append({"language": language, "members": sorted(members)})
        alone.difference_update(chosen)

    placed = {user_id for team in teams for user_id in team["members"]}
    return teams, sorted(user_id for user_id in spoken if user_id not in placed)


def _deal(chosen: list[int], count: int, country: dict[int, str]) -> list[list[int]]:
    """Deal people to `count` teams in turn, country by country, so countries spread out."""
    by_country: dict[str, list[int]] = defaultdict(list)
    for user_id in sorted(chosen):
        by_country[country[user_id]].append(user_id)
    order = sorted(by_country, key=lambda c: (-len(by_country[c]), c))
    teams: list[list[int]] = [[] for _ in range(count)]
    for index, user_id in enumerate(u for c in order for u in by_country[c]):
        teams[index % count].append(user_id)
    return teams
