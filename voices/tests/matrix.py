from voices.core.tests.matrix import EVERYONE, SIGNED_IN, Case

CASES = [
    Case("home", EVERYONE),
    Case("healthz", EVERYONE),
    Case("api:openapi-json", EVERYONE),
    Case("api:openapi-view", EVERYONE),
    Case("api:api-root", frozenset(), reason="django-ninja's root exists only for reverse()"),
    Case("api:countries", EVERYONE),
    Case("api:country", EVERYONE, kwargs=lambda w: {"code": "AT"}),
    Case("api:organisations", EVERYONE),
    Case("api:organisation", EVERYONE, kwargs=lambda w: {"slug": w.other_org.slug}),
    Case("api:me", SIGNED_IN),
    Case("api:councils", EVERYONE),
    Case("api:council", EVERYONE, kwargs=lambda w: {"slug": w.other_council.slug}),
    Case("api:council_meetings", EVERYONE, kwargs=lambda w: {"slug": w.other_council.slug}),
    Case("api:meeting", EVERYONE, kwargs=lambda w: {"meeting_id": w.other_meeting.pk}),
    Case("api:meeting_minutes", EVERYONE, kwargs=lambda w: {"meeting_id": w.other_meeting.pk}),
    Case("api:meeting_ballots", EVERYONE, kwargs=lambda w: {"meeting_id": w.other_meeting.pk}),
    Case(
        "api:unknown-path",
        frozenset(),
        reason="a path the API does not know answers 404 in the API's error format",
    ),
]
