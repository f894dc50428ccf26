"""Calendar files (iCalendar, RFC 5545) for meetings; public parts only, never the online link."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .meeting_models import Meeting
from .models import Council


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Voices//Migrant councils//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.VOICES_SITE_NAME.lower()}")
    event.add("summary", f"{meeting.council}: {meeting.title}")
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", meeting.updated_at or timezone.now())
    if meeting.place:
        event.add("location", meeting.place)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def meeting_calendar(meeting: Meeting) -> bytes:
    calendar = _calendar(str(meeting.council))
    calendar.add_component(_event(meeting))
    return calendar.to_ical()


def council_calendar(council: Council) -> bytes:
    calendar = _calendar(str(council))
    for meeting in Meeting.objects.filter(council=council).select_related("council"):
        calendar.add_component(_event(meeting))
    return calendar.to_ical()
