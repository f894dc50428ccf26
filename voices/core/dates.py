"""Calendar days in a given time zone, as moments in UTC (deadlines, expiry dates)."""

import datetime
import zoneinfo

from django.conf import settings


def zone_or_default(name: str) -> zoneinfo.ZoneInfo:
    """The named zone, or the site's if the name is unknown."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime.datetime, zone: str) -> datetime.date:
    return moment.astimezone(zone_or_default(zone)).date()


def end_of_day(day: datetime.date, zone: str) -> datetime.datetime:
    """The first moment after `day` in `zone`, in UTC: from then on, `day` is over."""
    next_day = day + datetime.timedelta(days=1)
    local = datetime.datetime.combine(next_day, datetime.time(0, 0), tzinfo=zone_or_default(zone))
    return local.astimezone(datetime.UTC)


# Processes whose step comes from their dates (a consultation's phases, a challenge's stages):
# `starts` is ((step, date field), ...) in order; the step is never a status to remember.
Starts = tuple[tuple[str, str], ...]


def step_at(obj, starts: Starts, at: datetime.datetime, before: str) -> str:
    """The last step whose start `at` has reached, or `before` when none has."""
    current = before
    for step, field in starts:
        if at >= getattr(obj, field):
            current = step
    return current


def steps_timeline(obj, starts: Starts, labels) -> list[tuple]:
    """Each step with its label, start and end (the last has no end)."""
    dates = [getattr(obj, field) for _step, field in starts]
    return [
        (step, labels(step).label, start, end)
        for (step, _field), start, end in zip(starts, dates, [*dates[1:], None], strict=True)
    ]


def steps_out_of_order(obj, starts: Starts) -> list[str]:
    """The date fields that start before the step ahead of them."""
    dates = [(field, getattr(obj, field)) for _step, field in starts]
    return [
        later_field
        for (_field, earlier), (later_field, later) in zip(dates, dates[1:], strict=False)
        if earlier and later and later < earlier
    ]
