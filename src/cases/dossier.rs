//! The export of a whole case dossier as one zip (issue 9): for archiving, or for a party's
//! access request.
//!
//! Every document of the case is a row of `documents` with its bytes in `document_contents`:
//! what the commission received (`in`) and everything it produced and sent (`uit`): each
//! letter (`letters::compose` stores its PDF as a document when it is sent), the final advies
//! PDF of every version (`cases::advies`), the final proces-verbaal and the record of a minor
//! witness (`cases::hearings`), and the documents of an escalated school register entry. The
//! zip holds them in one sequence in date order (the date a document was received or sent,
//! then the moment it was registered), numbered from `01`, each named
//! `NN-YYYY-MM-DD-ontvangen|verzonden-<file name>`, so that sorting by name in any file manager
//! shows the dossier as it grew, with `00-inhoudsopgave.pdf` (the index, laid out by typst
//! from `fixtures/dossier_index.typ`) on top.
//!
//! **Purposes.** `archief` holds everything, restricted documents included (their index rows
//! say so). An access request of the klager or the aangeklaagde leaves out every document
//! the party may not receive under Art 15, decided by [`withheld`]: a document restricted
//! *for that party* (`restricted_for` names it), and, following `domain::restriction` and
//! `letters::compose`, also one restricted for the other party (the commission decides per
//! case whether to share it, so it goes to no other party either) and one restricted without
//! a party named (`restricted_for` NULL: the commission keeps it to itself). The party's own
//! qualified gemachtigde is not a purpose here; such a request is an `archief` export handed
//! over by the secretary. The index then says how many documents were withheld under
//! Art 15, without their titles.
//!
//! **Recording.** The zip is built first (in memory, on a blocking thread); then one
//! [`WriteTx`] writes the audit entry `dossier.geexporteerd` (purpose, counts, the zip's
//! SHA-256 and file name; no personal data) and the access-log entry of the download, so
//! either both are recorded and the zip is handed out, or neither and nothing is.

use crate::access_log::{self, What};
use crate::audit::{Actor, WriteTx};
use crate::domain::case::PartyRole;
use crate::domain::restriction;
use crate::entities::{case, document, document_content, school};
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;

/// The name of the index inside the zip; sorts before every numbered document.
pub const INDEX_NAME: &str = "00-inhoudsopgave.pdf";

/// Why the dossier is exported; decides what goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Everything, for the archive.
    Archief,
    /// A party's access request (klager or aangeklaagde): Art 15 restrictions apply.
    Inzage(PartyRole),
}

impl Purpose {
    pub const ALL: &'static [Purpose] =
        &[Purpose::Archief, Purpose::Inzage(PartyRole::Klager), Purpose::Inzage(PartyRole::Aangeklaagde)];

    /// The code on the form and in the audit entry.
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Archief => "archief",
            Purpose::Inzage(PartyRole::Aangeklaagde) => "aangeklaagde",
            Purpose::Inzage(_) => "klager",
        }
    }

    pub fn parse(code: &str) -> Option<Purpose> {
        Purpose::ALL.iter().copied().find(|p| p.code() == code)
    }

    /// As the form offers it and the index prints it.
    pub fn label(self) -> &'static str {
        match self {
            Purpose::Archief => "Archivering: het volledige dossier",
            Purpose::Inzage(PartyRole::Aangeklaagde) => "Inzageverzoek van de aangeklaagde",
            Purpose::Inzage(_) => "Inzageverzoek van de klager",
        }
    }
}

/// Art 15: whether a document stays out of an export for `purpose`. Nothing stays out of the
/// archive; a party gets no restricted document (see the module documentation).
pub fn withheld(purpose: Purpose, d: &document::Model) -> bool {
    let Purpose::Inzage(party) = purpose else { return false };
    if !d.restricted {
        return false;
    }
    match d.restricted_for.as_deref().and_then(PartyRole::parse) {
        Some(concerned) => !restriction::may_receive(party, None, Some(concerned)),
        // Restricted without a party named: the commission keeps it to itself.
        None => true,
    }
}

/// One document as it goes into the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub number: String,
    /// The name inside the zip.
    pub name: String,
    pub document_id: i32,
}

