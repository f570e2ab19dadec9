//! Import of a school's holiday calendar, uploaded by an administrator as iCalendar (`.ics`) or CSV.
//! Pure: the caller reads the upload and stores the periods. Every problem is collected, so the
//! administrator can fix the file in one go; messages are Dutch because they are shown as they are.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate};

/// One holiday period as imported: inclusive first and last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPeriod {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "regel {n}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ics,
    Csv,
}

/// Longer than this is almost certainly a typo in a month or year.
const MAX_DAYS: i64 = 100;
const NO_PERIODS: &str = "Het bestand bevat geen vakanties.";
const NO_RRULE: &str =
    "herhalende afspraken (RRULE) worden niet ondersteund; exporteer de vakanties als losse afspraken";

/// Detects the format from the file name (".ics" / ".csv", case-insensitive) or, failing that, from the content (BEGIN:VCALENDAR).
pub fn detect(file_name: &str, content: &str) -> Option<Format> {
    let name = file_name.to_ascii_lowercase();
    if name.ends_with(".ics") {
        Some(Format::Ics)
    } else if name.ends_with(".csv") {
        Some(Format::Csv)
    } else {
        let head = strip_bom(content).trim_start();
        head.get(..15).is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCALENDAR")).then_some(Format::Ics)
    }
}

/// Parses the file; returns the periods sorted by `from`, or every error found (not just the first).
pub fn parse(format: Format, content: &str) -> Result<Vec<ImportedPeriod>, Vec<ImportError>> {
    let mut imp = Import::default();
    let content = strip_bom(content);
    match format {
        Format::Ics => parse_ics(content, &mut imp),
        Format::Csv => parse_csv(content, &mut imp),
    }
    if imp.periods.is_empty() && imp.errors.is_empty() {
        imp.errors.push(ImportError { line: None, message: NO_PERIODS.into() });
    }
    if !imp.errors.is_empty() {
        // Event-level ICS errors are found at END:VEVENT, after the property errors below them.
        imp.errors.sort_by_key(|e| e.line);
        return Err(imp.errors);
    }
    imp.periods.sort_by_key(|p| p.from);
    Ok(imp.periods)
}

/// Spreadsheets on Windows like to start UTF-8 files with a byte-order mark.
fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s)
}

#[derive(Default)]
struct Import {
    periods: Vec<ImportedPeriod>,
    errors: Vec<ImportError>,
}

impl Import {
    fn error(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(ImportError { line: Some(line), message: message.into() });
    }

    /// The plausibility checks both formats share; only a sensible period is kept.
    fn add(&mut self, line: usize, name: String, from: NaiveDate, to: NaiveDate) {
        let (days, f, t) = ((to - from).num_days() + 1, nl(from), nl(to));
        let msg = if let Some(d) = [from, to].into_iter().find(|d| !(2000..=2100).contains(&d.year())) {
            format!("'{}' ligt niet tussen 2000 en 2100; controleer het jaartal", nl(d))
        } else if to < from {
            format!("de laatste dag ({t}) van '{name}' ligt vóór de eerste dag ({f})")
        } else if days > MAX_DAYS {
            format!("de periode '{name}' ({f} t/m {t}) duurt langer dan {MAX_DAYS} dagen ({days}); controleer de data")
        } else {
            self.periods.push(ImportedPeriod { name, from, to });
            return;
        };
        self.error(line, msg);
    }
}

