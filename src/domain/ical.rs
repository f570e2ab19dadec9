//! Hearings as iCalendar (RFC 5545, with the iTIP methods of RFC 5546): the invitation and its
//! updates (`METHOD:REQUEST`, the same UID and a rising SEQUENCE), the cancellation
//! (`METHOD:CANCEL`), and a member's feed (`METHOD:PUBLISH`). Times are local to
//! Europe/Amsterdam, with the time zone written out so every client reads the same hour.

use chrono::{DateTime, NaiveDateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property};

/// The iTIP method of a calendar object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// An invitation, or an update of one.
    Request,
    /// The event is called off.
    Cancel,
    /// A read-only feed.
    Publish,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
            Method::Publish => "PUBLISH",
        }
    }
}

/// A person on the invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One hearing as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HearingEvent {
    /// Stable for the life of the hearing.
    pub uid: String,
    /// Rises with every change the attendees are told about.
    pub sequence: u32,
    pub summary: String,
    pub description: String,
    pub location: String,
    /// Local time in Europe/Amsterdam.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// When this version was made.
    pub stamp: DateTime<Utc>,
    pub cancelled: bool,
    pub organizer: Person,
    /// The chair of the panel leads the hearing (ROLE=CHAIR).
    pub chair: Option<Person>,
    pub attendees: Vec<Person>,
}

pub const TZID: &str = "Europe/Amsterdam";

/// The Europe/Amsterdam rules in force since 1996 (last Sunday of March and of October); the
/// icalendar crate has no VTIMEZONE builder.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Amsterdam\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

fn local(dt: NaiveDateTime) -> CalendarDateTime {
    CalendarDateTime::WithTimezone { date_time: dt, tzid: TZID.to_owned() }
}

fn mailto(role: &str, p: &Person) -> Property {
    let mut prop = Property::new(role, format!("mailto:{}", p.email));
    prop.add_parameter("CN", &p.name);
    prop
}

fn event(e: &HearingEvent, method: Method) -> icalendar::Event {
    let mut ev = icalendar::Event::new();
    ev.uid(&e.uid)
        .sequence(e.sequence)
        .timestamp(e.stamp)
        .summary(&e.summary)
        .description(&e.description)
        .location(&e.location)
        .starts(local(e.start))
        .ends(local(e.end))
        .status(if e.cancelled || method == Method::Cancel { EventStatus::Cancelled } else { EventStatus::Confirmed })
        .append_property(mailto("ORGANIZER", &e.organizer));
    let chair = e.chair.iter().map(|p| (p, "CHAIR"));
    for (p, role) in chair.chain(e.attendees.iter().map(|p| (p, "REQ-PARTICIPANT"))) {
        let mut a = mailto("ATTENDEE", p);
        a.add_parameter("ROLE", role);
        if method == Method::Request {
            a.add_parameter("PARTSTAT", "NEEDS-ACTION");
            a.add_parameter("RSVP", "TRUE");
        }
        ev.append_multi_property(a);
    }
    ev.done()
}

/// The calendar object: `events` under `method`, with the time zone they use.
pub fn calendar(method: Method, name: Option<&str>, events: &[HearingEvent]) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//Klachtencommissie//Zaaksysteem//NL"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", method.code()));
    if let Some(n) = name {
        cal.append_property(Property::new("X-WR-CALNAME", n));
        cal.append_property(Property::new("X-WR-TIMEZONE", TZID));
    }
    for e in events {
        cal.push(event(e, method));
    }
    let text = cal.done().to_string();
    // The VTIMEZONE goes before the first component that refers to it.
    match text.find("BEGIN:VEVENT") {
        Some(i) => format!("{}{VTIMEZONE}{}", &text[..i], &text[i..]),
        None => text.replace("END:VCALENDAR", &format!("{VTIMEZONE}END:VCALENDAR")),
    }
}

