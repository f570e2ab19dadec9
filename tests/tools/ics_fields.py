"""Reads iCalendar files with the independent `icalendar` package (PyPI) and prints, as JSON,
the fields the integration tests compare: one object per file with its method and events."""
import json
import sys

import icalendar


def person(v):
    return {"email": str(v).removeprefix("mailto:"), "cn": str(v.params.get("CN", "")), "role": str(v.params.get("ROLE", ""))}


out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    events = []
    for ev in cal.walk("VEVENT"):
        start = ev.decoded("DTSTART")
        end = ev.decoded("DTEND")
        attendees = ev.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        events.append({
            "uid": str(ev["UID"]),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "status": str(ev.get("STATUS", "")),
            "summary": str(ev.get("SUMMARY", "")),
            "location": str(ev.get("LOCATION", "")),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "tz": str(start.tzinfo.key if hasattr(start.tzinfo, "key") else start.tzinfo),
            "utc_offset": start.utcoffset().total_seconds() / 3600,
            "organizer": person(ev["ORGANIZER"]),
            "attendees": [person(a) for a in attendees],
        })
    timezones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    out.append({"method": str(cal.get("METHOD", "")), "timezones": timezones, "events": events})
print(json.dumps(out))