fn nl(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A number made of ASCII digits only (`str::parse` would also accept a sign).
fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Names are shown on one line, so newlines and runs of spaces collapse to one space.
fn clean(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---- iCalendar ----

/// A DTSTART/DTEND reduced to its date; `midnight` marks all-day values and date-times at
/// 00:00:00, the two cases in which DTEND is exclusive.
#[derive(Clone, Copy)]
struct IcsDate {
    date: NaiveDate,
    midnight: bool,
}

#[derive(Default)]
struct Event {
    line: usize,
    summary: String,
    start: Option<IcsDate>,
    end: Option<IcsDate>,
    days: Option<u64>,
    broken: bool,
}

fn parse_ics(content: &str, imp: &mut Import) {
    // Open components, so that VTIMEZONE and VALARM properties (VALARM has its own DURATION) are ignored.
    let mut stack: Vec<String> = Vec::new();
    let mut event: Option<Event> = None;
    for (line, text) in unfold(content) {
        let Some((name, params, value)) = split_property(&text) else { continue };
        match name.as_str() {
            "BEGIN" => {
                let component = value.trim().to_ascii_uppercase();
                if component == "VEVENT" {
                    event = Some(Event { line, ..Event::default() });
                }
                stack.push(component);
            }
            "END" => {
                // Closing an outer component also closes what it contains; an unclosed VEVENT stays pending.
                let component = value.trim().to_ascii_uppercase();
                if let Some(i) = stack.iter().rposition(|c| *c == component) {
                    stack.truncate(i);
                }
                if component == "VEVENT"
                    && let Some(ev) = event.take()
                {
                    finish_event(ev, imp);
                }
            }
            _ if stack.last().map(String::as_str) != Some("VEVENT") => {}
            _ => {
                if let Some(ev) = event.as_mut()
                    && let Err(msg) = event_property(ev, &name, &params, value)
                {
                    ev.broken = true;
                    imp.error(line, msg);
                }
            }
        }
    }
    if let Some(ev) = event {
        imp.error(ev.line, "afspraak zonder END:VEVENT; is het bestand volledig?");
    }
}

/// Joins folded lines (continuations start with a space or tab), keeping the line number where each starts.
fn unfold(content: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in content.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some((_, prev))) => prev.push_str(rest),
            _ if raw.trim().is_empty() => {}
            _ => lines.push((i + 1, raw.to_string())),
        }
    }
    lines
}

/// Splits `NAME;PARAM=X:value` into the upper-case name, the params and the value; a ':' inside a
/// quoted param value (e.g. a TZID) is not the separator.
fn split_property(line: &str) -> Option<(String, Vec<&str>, &str)> {
    let mut quoted = false;
    let (colon, _) = line.char_indices().find(|&(_, c)| {
        quoted ^= c == '"';
        c == ':' && !quoted
    })?;
    let mut head = line[..colon].split(';');
    let name = head.next()?.trim().to_ascii_uppercase();
    Some((name, head.collect(), &line[colon + 1..]))
}

/// Records one VEVENT property; an `Err` is the Dutch message for that line.
fn event_property(ev: &mut Event, name: &str, params: &[&str], value: &str) -> Result<(), String> {
    let bad_date = || format!("'{}' is geen geldige datum in {name}", value.trim());
    let bad_duration =
        || format!("duur '{}' wordt niet ondersteund; gebruik hele dagen of weken (P7D, P1W)", value.trim());
    match name {
        "SUMMARY" => ev.summary = clean(&unescape(value)),
        "DTSTART" => ev.start = Some(ics_date(params, value.trim()).ok_or_else(bad_date)?),
        "DTEND" => ev.end = Some(ics_date(params, value.trim()).ok_or_else(bad_date)?),
        "DURATION" => ev.days = Some(duration_days(value.trim()).ok_or_else(bad_duration)?),
        "RRULE" => return Err(NO_RRULE.into()),
        _ => {}
    }
    Ok(())
}

fn finish_event(ev: Event, imp: &mut Import) {
    if ev.broken {
        return; // already reported; a follow-up error ("geen begindatum") would only confuse
    }
    let name = if ev.summary.is_empty() { "Vakantie".to_string() } else { ev.summary };
    let Some(start) = ev.start else {
        imp.error(ev.line, format!("afspraak '{name}' heeft geen begindatum (DTSTART)"));
        return;
    };
    // DTEND wins over DURATION (RFC 5545 forbids both); a duration ends like a DTEND would.
    let end = ev.end.or_else(|| {
        let date = start.date.checked_add_days(Days::new(ev.days?)).unwrap_or(NaiveDate::MAX);
        Some(IcsDate { date, midnight: start.midnight })
    });
    let to = match end {
        // Exclusive end; an empty event (DTEND = DTSTART) is read as that one day rather than refused.
        Some(e) if e.midnight && e.date != start.date => e.date - Days::new(1),
        Some(e) => e.date,
        None => start.date,
    };
    imp.add(ev.line, name, start.date, to);
}