/// The stable UID of a hearing: its random token on the commission's domain.
pub fn uid(token: &str, domain: &str) -> String {
    format!("zitting-{token}@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(n: &str, e: &str) -> Person {
        Person { name: n.into(), email: e.into() }
    }

    fn hearing(sequence: u32) -> HearingEvent {
        HearingEvent {
            uid: "zitting-abc@commissie.nl".into(),
            sequence,
            summary: "Hoorzitting 2026-0042".into(),
            description: "Klacht over de bejegening, met een komma, en; puntkomma".into(),
            location: "Utrecht, Oudegracht 1".into(),
            start: "2026-12-10T14:00:00".parse().unwrap(),
            end: "2026-12-10T15:30:00".parse().unwrap(),
            stamp: "2026-11-23T10:00:00Z".parse().unwrap(),
            cancelled: false,
            organizer: person("Secretariaat", "secretariaat@commissie.nl"),
            chair: Some(person("mr. A. de Boer", "boer@example.nl")),
            attendees: vec![person("drs. B. Smit", "smit@example.nl")],
        }
    }

    /// Unfolds the content lines (RFC 5545 3.1).
    fn lines(s: &str) -> Vec<String> {
        s.replace("\r\n ", "").split("\r\n").map(str::to_owned).collect()
    }

    #[test]
    fn an_invitation_is_a_request_in_amsterdam_time() {
        let text = calendar(Method::Request, None, &[hearing(0)]);
        let l = lines(&text);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(l.contains(&"METHOD:REQUEST".to_owned()));
        assert!(l.contains(&"UID:zitting-abc@commissie.nl".to_owned()));
        assert!(l.contains(&"SEQUENCE:0".to_owned()));
        assert!(l.contains(&"DTSTART;TZID=Europe/Amsterdam:20261210T140000".to_owned()), "{text}");
        assert!(l.contains(&"DTEND;TZID=Europe/Amsterdam:20261210T153000".to_owned()));
        assert!(l.contains(&"STATUS:CONFIRMED".to_owned()));
        assert!(l.iter().any(|x| x.starts_with("ORGANIZER;CN=Secretariaat:mailto:secretariaat@commissie.nl")));
        assert!(
            l.iter().any(|x| x.starts_with("ATTENDEE") && x.contains("ROLE=CHAIR") && x.contains("boer@example.nl"))
        );
        assert!(l.iter().any(|x| x.contains("ROLE=REQ-PARTICIPANT") && x.contains("RSVP=TRUE")));
        assert!(l.contains(&"TZID:Europe/Amsterdam".to_owned()));
        assert!(text.find("BEGIN:VTIMEZONE").unwrap() < text.find("BEGIN:VEVENT").unwrap());
        assert!(l.iter().any(|x| x.starts_with("DESCRIPTION:") && x.contains("\\,") && x.contains("\\;")), "{text}");
        assert!(text.lines().all(|x| x.len() <= 75), "lines are folded");
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_raises_the_sequence() {
        let text = calendar(Method::Cancel, None, &[HearingEvent { cancelled: true, ..hearing(2) }]);
        let l = lines(&text);
        assert!(l.contains(&"METHOD:CANCEL".to_owned()));
        assert!(l.contains(&"STATUS:CANCELLED".to_owned()));
        assert!(l.contains(&"SEQUENCE:2".to_owned()));
        assert!(l.contains(&"UID:zitting-abc@commissie.nl".to_owned()));
        assert!(!text.contains("RSVP"), "nothing to answer on a cancellation");
    }

    #[test]
    fn a_feed_publishes_every_hearing() {
        let other = HearingEvent { uid: "zitting-def@commissie.nl".into(), ..hearing(1) };
        let text = calendar(Method::Publish, Some("Zittingen mr. A. de Boer"), &[hearing(0), other]);
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(text.contains("METHOD:PUBLISH"));
        assert!(text.contains("X-WR-CALNAME:Zittingen mr. A. de Boer"));
        let empty = calendar(Method::Publish, Some("Leeg"), &[]);
        assert!(empty.contains("BEGIN:VTIMEZONE") && empty.ends_with("END:VCALENDAR\r\n"), "{empty}");
    }
}
