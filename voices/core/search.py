"""The one search helper: PostgreSQL full-text search where available, a simpler match on SQLite.

:func:`search_filter` narrows any queryset to the rows matching every word of a query in any of
the given fields, so lists, the API and exports search the same way.

* **PostgreSQL**: a ``simple``-configuration text search (lower-cased words, no stemming: the site
  has 11 languages and a query's language is unknown, and ``simple`` treats them all alike), with
  web-search syntax (``"a phrase"``, ``-word``, ``or``) and the rows ranked best first. A query of
  plain words matches its last word as a prefix too, so ``migrant coun`` finds "migrant council".
* **SQLite**: every word (at most 8) must occur, anywhere in a word, in one of the fields.
  SQLite folds only ASCII letters to lower case, so a non-ASCII word is also tried lower-cased,
  capitalised and upper-cased (``δήμος`` finds "Δήμος"); other mixes of case are missed.

A :class:`~voices.core.translation.TranslatableField` is searched in each language's value (not
its keys, or "en" and "de" would match every row). Another JSON field is searched as its JSON
text: on SQLite that text has non-ASCII letters escaped, so only ASCII words are found in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import F, FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from voices.core.translation import TranslatableField, language_codes

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# Words that web-search syntax reads as an operator; a query holding one is taken as written.
_WEBSEARCH_OPERATORS = {"or"}


def search_filter(queryset: QuerySet, query: str, *, fields: Sequence[str]) -> QuerySet:
    """Return the rows of `queryset` matching every word of `query` in any of `fields`.

    Always annotates ``search_rank``: on PostgreSQL the text-search rank, with the rows ordered
    by it (best first, then by primary key); on SQLite 0.0, in the queryset's own order. Fields
    are names on the model or paths through foreign keys (``council__name``).
    """
    if not fields:
        raise ValueError("search_filter needs at least one field to search.")
    query = query.replace("\x00", "").strip()[:MAX_QUERY_LENGTH].strip()
    if not query:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _postgres_search(queryset, query, fields)
    return _simple_search(queryset, query, fields)


def _postgres_search(queryset: QuerySet, query: str, fields: Sequence[str]) -> QuerySet:
    texts = [text for name in fields for text in _texts(queryset.model, name)]
    vector = SearchVector(*texts, config="simple")
    search_query = _postgres_query(query)
    return (
        queryset.alias(search_document=vector)
        .filter(search_document=search_query)
        .annotate(search_rank=SearchRank(F("search_document"), search_query))
        .order_by("-search_rank", "pk")
    )


def _postgres_query(query: str) -> SearchQuery:
    full = SearchQuery(query, search_type="websearch", config="simple")
    words = query.split()
    is_plain = all(word.isalnum() and word.lower() not in _WEBSEARCH_OPERATORS for word in words)
    if not is_plain:
        return full
    # Only letters and digits, so the quoted lexeme below cannot carry tsquery syntax.
    prefix = SearchQuery(f"'{words[-1]}':*", search_type="raw", config="simple")
    if len(words) == 1:
        return prefix
    rest = SearchQuery(" ".join(words[:-1]), search_type="websearch", config="simple")
    return rest & prefix


def _simple_search(queryset: QuerySet, query: str, fields: Sequence[str]) -> QuerySet:
    words = [word for word in query.split() if word][:MAX_WORDS]
    lookups = [
        lookup
        for name in fields
        for lookup in (
            [f"{name}__{code}" for code in language_codes()]
            if isinstance(_field(queryset.model, name), TranslatableField)
            else [name]
        )
    ]
    condition = Q()
    for word in words:
        matches = [
            Q(**{f"{lookup}__icontains": form}) for lookup in lookups for form in _forms(word)
        ]
        condition &= reduce(or_, matches)
    return queryset.filter(condition).annotate(search_rank=Value(0.0, output_field=FloatField()))


def _forms(word: str) -> list[str]:
    if word.isascii():
        return [word]
    return list(dict.fromkeys([word, word.lower(), word.capitalize(), word.upper()]))


def _texts(model: type[models.Model], name: str) -> list[Combinable]:
    field = _field(model, name)
    if isinstance(field, TranslatableField):
        return [KeyTextTransform(code, name) for code in language_codes()]
    if isinstance(field, models.JSONField):
        return [Cast(name, TextField())]
    return [F(name)]


def _field(model: type[models.Model], name: str) -> models.Field:
    *relations, last = name.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(last)