/// `20261017` (all-day) or `20261017T083000[Z]`; a date-time's own time zone is irrelevant to its date.
fn ics_date(params: &[&str], v: &str) -> Option<IcsDate> {
    let date = NaiveDate::from_ymd_opt(num(v.get(..4)?)?, num(v.get(4..6)?)?, num(v.get(6..8)?)?)?;
    if v.len() == 8 {
        return Some(IcsDate { date, midnight: true });
    }
    if params.iter().any(|p| p.eq_ignore_ascii_case("VALUE=DATE")) {
        return None;
    }
    let time = v[8..].strip_prefix('T')?;
    let time = time.strip_suffix('Z').unwrap_or(time);
    (time.len() == 6 && num::<u32>(time).is_some()).then_some(IcsDate { date, midnight: time == "000000" })
}

/// `P{n}D` or `P{n}W`: the only durations a holiday calendar needs.
fn duration_days(v: &str) -> Option<u64> {
    let body = v.strip_prefix('P')?;
    match body.strip_suffix('W') {
        Some(weeks) => num::<u64>(weeks)?.checked_mul(7),
        None => num(body.strip_suffix('D')?),
    }
}

/// Undoes RFC 5545 TEXT escaping: `\,` `\;` `\n` `\\`.
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => '\n',
                Some(escaped) => escaped,
                None => break,
            },
            c => c,
        });
    }
    out
}

// ---- CSV ----

fn parse_csv(content: &str, imp: &mut Import) {
    let rows: Vec<(usize, &str)> =
        content.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty()).collect();
    let Some(&(_, first)) = rows.first() else { return };
    // Dutch Excel writes ';' (the comma is the decimal separator); elsewhere ',' is usual.
    let sep = if first.contains(';') { ';' } else { ',' };
    for (n, &(line, text)) in rows.iter().enumerate() {
        let mut cells = match split_csv(text, sep) {
            Ok(cells) => cells,
            Err(msg) => {
                imp.error(line, msg);
                continue;
            }
        };
        // A header has no digits at all; a data row always has them in its dates.
        if n == 0 && cells.iter().all(|c| !c.bytes().any(|b| b.is_ascii_digit())) {
            continue;
        }
        // Spreadsheets sometimes export empty trailing columns.
        while cells.len() > 3 && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        let [name, from, to] = cells.as_slice() else {
            let msg = format!(
                "verwacht 3 kolommen (naam, eerste dag, laatste dag) gescheiden door '{sep}', maar vond er {}",
                cells.len()
            );
            imp.error(line, msg);
            continue;
        };
        let name = clean(name);
        if name.is_empty() {
            imp.error(line, "de naam van de vakantie ontbreekt");
        }
        match (csv_date(from, "eerste dag"), csv_date(to, "laatste dag")) {
            (Ok(from), Ok(to)) if !name.is_empty() => imp.add(line, name, from, to),
            (from, to) => [from.err(), to.err()].into_iter().flatten().for_each(|msg| imp.error(line, msg)),
        }
    }
}

/// Splits one row; a cell may be enclosed in double quotes, inside which `""` is a literal quote.
fn split_csv(line: &str, sep: char) -> Result<Vec<String>, String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
            }
            c if c == sep && !quoted => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    if quoted {
        return Err("een aanhalingsteken (\") wordt niet afgesloten".into());
    }
    cells.push(cell.trim().to_string());
    Ok(cells)
}

