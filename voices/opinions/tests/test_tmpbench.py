import time
import pytest
from voices.opinions.exports import polis_import, export_rows, csv_lines
from voices.opinions.models import OpinionMap

@pytest.mark.django_db
@pytest.mark.parametrize("name", ["vtaiwan.uberx", "american-assembly.bowling-green", "15-per-hour-seattle", "london.youth.policing"])
def test_bench(consultation, name, django_assert_max_num_queries):
    t = time.perf_counter()
    s = polis_import(consultation=consultation, folder=f"/work/shared/polis/{name}", analyse=False)
    t1 = time.perf_counter()
    from voices.opinions import services
    a = services.analysis_run(map_id=s.opinion_map.pk)
    t2 = time.perf_counter()
    sizes = {}
    for f in ("comments", "votes", "participants-votes", "summary"):
        sizes[f] = sum(len(x) for x in csv_lines(export_rows(s.opinion_map, f)))
    t3 = time.perf_counter()
    print(f"\n{name}: {s.statements} st {s.participants} p {s.votes} v from {s.votes_from}; import {t1-t:.2f}s analysis {t2-t1:.2f}s groups {len(a.result['groups'])} export {t3-t2:.2f}s {sizes}")
