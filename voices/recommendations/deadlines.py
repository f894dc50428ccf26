"""Deadline arithmetic, in the council's time zone.

An authority has until the end of a calendar day where the council sits: sent on 1 March with a
60-day rule, the answer is due by the end of 30 April local time, whatever daylight-saving change
falls in between. Stored and compared in UTC; shown in each viewer's own zone.
"""

import datetime

from voices.core.dates import end_of_day, local_date, zone_or_default

# The day arithmetic itself is core's (token expiry uses it too); named here with the rest.
__all__ = ["due_date", "end_of_day", "local_date", "reminder_at"]

# Reminders go out in the morning of the council's day, not at midnight.
REMINDER_HOUR = 9


def due_date(*, sent_at: datetime.datetime, days: int, zone: str) -> datetime.date:
    """The last day to answer: `days` calendar days after the local day it was sent."""
    return local_date(sent_at, zone) + datetime.timedelta(days=days)


def reminder_at(*, due_on: datetime.date, days_before: int, zone: str) -> datetime.datetime:
    """When the reminder `days_before` the last day goes out (in UTC)."""
    day = due_on - datetime.timedelta(days=days_before)
    local = datetime.datetime.combine(
        day, datetime.time(REMINDER_HOUR, 0), tzinfo=zone_or_default(zone)
    )
    return local.astimezone(datetime.UTC)