/// `YYYY-MM-DD` or `D-M-YYYY` (Dutch spreadsheets put the day first); `what` names the column.
fn csv_date(s: &str, what: &str) -> Result<NaiveDate, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let ymd = match *parts.as_slice() {
        [y, m, d] | [d, m, y] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => Some((y, m, d)),
        _ => None,
    };
    ymd.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(num(y)?, num(m)?, num(d)?)).ok_or_else(|| match s {
        "" => format!("de {what} ontbreekt"),
        _ => format!("'{s}' is geen geldige datum (gebruik jjjj-mm-dd of dd-mm-jjjj)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn period(name: &str, from: NaiveDate, to: NaiveDate) -> ImportedPeriod {
        ImportedPeriod { name: name.into(), from, to }
    }

    fn errors(format: Format, content: &str) -> Vec<String> {
        parse(format, content).unwrap_err().iter().map(ToString::to_string).collect()
    }

    fn ics(events: &str) -> String {
        format!("BEGIN:VCALENDAR\nVERSION:2.0\n{events}END:VCALENDAR\n")
    }

    #[test]
    fn school_ics() {
        let file = [
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//OBS De Regenboog//Schoolkalender//NL",
            // The time zone's own DTSTART (1970) must not be taken for an event.
            "BEGIN:VTIMEZONE\nTZID:Europe/Amsterdam\nBEGIN:STANDARD\nDTSTART:19701025T030000\nEND:STANDARD\nEND:VTIMEZONE",
            "BEGIN:VEVENT\nSUMMARY:Herfstvakantie\nDTSTART;VALUE=DATE:20261017\nDTEND;VALUE=DATE:20261026\nEND:VEVENT",
            "BEGIN:VEVENT\nUID:kerst-2026@regenboog.nl\nSUMMARY:Kerstvakantie\\, regio noord en\n  midden",
            "DTSTART;VALUE=DATE:20261219\nDTEND;VALUE=DATE:20270104\nEND:VEVENT",
            "BEGIN:VEVENT\nSUMMARY:Studiedag\\; team\nDTSTART;TZID=\"Europe/Amsterdam\":20261111T083000",
            "DTEND;TZID=Europe/Amsterdam:20261111T150000\nEND:VEVENT",
            // A VALARM's DURATION belongs to the alarm, not to the event.
            "BEGIN:VEVENT\nSUMMARY:Koningsdag\nDTSTART;VALUE=DATE:20270427\nBEGIN:VALARM\nDURATION:P20W\nEND:VALARM\nEND:VEVENT",
            "BEGIN:VEVENT\nSUMMARY:Meivakantie\nDTSTART;VALUE=DATE:20270424\nDURATION:P1W\nEND:VEVENT",
            "BEGIN:VEVENT\nSUMMARY:\nDTSTART:20270710T000000Z\nDTEND:20270823T000000Z\nEND:VEVENT\nEND:VCALENDAR\n",
        ]
        .join("\n")
        .replace('\n', "\r\n");
        assert_eq!(
            parse(Format::Ics, &file).unwrap(),
            [
                period("Herfstvakantie", d(2026, 10, 17), d(2026, 10, 25)),
                period("Studiedag; team", d(2026, 11, 11), d(2026, 11, 11)),
                period("Kerstvakantie, regio noord en midden", d(2026, 12, 19), d(2027, 1, 3)),
                period("Meivakantie", d(2027, 4, 24), d(2027, 4, 30)),
                period("Koningsdag", d(2027, 4, 27), d(2027, 4, 27)),
                period("Vakantie", d(2027, 7, 10), d(2027, 8, 22)),
            ]
        );
        // Some exporters write DTEND = DTSTART for a one-day event; that is read as that day.
        let empty = ics("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20270427\nDTEND;VALUE=DATE:20270427\nEND:VEVENT\n");
        assert_eq!(parse(Format::Ics, &empty).unwrap(), [period("Vakantie", d(2027, 4, 27), d(2027, 4, 27))]);
    }

    #[test]
    fn ics_refusals() {
        let rrule = ics("BEGIN:VEVENT\nDTSTART;VALUE=DATE:20261111\nRRULE:FREQ=YEARLY\nEND:VEVENT\n");
        let msg = "herhalende afspraken (RRULE) worden niet ondersteund; exporteer de vakanties als losse afspraken";
        assert_eq!(errors(Format::Ics, &rrule), [format!("regel 5: {msg}")]);
        let backwards =
            ics("BEGIN:VEVENT\nSUMMARY:Kerst\nDTSTART;VALUE=DATE:20261219\nDTEND;VALUE=DATE:20261201\nEND:VEVENT\n");
        let msg = "regel 3: de laatste dag (30-11-2026) van 'Kerst' ligt vóór de eerste dag (19-12-2026)";
        assert_eq!(errors(Format::Ics, &backwards), [msg]);
        let long = ics("BEGIN:VEVENT\nSUMMARY:Zomer\nDTSTART:20260701T000000\nDURATION:P20W\nEND:VEVENT\n");
        let msg = "regel 3: de periode 'Zomer' (01-07-2026 t/m 17-11-2026) duurt langer dan 100 dagen (140); controleer de data";
        assert_eq!(errors(Format::Ics, &long), [msg]);
        let bad =
            ics("BEGIN:VEVENT\nDTSTART:20261317\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:X\nEND:VEVENT\nBEGIN:VEVENT\n");
        assert_eq!(
            errors(Format::Ics, &bad),
            [
                "regel 4: '20261317' is geen geldige datum in DTSTART",
                "regel 6: afspraak 'X' heeft geen begindatum (DTSTART)",
                "regel 9: afspraak zonder END:VEVENT; is het bestand volledig?",
            ]
        );
        assert_eq!(errors(Format::Ics, &ics("")), [NO_PERIODS]);
    }

    #[test]
    fn csv_semicolon_header_day_first() {
        let csv = "\u{feff}Naam;Van;Tot\r\nHerfstvakantie;17-10-2026;25-10-2026\r\n\r\nKerstvakantie;19-12-2026;3-1-2027\r\n\
                   Voorjaarsvakantie;2027-02-13;2027-02-21;;\r\n";
        assert_eq!(
            parse(Format::Csv, csv).unwrap(),
            [
                period("Herfstvakantie", d(2026, 10, 17), d(2026, 10, 25)),
                period("Kerstvakantie", d(2026, 12, 19), d(2027, 1, 3)),
                period("Voorjaarsvakantie", d(2027, 2, 13), d(2027, 2, 21)),
            ]
        );
    }

    #[test]
    fn csv_comma_quotes_no_header() {
        let csv = "\"De \"\"grote\"\" vakantie\",2027-07-10,2027-08-22\n \"Kerst, oud en nieuw\" , \"2026-12-19\",2027-01-03\n";
        assert_eq!(
            parse(Format::Csv, csv).unwrap(),
            [
                period("Kerst, oud en nieuw", d(2026, 12, 19), d(2027, 1, 3)),
                period("De \"grote\" vakantie", d(2027, 7, 10), d(2027, 8, 22)),
            ]
        );
    }

    #[test]
    fn csv_reports_every_error_with_its_line() {
        let csv = "naam;van;tot\nHerfstvakantie;17-10-2026;25-10-2026\n;19-12-2026;03-01-2027\nVoorjaarsvakantie;31-02-2026;\n\n\
                   Meivakantie;24-04-2027\nZomervakantie;10-07-2027;22-08-2026\nSchooljaar;2026-08-24;2027-07-09\n\
                   Oud;1999-10-16;1999-10-24\n\"Kapot;2026-01-01;2026-01-02\n";
        assert_eq!(
            errors(Format::Csv, csv),
            [
                "regel 3: de naam van de vakantie ontbreekt",
                "regel 4: '31-02-2026' is geen geldige datum (gebruik jjjj-mm-dd of dd-mm-jjjj)",
                "regel 4: de laatste dag ontbreekt",
                "regel 6: verwacht 3 kolommen (naam, eerste dag, laatste dag) gescheiden door ';', maar vond er 2",
                "regel 7: de laatste dag (22-08-2026) van 'Zomervakantie' ligt vóór de eerste dag (10-07-2027)",
                "regel 8: de periode 'Schooljaar' (24-08-2026 t/m 09-07-2027) duurt langer dan 100 dagen (320); controleer de data",
                "regel 9: '16-10-1999' ligt niet tussen 2000 en 2100; controleer het jaartal",
                "regel 10: een aanhalingsteken (\") wordt niet afgesloten",
            ]
        );
        assert_eq!(errors(Format::Csv, "naam;van;tot\n\n"), [NO_PERIODS]);
        assert_eq!(errors(Format::Csv, ""), [NO_PERIODS]);
    }

    #[test]
    fn detects_format() {
        assert_eq!(detect("Vakanties 2026-2027.ICS", ""), Some(Format::Ics));
        assert_eq!(detect("vakanties.Csv", "BEGIN:VCALENDAR"), Some(Format::Csv));
        assert_eq!(detect("export", "\u{feff}\r\nbegin:vcalendar\r\n"), Some(Format::Ics));
        assert_eq!(detect("vakanties.txt", "naam;van;tot"), None);
        assert_eq!(detect("", ""), None);
    }
}
