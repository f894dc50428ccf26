import pytest

from voices.core.disclosure import disclose_count, disclose_table, drawn_size


def test_it_suppresses_counts_under_ten():
    assert disclose_count(9).is_suppressed
    assert str(disclose_count(3)) == "fewer than 10"


def test_it_rounds_published_counts_to_fives():
    assert disclose_count(12).value == 10
    assert disclose_count(13).value == 15
    assert disclose_count(10).value == 10


def test_it_refuses_negative_counts():
    with pytest.raises(ValueError):
        disclose_count(-1)


def test_a_lone_suppressed_cell_takes_the_smallest_neighbour_with_it():
    table = {
        "Vienna": {"women": 4, "men": 30, "other": 12},
        "Lyon": {"women": 40, "men": 50, "other": 60},
    }

    out = disclose_table(table)

    assert out["Vienna"]["women"].is_suppressed
    assert out["Vienna"]["other"].is_suppressed  # secondary, in the row
    assert out["Lyon"]["women"].is_suppressed  # secondary, in the women column
    assert not out["Vienna"]["men"].is_suppressed


def test_zero_is_published_as_it_is():
    out = disclose_table({"a": {"x": 0, "y": 20}})
    assert out["a"]["x"].value == 0
    assert out["a"]["y"].value == 20


@pytest.mark.parametrize(
    ("count", "drawn"), [(0, 0), (1, 5), (4, 5), (5, 5), (6, 10), (10, 10), (11, 15), (37, 40)]
)
def test_a_mark_on_a_chart_stands_for_its_people_rounded_up(count, drawn):
    assert drawn_size(count) == drawn


def test_a_mark_for_a_negative_number_of_people_is_refused():
    with pytest.raises(ValueError):
        drawn_size(-1)
