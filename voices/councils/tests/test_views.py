"""Council pages: the public list and page, the staff pages and a member's own page."""

import datetime
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voices.accounts.models import Role
from voices.accounts.tests.factories import UserFactory, grant
from voices.councils.models import (
    Council,
    CouncilStatusChange,
    Invitation,
    JoinRequest,
    Membership,
    PolicyDomain,
)
from voices.councils.services import invitation_create
from voices.councils.tests.factories import (
    CouncilFactory,
    JoinRequestFactory,
    MembershipFactory,
    facilitator_of,
)
from voices.directory.tests.factories import (
    CountryFactory,
    OrganisationFactory,
    RegionFactory,
    text,
)

Seat = Membership.Role


def viewer_today():
    """Today where the test users are (the accounts' default zone), as the views date things;
    UTC's date differs between 23:00 and midnight UTC."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo("Europe/Brussels"))


def names(response) -> list[str]:
    return [str(c.name) for c in response.context["page"].object_list]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def url(name: str, council: Council | None = None, **kwargs) -> str:
    if council is not None:
        kwargs["slug"] = council.slug
    return reverse(f"councils:{name}", kwargs=kwargs)


@pytest.fixture
def council(db):
    return CouncilFactory(slug="graz", name=text("Graz Migrant Council"), voting_seats=3)


@pytest.fixture
def facilitator(council):
    return facilitator_of(council, username="fatima", display_name="Fatima")


@pytest.fixture
def shown(council):
    """A member who agreed to be shown publicly, with contact details for the council."""
    return MembershipFactory(
        council=council, user=UserFactory(display_name="Nadia Shown"), is_public=True,
        contact_email="nadia@example.org", contact_phone="+43 660 111",
    )  # fmt: skip


@pytest.fixture
def hidden(council):
    """A member who did not agree to be shown."""
    return MembershipFactory(
        council=council, user=UserFactory(display_name="Karim Hidden"), is_public=False,
        contact_email="karim@example.org",
    )  # fmt: skip


# The list of councils


@pytest.fixture
def councils(db):
    austria, france = CountryFactory(code="AT"), CountryFactory(code="FR", language="fr")
    vienna = CouncilFactory(slug="vienna", name=text("Vienna council"), country=austria)
    vienna.domains.set(PolicyDomain.objects.filter(code="housing"))
    styria = CouncilFactory(
        slug="styria", name=text("Styria council"), country=austria, level="regional"
    )
    styria.domains.set(PolicyDomain.objects.filter(code__in=["health", "education"]))
    lyon = CouncilFactory(slug="lyon", name=text("Lyon council"), country=france)
    lyon.domains.set(PolicyDomain.objects.filter(code="health"))
    return vienna, styria, lyon


@pytest.mark.django_db
def test_the_list_shows_every_council_to_anyone(client, councils):
    response = client.get(url("list"))

    assert response.status_code == 200
    assert sorted(names(response)) == ["Lyon council", "Styria council", "Vienna council"]
    assert "Housing" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ({"country": "at"}, ["Styria council", "Vienna council"]),
        ({"level": "regional"}, ["Styria council"]),
        ({"domain": "health"}, ["Lyon council", "Styria council"]),
        ({"country": "at", "domain": "health"}, ["Styria council"]),
        ({"country": "fr", "level": "local", "domain": "health"}, ["Lyon council"]),
    ],
)
def test_the_list_can_be_filtered_by_country_level_and_domain(client, councils, query, expected):
    response = client.get(url("list"), query)

    assert sorted(names(response)) == expected


@pytest.mark.django_db
def test_an_empty_result_says_so(client, councils):
    response = client.get(url("list"), {"country": "fr", "level": "regional"})

    assert names(response) == []
    assert "No council matches these filters." in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_filter_value_is_shown_as_an_error_instead_of_a_crash(client, councils):
    response = client.get(url("list"), {"level": "galactic", "domain": "nonsense"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"level", "domain"}


@pytest.mark.django_db
def test_the_list_is_paginated_and_the_page_links_keep_the_filters(client):
    austria = CountryFactory(code="AT")
    CouncilFactory.create_batch(25, country=austria)
    CouncilFactory(country=CountryFactory(code="FR", language="fr"))

    first = client.get(url("list"), {"country": "at"})
    second = client.get(url("list"), {"country": "at", "page": 2})

    assert len(first.context["page"].object_list) == 24
    assert len(second.context["page"].object_list) == 1
    assert not set(first.context["page"].object_list) & set(second.context["page"].object_list)
    assert "?country=at&amp;page=2" in first.content.decode()


def make_councils(count: int) -> None:
    network = Council.objects.filter(level="european").first() or CouncilFactory(
        level="european", country=None, slug="network"
    )
    austria = CountryFactory(code="AT")
    domains = list(PolicyDomain.objects.all())
    for number in range(count):
        council = CouncilFactory(
            country=austria, parent=network, host_authority=OrganisationFactory(country=austria)
        )
        council.domains.set(domains[: 1 + number % 3])
        MembershipFactory(council=council)


@pytest.mark.django_db
def test_the_list_needs_the_same_number_of_queries_for_3_or_20_councils(
    client, django_assert_num_queries
):
    make_councils(3)
    client.get(url("list"))  # warm per-process caches

    with CaptureQueriesContext(connection) as few:
        client.get(url("list"))
    make_councils(17)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("list"))

    assert len(response.context["page"].object_list) == 21  # with the network


# The council page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "outsider"])
def test_the_public_sees_only_members_who_agreed_and_no_contact_details(
    client, request, council, shown, hidden, persona
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get(council.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["members"]) == [shown]
    assert "Nadia Shown" in content
    assert "Karim Hidden" not in content
    assert "nadia@example.org" not in content
    assert "karim@example.org" not in content
    assert "+43 660 111" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["member", "facilitator", "coordinator", "admin_user"])
def test_members_facilitators_and_programme_staff_see_contact_details(
    client, request, council, shown, hidden, persona
):
    viewer = (
        MembershipFactory(council=council).user
        if persona == "member"
        else request.getfixturevalue(persona)
    )
    client.force_login(viewer)

    response = client.get(council.get_absolute_url())

    content = response.content.decode()
    assert response.context["sees_contacts"] is True
    assert "nadia@example.org" in content
    assert "+43 660 111" in content
    assert "karim@example.org" in content


@pytest.mark.django_db
def test_members_of_another_council_and_former_members_see_no_contact_details(
    client, council, shown
):
    start = timezone.localdate() - datetime.timedelta(days=800)
    former = MembershipFactory(
        council=council, term_start=start, term_end=start + datetime.timedelta(days=700)
    ).user
    elsewhere = MembershipFactory(council=CouncilFactory()).user

    for viewer in (former, elsewhere):
        client.force_login(viewer)
        response = client.get(council.get_absolute_url())
        assert "nadia@example.org" not in response.content.decode()


@pytest.mark.django_db
def test_the_council_page_shows_its_facts_and_history(client, council):
    council.host_authority = OrganisationFactory(name=text("City of Graz"))
    council.save()
    council.domains.set(PolicyDomain.objects.filter(code="education"))
    council.supporting_organisations.set([OrganisationFactory(name=text("Graz NGO"))])
    CouncilStatusChange.objects.create(
        council=council, status="strengthened", changed_on=datetime.date(2025, 6, 1)
    )

    content = client.get(council.get_absolute_url()).content.decode()

    assert "Graz Migrant Council" in content
    assert "City of Graz" in content
    assert "Graz NGO" in content
    assert "Education" in content
    assert 'datetime="2025-06-01"' in content


@pytest.mark.django_db
def test_an_unknown_council_is_a_404(client):
    assert client.get(url("detail", slug="nowhere")).status_code == 404


def add_members(council: Council, count: int) -> None:
    association = OrganisationFactory(kind="migrant_association")
    for number in range(count):
        MembershipFactory(
            council=council, is_public=number % 2 == 0, contact_email=f"m{number}@example.org",
            role=Seat.ASSOCIATION_REPRESENTATIVE if number % 3 == 0 else Seat.MEMBER,
            association=association if number % 3 == 0 else None,
        )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "member", "coordinator"])
def test_the_council_page_needs_the_same_number_of_queries_for_3_or_20_members(
    client, request, django_assert_num_queries, persona
):
    council = CouncilFactory(voting_seats=100, parent=CouncilFactory(level="european"))
    council.domains.set(PolicyDomain.objects.all())
    if persona == "member":
        client.force_login(MembershipFactory(council=council).user)
    elif persona:
        client.force_login(request.getfixturevalue(persona))
    add_members(council, 3)
    client.get(council.get_absolute_url())  # warm per-process caches

    with CaptureQueriesContext(connection) as few:
        client.get(council.get_absolute_url())
    add_members(council, 17)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(council.get_absolute_url())

    assert len(response.context["members"]) >= 10


# Staff pages: who may open them


STAFF_PAGES = ["edit", "members", "invitations"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "outsider", "officer", "other_facilitator"])
@pytest.mark.parametrize("page", ["create", *STAFF_PAGES])
def test_staff_pages_are_forbidden_to_everyone_else(client, request, council, persona, page):
    viewer = (
        facilitator_of(CouncilFactory())
        if persona == "other_facilitator"
        else request.getfixturevalue(persona)
    )
    client.force_login(viewer)

    response = client.get(url("create") if page == "create" else url(page, council))

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["create", *STAFF_PAGES])
def test_staff_pages_send_visitors_to_the_login_page(client, council, page):
    response = client.get(url("create") if page == "create" else url(page, council))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_the_councils_facilitator_and_coordinators_open_its_staff_pages(
    client, council, facilitator, coordinator, page
):
    for viewer in (facilitator, coordinator):
        client.force_login(viewer)
        assert client.get(url(page, council)).status_code == 200


@pytest.mark.django_db
def test_a_facilitator_cannot_set_up_new_councils(client, facilitator):
    client.force_login(facilitator)

    assert client.get(url("create")).status_code == 403


@pytest.mark.django_db
def test_a_new_facilitator_must_set_up_a_second_factor_first(client, council, participant):
    MembershipFactory(council=council, user=participant, role=Seat.FACILITATOR)
    grant(participant, Role.FACILITATOR, council)
    client.force_login(participant)

    response = client.get(url("members", council))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("member_end", lambda w: {"membership_id": w["membership"].pk}),
        ("join_request_decide", lambda w: {"request_id": w["join"].pk}),
        ("invitation_revoke", lambda w: {"invitation_id": w["invitation"].pk}),
    ],
)
def test_staff_actions_are_forbidden_to_members(client, council, coordinator, name, kwargs):
    membership = MembershipFactory(council=council)
    world = {
        "membership": membership,
        "join": JoinRequestFactory(council=council),
        "invitation": invitation_create(
            actor=coordinator, council=council, role="member", entry="elected"
        )[0],
    }
    client.force_login(membership.user)

    response = client.post(url(name, council, **kwargs(world)), {"decision": "accept"})

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.ended_on is None
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING
    assert Invitation.objects.get().revoked_at is None


# Setting up and editing a council


def council_post(country, **overrides) -> dict:
    data = {
        "name_en": "Linz Migrant Council",
        "slug": "linz",
        "level": "local",
        "country": str(country.pk),
        "status": "establishing",
        "founded_on": "2025-02-01",
        "working_languages": ["de", "en"],
        "domains": [str(d.pk) for d in PolicyDomain.objects.filter(code="employment")],
        "voting_seats": "12",
        "term_months": "36",
        "max_terms": "2",
        "quorum_share": "0.50",
        "majority": "simple",
        "minutes_approval": "vote",
        "response_days": "60",
        "time_zone": "Europe/Vienna",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_coordinator_sets_up_a_council(client, coordinator):
    austria = CountryFactory(code="AT")
    ngo = OrganisationFactory(kind="ngo", country=austria)
    client.force_login(coordinator)

    response = client.post(
        url("create"), council_post(austria, supporting_organisations=[str(ngo.pk)])
    )

    council = Council.objects.get(slug="linz")
    assert response.status_code == 302
    assert response["Location"] == council.get_absolute_url()
    assert str(council.name) == "Linz Migrant Council"
    assert (council.voting_seats, council.term_months) == (12, 36)
    assert list(council.domains.values_list("code", flat=True)) == ["employment"]
    assert list(council.supporting_organisations.all()) == [ngo]
    assert council.status_changes.get().changed_on == datetime.date(2025, 2, 1)
    assert "The council was set up." in messages_of(response)


@pytest.mark.django_db
def test_the_council_form_shows_errors_next_to_the_fields(client, coordinator):
    austria = CountryFactory(code="AT")
    elsewhere = RegionFactory(country=CountryFactory(code="FR", language="fr"))
    client.force_login(coordinator)

    response = client.post(
        url("create"), council_post(austria, name_en="", region=str(elsewhere.pk), max_terms="0")
    )

    content = response.content.decode()
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert {"name", "region", "max_terms"} <= errors.keys()
    assert "Write this in at least one language." in content
    assert "This region is not in the chosen country." in content
    assert "field-errors" in content
    assert not Council.objects.exists()


@pytest.mark.django_db
def test_a_local_council_without_a_country_is_refused_by_the_form(client, coordinator):
    client.force_login(coordinator)
    data = council_post(CountryFactory(code="AT"))
    data["country"] = ""

    response = client.post(url("create"), data)

    assert response.context["form"].errors["country"] == ["Choose the country of the council."]
    assert not Council.objects.exists()


@pytest.mark.django_db
def test_the_councils_facilitator_edits_it_and_a_new_status_is_recorded(
    client, council, facilitator
):
    client.force_login(facilitator)
    data = council_post(
        council.country, slug=council.slug, name_en="Graz council", status="strengthened"
    )
    data.pop("founded_on")

    response = client.post(url("edit", council), data)

    council.refresh_from_db()
    assert response.status_code == 302
    assert (str(council.name), council.status) == ("Graz council", "strengthened")
    change = council.status_changes.get()
    assert (change.status, change.changed_on) == ("strengthened", viewer_today())


# Managing members


@pytest.mark.django_db
def test_the_members_page_lists_everyone_with_their_contacts_and_the_requests(
    client, council, facilitator, hidden
):
    JoinRequestFactory(council=council, user=UserFactory(display_name="Omar Asks"))
    client.force_login(facilitator)

    content = client.get(url("members", council)).content.decode()

    assert "Karim Hidden" in content
    assert "karim@example.org" in content
    assert "Omar Asks" in content


@pytest.mark.django_db
def test_a_facilitator_adds_a_member_by_username(client, council, facilitator):
    newcomer = UserFactory(username="leyla")
    client.force_login(facilitator)

    response = client.post(
        url("members", council),
        {"username": "Leyla", "role": "secretary", "entry": "elected", "term_start": "2026-01-01"},
    )

    membership = Membership.objects.get(user=newcomer)
    assert response.status_code == 302
    assert (membership.role, membership.term_start) == ("secretary", datetime.date(2026, 1, 1))
    assert membership.term_end == datetime.date(2027, 12, 31)


@pytest.mark.django_db
def test_adding_an_unknown_person_shows_an_error_on_the_username(client, council, facilitator):
    client.force_login(facilitator)

    response = client.post(
        url("members", council),
        {"username": "nobody", "role": "member", "entry": "elected", "term_start": "2026-01-01"},
    )

    assert response.context["form"].errors["username"] == ["No active account has this username."]
    assert "No active account has this username." in response.content.decode()


@pytest.mark.django_db
def test_a_broken_seat_rule_is_shown_on_the_members_page(client, council, facilitator):
    MembershipFactory.create_batch(3, council=council)
    UserFactory(username="leyla")
    client.force_login(facilitator)

    response = client.post(
        url("members", council),
        {"username": "leyla", "role": "member", "entry": "elected",
         "term_start": timezone.localdate().isoformat()},
    )  # fmt: skip

    assert response.status_code == 200
    assert "All 3 voting seats are taken for this period." in response.content.decode()
    assert council.memberships.count() == 4  # three members and the facilitator


@pytest.mark.django_db
def test_an_association_representative_without_association_is_refused_on_the_form(
    client, council, facilitator
):
    UserFactory(username="leyla")
    client.force_login(facilitator)

    response = client.post(
        url("members", council),
        {"username": "leyla", "role": "association", "entry": "elected",
         "term_start": timezone.localdate().isoformat()},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Choose the association this member represents." in response.content.decode()
    assert not Membership.objects.filter(user__username="leyla").exists()


@pytest.mark.django_db
def test_the_member_form_needs_a_valid_start_date(client, council, facilitator):
    client.force_login(facilitator)

    response = client.post(
        url("members", council),
        {"username": "x", "role": "member", "entry": "elected", "term_start": "tomorrow"},
    )

    assert "term_start" in response.context["form"].errors


@pytest.mark.django_db
def test_a_facilitator_ends_a_membership(client, council, facilitator, shown):
    client.force_login(facilitator)

    response = client.post(url("member_end", council, membership_id=shown.pk))
    again = client.post(url("member_end", council, membership_id=shown.pk), follow=True)

    shown.refresh_from_db()
    assert response.status_code == 302
    assert shown.ended_on == viewer_today()
    assert "This membership has already ended." in messages_of(again)


@pytest.mark.django_db
def test_a_membership_of_another_council_cannot_be_ended_from_this_one(
    client, council, facilitator
):
    elsewhere = MembershipFactory(council=CouncilFactory())
    client.force_login(facilitator)

    response = client.post(url("member_end", council, membership_id=elsewhere.pk))

    elsewhere.refresh_from_db()
    assert response.status_code == 404
    assert elsewhere.ended_on is None


@pytest.mark.django_db
@pytest.mark.parametrize("decision, status", [("accept", "accepted"), ("decline", "declined")])
def test_a_facilitator_answers_a_request_to_join(client, council, facilitator, decision, status):
    join = JoinRequestFactory(council=council)
    client.force_login(facilitator)

    response = client.post(
        url("join_request_decide", council, request_id=join.pk), {"decision": decision}
    )

    join.refresh_from_db()
    assert response.status_code == 302
    assert join.status == status
    assert Membership.objects.filter(user=join.user).exists() is (decision == "accept")


# Invitation links


@pytest.mark.django_db
def test_a_new_invitation_link_is_shown_once(client, council, facilitator):
    client.force_login(facilitator)

    created = client.post(url("invitations", council), {"role": "observer", "entry": "coopted"})
    later = client.get(url("invitations", council))

    link = created.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert link.startswith("http://testserver/en/councils/join/")
    assert link in created.content.decode()
    assert token not in later.content.decode()
    assert (invitation.role, invitation.entry, invitation.created_by) == (
        "observer",
        "coopted",
        facilitator,
    )


@pytest.mark.django_db
def test_an_invitation_link_lets_a_signed_in_person_join(client, council, coordinator, participant):
    _invitation, raw = invitation_create(
        actor=coordinator, council=council, role="vice_chair", entry="elected"
    )
    client.force_login(participant)

    page = client.get(url("invitation_accept", token=raw))
    response = client.post(url("invitation_accept", token=raw))
    again = client.get(url("invitation_accept", token=raw))

    membership = Membership.objects.get(user=participant)
    assert page.status_code == 200
    assert "Vice-chair" in page.content.decode()
    assert response["Location"] == council.get_absolute_url()
    assert (membership.role, membership.term_start) == ("vice_chair", viewer_today())
    assert again.status_code == 404
    assert "This invitation link does not work" in again.content.decode()


@pytest.mark.django_db
def test_an_invitation_link_needs_a_login(client, council, coordinator):
    _invitation, raw = invitation_create(
        actor=coordinator, council=council, role="member", entry="elected"
    )

    response = client.post(url("invitation_accept", token=raw))

    assert response["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_a_withdrawn_invitation_link_no_longer_works(client, council, facilitator, participant):
    invitation, raw = invitation_create(
        actor=facilitator, council=council, role="member", entry="elected"
    )
    client.force_login(facilitator)
    client.post(url("invitation_revoke", council, invitation_id=invitation.pk))
    client.force_login(participant)

    response = client.post(url("invitation_accept", token=raw))

    assert response.status_code == 404
    assert not Membership.objects.filter(user=participant).exists()


@pytest.mark.django_db
def test_a_made_up_invitation_link_is_a_404(client, participant):
    client.force_login(participant)

    assert client.get(url("invitation_accept", token="made-up")).status_code == 404


# Asking to join


@pytest.mark.django_db
def test_a_signed_in_person_asks_to_join_and_then_sees_that_they_are_waiting(
    client, council, facilitator, participant
):
    client.force_login(participant)

    response = client.post(url("join", council), {"message": "I speak Dari and German."})
    page = client.get(council.get_absolute_url())
    again = client.post(url("join", council), {"message": "Again"})

    join = JoinRequest.objects.get()
    assert response["Location"] == council.get_absolute_url()
    assert (join.user, join.message) == (participant, "I speak Dari and German.")
    assert "You asked to join. A facilitator will answer you." in page.content.decode()
    assert "You have already asked to join." in again.content.decode()
    assert facilitator.notifications.count() == 1


@pytest.mark.django_db
def test_a_member_is_told_they_are_already_in_the_council(client, council, shown):
    client.force_login(shown.user)

    response = client.post(url("join", council), {"message": ""})

    assert "You are already a member of this council." in response.content.decode()
    assert not JoinRequest.objects.exists()


# A member's own page


@pytest.mark.django_db
def test_a_member_chooses_to_be_shown_and_how_to_be_reached(client, council, hidden):
    client.force_login(hidden.user)

    page = client.get(url("own_membership", council))
    response = client.post(
        url("own_membership", council),
        {"is_public": "on", "contact_email": "karim@example.net", "contact_phone": "0660 2"},
    )

    hidden.refresh_from_db()
    assert page.status_code == 200
    assert response["Location"] == council.get_absolute_url()
    assert (hidden.is_public, hidden.contact_email, hidden.contact_phone) == (
        True,
        "karim@example.net",
        "0660 2",
    )
    client.logout()
    assert "Karim Hidden" in client.get(council.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_own_membership_form_shows_field_errors(client, council, hidden):
    client.force_login(hidden.user)

    response = client.post(
        url("own_membership", council), {"contact_email": "not an address", "contact_phone": ""}
    )

    hidden.refresh_from_db()
    assert response.status_code == 200
    assert "contact_email" in response.context["form"].errors
    assert "Enter a valid email address." in response.content.decode()
    assert hidden.contact_email == "karim@example.org"


@pytest.mark.django_db
def test_someone_without_a_seat_has_no_own_membership_page(client, council, outsider):
    client.force_login(outsider)

    assert client.get(url("own_membership", council)).status_code == 403


@pytest.mark.django_db
def test_an_administrator_without_a_seat_gets_a_404_on_the_own_membership_page(
    client, council, admin_user
):
    client.force_login(admin_user)

    assert client.get(url("own_membership", council)).status_code == 404
