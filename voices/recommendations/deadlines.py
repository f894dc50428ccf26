"""Deadline arithmetic, in the council's time zone.

An authority has until the end of a calendar day where the council sits: sent on 1 March with a
60-day rule, the answer is due by the end of 30 April local time, whatever daylight-saving change
falls in between. Stored and compared in UTC; shown in each viewer's own zone.
"""

import datetime
import zoneinfo

from django.conf import settings

# Reminders go out in the morning of the council's day, not at midnight.
REMINDER_HOUR = 9


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime.datetime, zone: str) -> datetime.date:
    return moment.astimezone(_zone(zone)).date()


def due_date(*, sent_at: datetime.datetime, days: int, zone: str) -> datetime.date:
    """The last day to answer: `days` calendar days after the local day it was sent."""
    return local_date(sent_at, zone) + datetime.timedelta(days=days)


def end_of_day(day: datetime.date, zone: str) -> datetime.datetime:
    """The first moment after `day` in `zone`, in UTC: from then on the answer is late."""
    next_day = day + datetime.timedelta(days=1)
    local = datetime.datetime.combine(next_day, datetime.time(0, 0), tzinfo=_zone(zone))
    return local.astimezone(datetime.UTC)


def reminder_at(*, due_on: datetime.date, days_before: int, zone: str) -> datetime.datetime:
    """When the reminder `days_before` the last day goes out (in UTC)."""
    day = due_on - datetime.timedelta(days=days_before)
    local = datetime.datetime.combine(day, datetime.time(REMINDER_HOUR, 0), tzinfo=_zone(zone))
    return local.astimezone(datetime.UTC)