/// What goes into the zip, in order, and how many documents stay out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub files: Vec<Planned>,
    pub withheld: usize,
}

/// Orders the documents by date (received or sent, then registered, then id), leaves out
/// what `purpose` withholds and numbers the rest.
pub fn plan(docs: &[document::Model], purpose: Purpose) -> Plan {
    let mut kept: Vec<&document::Model> = docs.iter().filter(|d| !withheld(purpose, d)).collect();
    kept.sort_by_key(|d| (d.received_on, d.registered_at, d.id));
    let width = kept.len().to_string().len().max(2);
    let files = kept
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let number = format!("{:0width$}", i + 1);
            let name =
                format!("{number}-{}-{}-{}", d.received_on.format("%Y-%m-%d"), direction(d), safe_name(&d.file_name));
            Planned { number, name, document_id: d.id }
        })
        .collect();
    Plan { files, withheld: docs.len() - kept.len() }
}

/// `ontvangen` for what came in, `verzonden` for what the commission sent.
pub fn direction(d: &document::Model) -> &'static str {
    if d.direction == "uit" { "verzonden" } else { "ontvangen" }
}

/// A file name that is one safe path component on every system: no separators, no control or
/// reserved characters, no leading dots, at most 120 characters (the extension kept).
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_owned();
    let cleaned = if cleaned.is_empty() { "document".to_owned() } else { cleaned };
    const MAX: usize = 120;
    if cleaned.chars().count() <= MAX {
        return cleaned;
    }
    let ext: String = match cleaned.rsplit_once('.') {
        Some((_, e)) if !e.is_empty() && e.chars().count() <= 10 => format!(".{e}"),
        _ => String::new(),
    };
    let stem: String = cleaned.chars().take(MAX - ext.chars().count()).collect();
    format!("{}{ext}", stem.trim_end())
}

/// Already compressed formats are stored as they are; text and e-mail are deflated.
fn compress(media_type: &str) -> bool {
    !matches!(
        media_type,
        "application/pdf"
            | "image/png"
            | "image/jpeg"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.oasis.opendocument.text"
    )
}

/// `182.431 bytes`
fn size_nl(bytes: i64) -> String {
    let n = crate::domain::dutch::count(bytes.max(0) as u64);
    format!("{n} {}", if bytes == 1 { "byte" } else { "bytes" })
}

fn local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&chrono_tz::Europe::Amsterdam).naive_local()
}

