import pytest

from voices.consultations.models import Phase
from voices.consultations.tests.factories import ConsultationFactory
from voices.directory.tests.factories import text


@pytest.mark.django_db
def test_the_home_page_lists_consultations_open_for_contributions_and_supports(client):
    ConsultationFactory(title=text("Open for proposals"), phase=Phase.CONTRIBUTIONS)
    ConsultationFactory(title=text("Open for supports"), phase=Phase.DELIBERATION)
    ConsultationFactory(title=text("Not started"), phase=Phase.INFORMATION)
    ConsultationFactory(title=text("Being answered"), phase=Phase.ANSWERS)
    ConsultationFactory(title=text("A draft"), is_published=False)

    page = client.get("/en/").content.decode()

    assert "Open for proposals" in page
    assert "Open for supports" in page
    for hidden in ("Not started", "Being answered", "A draft"):
        assert hidden not in page
    assert "No consultation is open right now." not in page


@pytest.mark.django_db
def test_the_home_page_says_so_when_no_consultation_is_open(client):
    ConsultationFactory(phase=Phase.CLOSED)

    assert "No consultation is open right now." in client.get("/en/").content.decode()
