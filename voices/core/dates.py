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