/// A zip timestamp (local time, two-second steps, 1980 to 2107).
fn zip_time(t: NaiveDateTime) -> zip::DateTime {
    zip::DateTime::from_date_and_time(
        t.year().clamp(1980, 2107) as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

/// The request: why, and an optional remark printed on the index (e.g. the date and
/// reference of the access request; not audited, as it may name people).
#[derive(Debug, Clone)]
pub struct Request {
    pub purpose: Purpose,
    pub note: Option<String>,
}

/// A finished export.
#[derive(Debug)]
pub struct Export {
    /// `zaak-2026-0007-dossier.zip`
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// Of the zip, hex.
    pub sha256: String,
    /// Documents in the zip (the index not counted).
    pub documents: usize,
    pub withheld: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error(
        "Het document ‘{0}’ is niet meer gelijk aan het opgeslagen origineel (de SHA-256 wijkt af). De export is niet gemaakt; meld dit aan de beheerder."
    )]
    Altered(String),
    #[error("De export kon niet worden gemaakt: {0}")]
    Build(String),
    #[error("Dit dossier is na afloop van de bewaartermijn vernietigd; er is niets meer te exporteren.")]
    Purged,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What the form shows before exporting: the number of documents and of restricted ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub restricted: usize,
}

pub async fn summary(db: &DatabaseConnection, c: &case::Model) -> Result<Summary, DbErr> {
    let docs = document::Entity::find().filter(document::Column::CaseId.eq(c.id)).all(db).await?;
    Ok(Summary { documents: docs.len(), restricted: docs.iter().filter(|d| d.restricted).count() })
}

/// The zip file's name for a case.
pub fn zip_name(c: &case::Model) -> String {
    format!("zaak-{}-dossier.zip", c.zaaknummer)
}

/// Builds the dossier of `c` for `request` as a zip, then records the export (audit entry and
/// access log) in one transaction. Nothing is recorded when building fails.
pub async fn export(
    db: &DatabaseConnection,
    actor: Actor,
    c: &case::Model,
    request: Request,
) -> Result<Export, DossierError> {
    if c.purged_on.is_some() {
        return Err(DossierError::Purged);
    }
    let docs = document::Entity::find()
        .filter(document::Column::CaseId.eq(c.id))
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?;
    let plan = plan(&docs, request.purpose);
    let by_id: HashMap<i32, &document::Model> = docs.iter().map(|d| (d.id, d)).collect();
    let ids: Vec<i32> = plan.files.iter().map(|f| f.document_id).collect();
    let mut contents: HashMap<i32, Vec<u8>> = if ids.is_empty() {
        HashMap::new()
    } else {
        document_content::Entity::find()
            .filter(document_content::Column::DocumentId.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.document_id, c.bytes))
            .collect()
    };
    let school = school::Entity::find_by_id(c.school_id).one(db).await?;
    let head = crate::letters::letterhead::load(db).await?;

    let now = Utc::now();
    let mut rows = Vec::new();
    let mut entries = Vec::new();
    for f in &plan.files {
        let d = by_id[&f.document_id];
        let bytes = contents.remove(&d.id).unwrap_or_default();
        // The stored hash is the document's identity (Art 11.9 stamp, signatures): an archive
        // must hold exactly that document or nothing.
        if hex::encode(Sha256::digest(&bytes)) != d.sha256 {
            return Err(DossierError::Altered(d.title.clone()));
        }
        let restricted_note = if d.restricted { " (beperkte inzage, art. 15)" } else { "" };
        rows.push(crate::pdf::DossierIndexRow {
            number: f.number.clone(),
            date: d.received_on.format("%d-%m-%Y").to_string(),
            direction: direction(d).to_owned(),
            title: format!("{}{restricted_note}", d.title),
            file: f.name.clone(),
            size: size_nl(d.size_bytes),
            sha256: d.sha256.clone(),
        });
        entries.push((f.name.clone(), bytes, zip_time(local(d.registered_at)), compress(&d.media_type)));
    }

    let mut facts = vec![
        ("Zaaknummer".to_owned(), c.zaaknummer.clone()),
        ("School".to_owned(), school.map_or_else(|| "(onbekend)".to_owned(), |s| format!("{}, {}", s.name, s.place))),
        ("Doel".to_owned(), request.purpose.label().to_owned()),
        ("Samengesteld op".to_owned(), {
            let t = local(now);
            format!("{}, {}", crate::domain::dutch::date(t.date()), t.format("%H:%M"))
        }),
        ("Samengesteld door".to_owned(), actor.name.clone()),
        (
            "Inhoud".to_owned(),
            format!(
                "{} {} en deze inhoudsopgave",
                plan.files.len(),
                if plan.files.len() == 1 { "document" } else { "documenten" }
            ),
        ),
    ];
    if let Some(note) = &request.note {
        facts.push(("Toelichting".to_owned(), note.clone()));
    }
    let notes = vec![match request.purpose {
        Purpose::Archief => "Volledig dossier: alle ontvangen en verzonden documenten van de zaak, ook die waarvan de \
                             inzage is beperkt (artikel 15 van het reglement)."
            .to_owned(),
        Purpose::Inzage(_) if plan.withheld == 0 => {
            "Er zijn geen documenten achtergehouden op grond van artikel 15 van het reglement.".to_owned()
        }
        Purpose::Inzage(_) => format!(
            "{} niet opgenomen: de commissie heeft de inzage daarvan voorbehouden aan een gemachtigde die advocaat \
             of arts is of door de commissie is toegelaten (artikel 15 van het reglement).",
            if plan.withheld == 1 {
                "1 document uit het dossier is".to_owned()
            } else {
                format!("{} documenten uit het dossier zijn", plan.withheld)
            }
        ),
    }];
    let layout = crate::pdf::DossierIndexLayout {
        head: head.layout(),
        title: format!("Inhoudsopgave dossier zaak {}", c.zaaknummer),
        facts,
        notes,
        rows,
        empty: "Het dossier bevat (nog) geen documenten.".into(),
    };
    let index_time = zip_time(local(now));
    let bytes = tokio::task::spawn_blocking(move || build_zip(&layout, index_time, entries))
        .await
        .map_err(|e| DossierError::Build(format!("taak afgebroken: {e}")))??;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let export = Export { file_name: zip_name(c), bytes, sha256, documents: plan.files.len(), withheld: plan.withheld };

    let user_id = actor.user_id;
    let mut tx = WriteTx::begin(db, actor).await?;
    tx.audit(
        Some(c.id),
        "dossier.geexporteerd",
        json!({
            "doel": request.purpose.code(),
            "bestanden": export.documents,
            "achtergehouden": export.withheld,
            "bestand": export.file_name,
            "sha256": export.sha256,
        }),
    )
    .await?;
    access_log::record(tx.conn(), c.id, user_id, What::Document, Some(log_detail(&export, request.purpose))).await?;
    tx.commit().await?;
    Ok(export)
}

