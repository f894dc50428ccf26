"""The opinion map's Pol.is-format CSV files (see `exports`), streamed."""

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from voices.core.permissions import check_perm

from . import exports, selectors
from .rules import PERSON_LEVEL_FILES


def export_csv(request: HttpRequest, consultation_id: int, file: str) -> HttpResponse:
    """One file of the map's export (comments, votes, participants-votes or summary).

    The statements and the summary follow the consultation's own contributions export
    (`consultations.export_consultation`: everyone once the consultation is published, its staff
    before). The files with each participant's votes and group are for those who run or moderate
    the map (`opinions.export_votes`): small groups are hidden on the map page, and a file of
    every pseudonym's votes would show them. No file holds database ids or text a reader of the
    map cannot read.
    """
    if file not in exports.FILES:
        raise Http404
    opinion_map = selectors.map_for_consultation(consultation_id, user=request.user)
    consultation = opinion_map.consultation
    check_perm(request.user, "consultations.export_consultation", consultation)
    if file in PERSON_LEVEL_FILES:
        check_perm(request.user, "opinions.export_votes", opinion_map)
    url = request.build_absolute_uri(consultation.get_absolute_url())
    rows = exports.export_rows(opinion_map, file, url=url)
    response = StreamingHttpResponse(
        exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="opinion-map-{consultation.pk}-{file}.csv"'
    )
    return response
