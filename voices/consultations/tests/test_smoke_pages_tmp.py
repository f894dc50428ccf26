import pytest
from django.urls import reverse
from voices.consultations import services
from voices.consultations.models import Phase
from voices.consultations.tests.factories import (
    ConsultationFactory,
    ProposalFactory,
    CommentFactory,
)


@pytest.mark.django_db
def test_pages(client, consultation, participant, officer):
    p = ProposalFactory(consultation=consultation, author=participant)
    c = CommentFactory(proposal=p, consultation=consultation)
    CommentFactory(proposal=None, consultation=consultation)
    urls = [
        reverse("consultations:list"),
        reverse("consultations:search") + "?q=Proposal",
        consultation.get_absolute_url(),
        reverse("consultations:proposals", args=[consultation.pk]),
        p.get_absolute_url(),
        reverse("consultations:results", args=[consultation.pk]),
        reverse("consultations:export", args=[consultation.pk]),
    ]
    for u in urls:
        r = client.get(u)
        assert r.status_code == 200, (u, r.status_code)
    client.force_login(participant)
    for u in urls + [
        reverse("consultations:proposal_create", args=[consultation.pk]),
        reverse("consultations:report", args=["comment", c.pk]),
        reverse("consultations:translate", args=["comment", c.pk]) + "?to=fr",
        reverse("consultations:proposal_edit", args=[p.pk]),
    ]:
        r = client.get(u)
        assert r.status_code == 200, (u, r.status_code)
    r = client.post(
        reverse("consultations:proposal_create", args=[consultation.pk]),
        {"title": "Proposal about classes", "body": "x", "language": "en"},
    )
    assert r.status_code == 200 and b"look similar" in r.content
    r = client.post(
        reverse("consultations:proposal_comment_create", args=[consultation.pk, p.pk]),
        {"body": "hi", "stance": "for", "language": "en"},
    )
    assert r.status_code == 302
    client.force_login(officer)
    for u in [
        reverse("consultations:moderation", args=[consultation.pk]),
        reverse("consultations:edit", args=[consultation.pk]),
        reverse("consultations:create"),
    ]:
        r = client.get(u)
        assert r.status_code == 200, (u, r.status_code)
    r = client.get(reverse("consultations:report_pdf", args=[consultation.pk]))
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