/// How the download reads in the access log: `dossier als zip: zaak-2026-0007-dossier.zip
/// (inzageverzoek klager; 12 documenten, 2 achtergehouden)`.
pub fn log_detail(e: &Export, purpose: Purpose) -> String {
    let what = match purpose {
        Purpose::Archief => "archief".to_owned(),
        Purpose::Inzage(_) => format!("inzageverzoek {}", purpose.code()),
    };
    let withheld = if e.withheld > 0 { format!(", {} achtergehouden", e.withheld) } else { String::new() };
    format!("dossier als zip: {} ({what}; {} documenten{withheld})", e.file_name, e.documents)
}

/// Lays out the index and writes the zip in memory. CPU-bound: runs on a blocking thread.
fn build_zip(
    layout: &crate::pdf::DossierIndexLayout,
    index_time: zip::DateTime,
    entries: Vec<(String, Vec<u8>, zip::DateTime, bool)>,
) -> Result<Vec<u8>, DossierError> {
    use zip::{CompressionMethod, write::SimpleFileOptions};
    let index = crate::pdf::render_dossier_index(layout).map_err(|e| DossierError::Build(e.to_string()))?;
    let zip_err = |e: zip::result::ZipError| DossierError::Build(format!("zip: {e}"));
    let io_err = |e: std::io::Error| DossierError::Build(format!("zip: {e}"));
    let total: usize = entries.iter().map(|e| e.1.len()).sum::<usize>() + index.len();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(total + 4096)));
    let options = |time: zip::DateTime, deflate: bool| {
        SimpleFileOptions::default()
            .compression_method(if deflate { CompressionMethod::Deflated } else { CompressionMethod::Stored })
            .last_modified_time(time)
            .unix_permissions(0o644)
    };
    zip.start_file(INDEX_NAME, options(index_time, false)).map_err(zip_err)?;
    zip.write_all(&index).map_err(io_err)?;
    for (name, bytes, time, deflate) in entries {
        zip.start_file(name, options(time, deflate)).map_err(zip_err)?;
        zip.write_all(&bytes).map_err(io_err)?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn doc(id: i32, on: (i32, u32, u32), direction: &str, restricted_for: Option<Option<&str>>) -> document::Model {
        document::Model {
            id,
            case_id: 1,
            title: format!("Stuk {id}"),
            file_name: format!("stuk-{id}.pdf"),
            media_type: "application/pdf".into(),
            size_bytes: 10,
            sha256: String::new(),
            received_on: NaiveDate::from_ymd_opt(on.0, on.1, on.2).unwrap(),
            registered_by: None,
            registered_at: DateTime::from_timestamp(1_790_000_000 + i64::from(id), 0).unwrap(),
            restricted: restricted_for.is_some(),
            direction: direction.into(),
            restricted_for: restricted_for.flatten().map(str::to_owned),
            restriction_reason: None,
        }
    }

    #[test]
    fn purposes_round_trip() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.code()), Some(*p));
        }
        assert_eq!(Purpose::parse("gemachtigde_klager"), None);
        assert_eq!(Purpose::parse(""), None);
    }

    #[test]
    fn the_archive_keeps_everything_a_party_gets_nothing_restricted() {
        let for_klager = doc(1, (2026, 1, 5), "in", Some(Some("klager")));
        let for_aangeklaagde = doc(2, (2026, 1, 6), "in", Some(Some("aangeklaagde")));
        let for_nobody = doc(3, (2026, 1, 7), "in", Some(None));
        let open = doc(4, (2026, 1, 8), "in", None);
        for d in [&for_klager, &for_aangeklaagde, &for_nobody, &open] {
            assert!(!withheld(Purpose::Archief, d));
        }
        for party in [PartyRole::Klager, PartyRole::Aangeklaagde] {
            let p = Purpose::Inzage(party);
            assert!(withheld(p, &for_klager) && withheld(p, &for_aangeklaagde) && withheld(p, &for_nobody), "{p:?}");
            assert!(!withheld(p, &open));
        }
    }

    #[test]
    fn files_are_numbered_in_date_order() {
        let docs = vec![
            doc(7, (2026, 3, 1), "uit", None),
            doc(3, (2026, 1, 5), "in", None),
            doc(9, (2026, 1, 5), "uit", Some(Some("klager"))),
            doc(5, (2026, 2, 1), "in", None),
        ];
        let p = plan(&docs, Purpose::Archief);
        let names: Vec<&str> = p.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "01-2026-01-05-ontvangen-stuk-3.pdf",
                "02-2026-01-05-verzonden-stuk-9.pdf",
                "03-2026-02-01-ontvangen-stuk-5.pdf",
                "04-2026-03-01-verzonden-stuk-7.pdf",
            ]
        );
        assert!(names.iter().all(|n| *n > INDEX_NAME), "the index sorts first");
        let p = plan(&docs, Purpose::Inzage(PartyRole::Aangeklaagde));
        assert_eq!(p.withheld, 1);
        assert_eq!(p.files.iter().map(|f| f.document_id).collect::<Vec<_>>(), [3, 5, 7]);
        assert_eq!(p.files[2].number, "03", "numbered without gaps");
        let many: Vec<_> = (1..=120).map(|i| doc(i, (2026, 1, 1), "in", None)).collect();
        let p = plan(&many, Purpose::Archief);
        assert_eq!((p.files[0].number.as_str(), p.files[119].number.as_str()), ("001", "120"));
    }

    #[test]
    fn names_are_safe_path_components() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("a\\b:c*?\"<>|\n.pdf"), "a_b_c_______.pdf");
        assert_eq!(safe_name("  "), "document");
        let long = format!("{}.pdf", "x".repeat(300));
        let s = safe_name(&long);
        assert_eq!(s.chars().count(), 120);
        assert!(s.ends_with(".pdf"));
        assert_eq!(safe_name("verslag-ö.pdf"), "verslag-ö.pdf");
    }

    #[test]
    fn sizes_are_written_the_dutch_way() {
        assert_eq!(size_nl(1), "1 byte");
        assert_eq!(size_nl(999), "999 bytes");
        assert_eq!(size_nl(182_431), "182.431 bytes");
        assert_eq!(size_nl(20_971_520), "20.971.520 bytes");
    }

    #[test]
    fn the_zip_holds_the_index_and_the_files() {
        let layout = crate::pdf::DossierIndexLayout {
            head: crate::pdf::Letterhead { name: "Klachtencommissie".into(), lines: vec![] },
            title: "Inhoudsopgave #panic(\"nee\")".into(),
            facts: vec![("Zaaknummer".into(), "2026-0001 *x*".into())],
            notes: vec!["$x$".into()],
            rows: vec![crate::pdf::DossierIndexRow {
                number: "01".into(),
                date: "05-01-2026".into(),
                direction: "ontvangen".into(),
                title: "]] #panic(\"weg\") [[".into(),
                file: "01-a.txt".into(),
                size: "5 bytes".into(),
                sha256: "ab".repeat(32),
            }],
            empty: String::new(),
        };
        let t = zip_time(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap().and_hms_opt(10, 0, 0).unwrap());
        let bytes = build_zip(&layout, t, vec![("01-a.txt".into(), b"hallo".repeat(100), t, true)]).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(z.len(), 2);
        assert_eq!(z.by_index(0).unwrap().name().unwrap(), INDEX_NAME);
        let mut f = z.by_index(1).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut out).unwrap();
        assert_eq!(out, b"hallo".repeat(100));
    }
}
