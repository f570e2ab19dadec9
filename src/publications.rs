//! Publication of anonymised adviezen (issue 9). The secretary makes a proposal from the sent
//! advies of a case: every identifying term the case records (its parties, school, board,
//! addresses, the panel, the zaaknummer) is replaced by a neutral description
//! (`domain::anonymise`), laid out in the form such commissions publish (situation, oordeel,
//! overwegingen, tagged by sector, theme and outcome). The secretary reviews and edits it, and
//! publishes it on the public page `/uitspraken`; publishing is refused while a term of the case
//! is still in the text. Each step is one `WriteTx` whose audit entry names only ids and numbers.

use crate::audit::WriteTx;
use crate::domain::anonymise::{self, EMAIL, Terms, ZAAKNUMMER};
use crate::domain::case::{CaseStatus, ComplaintKind, Outcome, PanelRole, PartyRole, Sector};
use crate::entities::{advies, board, case, deliberation, publication, school};
use chrono::{Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;

pub const CONCEPT: &str = "concept";
pub const GEPUBLICEERD: &str = "gepubliceerd";
pub const INGETROKKEN: &str = "ingetrokken";

/// Published adviezen per page of `/uitspraken`.
pub const PAGE_SIZE: u64 = 10;

/// The longest title and the longest text field.
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 20_000;

/// Errors the secretary sees, in Dutch.
#[derive(Debug, thiserror::Error)]
pub enum PublicationError {
    /// A step the state does not allow now.
    #[error("{0}")]
    NotNow(String),
    /// Fields that must change before saving or publishing: (field, message).
    #[error("{}", .0.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" "))]
    Fields(Vec<(&'static str, String)>),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The editable fields of a publication, as the form posts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub title: String,
    pub sector: String,
    pub theme: String,
    pub outcome: String,
    pub situation: String,
    pub judgment: String,
    pub explanation: String,
}

/// The text fields: form name, Dutch label.
pub const TEXT_FIELDS: [(&str, &str); 4] =
    [("titel", "Titel"), ("situatie", "Situatie"), ("oordeel", "Oordeel"), ("overwegingen", "Overwegingen")];

impl Fields {
    pub fn of(p: &publication::Model) -> Self {
        Self {
            title: p.title.clone(),
            sector: p.sector.clone(),
            theme: p.theme.clone(),
            outcome: p.outcome.clone(),
            situation: p.situation.clone(),
            judgment: p.judgment.clone(),
            explanation: p.explanation.clone(),
        }
    }

    /// The text fields with their form names.
    pub fn texts(&self) -> [(&'static str, &str); 4] {
        [
            ("titel", &self.title),
            ("situatie", &self.situation),
            ("oordeel", &self.judgment),
            ("overwegingen", &self.explanation),
        ]
    }

    /// What the public search matches: the texts, the tags' labels and the number.
    pub fn search_text(&self, number: Option<&str>) -> String {
        let tags = [
            Sector::parse(&self.sector).map(Sector::label),
            ComplaintKind::parse(&self.theme).map(ComplaintKind::label),
            Outcome::parse(&self.outcome).map(Outcome::label),
        ];
        let mut all: Vec<&str> = self.texts().iter().map(|(_, t)| *t).collect();
        all.extend(tags.into_iter().flatten());
        all.extend(number);
        anonymise::search_text(&all.join("\n"))
    }
}

fn label_of(field: &str) -> &'static str {
    TEXT_FIELDS.iter().find(|(f, _)| *f == field).map_or("", |(_, l)| *l)
}

/// Form checks that hold for a concept too: known tags, lengths.
fn check_form(f: &Fields) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if Sector::parse(&f.sector).is_none() {
        errors.push(("sector", "Kies de sector.".to_owned()));
    }
    if ComplaintKind::parse(&f.theme).is_none() {
        errors.push(("thema", "Kies het thema (de aard van de klacht).".to_owned()));
    }
    if Outcome::parse(&f.outcome).is_none() {
        errors.push(("uitkomst", "Kies de uitkomst.".to_owned()));
    }
    if f.title.chars().count() > MAX_TITLE {
        errors.push(("titel", format!("De titel is te lang: ten hoogste {MAX_TITLE} tekens.")));
    }
    for (field, text) in f.texts().into_iter().skip(1) {
        if text.chars().count() > MAX_TEXT {
            errors.push((field, format!("{} is te lang: ten hoogste {MAX_TEXT} tekens.", label_of(field))));
        }
    }
    errors
}

/// What publishing requires besides the form checks: every text filled in, and nothing of
/// the case left in it (naming the field and what was found).
pub fn check_publishable(f: &Fields, terms: &Terms) -> Vec<(&'static str, String)> {
    let mut errors = check_form(f);
    for (field, text) in f.texts() {
        if text.trim().is_empty() {
            errors.push((
                field,
                format!("Vul {} in; een gepubliceerd advies heeft alle onderdelen.", label_of(field).to_lowercase()),
            ));
            continue;
        }
        let found = anonymise::remaining(text, terms);
        if !found.is_empty() {
            let list: Vec<String> = found.iter().map(|w| format!("‘{w}’")).collect();
            errors.push((
                field,
                format!(
                    "In het veld {} staat nog iets dat de zaak herkenbaar maakt: {}. Vervang het door een neutrale omschrijving; zo wordt het niet gepubliceerd.",
                    label_of(field),
                    crate::domain::dutch::list(&list)
                ),
            ));
        }
    }
    errors
}

/// Attention points for the secretary: per field, the words that may identify someone.
pub fn attention(f: &Fields) -> Vec<(&'static str, Vec<String>)> {
    f.texts()
        .into_iter()
        .map(|(field, text)| (field, anonymise::suspicious(text)))
        .filter(|(_, w)| !w.is_empty())
        .collect()
}

/// The latest sent version of the case's advies.
pub async fn sent_advies(db: &impl ConnectionTrait, case_id: i32) -> Result<Option<advies::Model>, DbErr> {
    advies::Entity::find()
        .filter(advies::Column::CaseId.eq(case_id))
        .filter(advies::Column::Status.eq("verzonden"))
        .order_by_desc(advies::Column::Version)
        .one(db)
        .await
}

/// Why a case cannot have a publication (yet), or `None` when it can.
pub async fn not_eligible(db: &impl ConnectionTrait, c: &case::Model) -> Result<Option<String>, DbErr> {
    let status = CaseStatus::parse(&c.status);
    if !matches!(status, Some(CaseStatus::AdviesUitgebracht | CaseStatus::Afgesloten)) {
        return Ok(Some(
            "Alleen een uitgebracht advies kan worden gepubliceerd; deze zaak heeft (nog) geen verzonden advies."
                .into(),
        ));
    }
    if sent_advies(db, c.id).await?.is_none() {
        return Ok(Some("Deze zaak is afgesloten zonder verzonden advies; er is niets te publiceren.".into()));
    }
    Ok(None)
}

fn replacement_of(role: PartyRole) -> &'static str {
    match role {
        PartyRole::Klager => "klager",
        PartyRole::Aangeklaagde => "aangeklaagde",
        PartyRole::GemachtigdeKlager => "de gemachtigde van klager",
        PartyRole::GemachtigdeAangeklaagde => "de gemachtigde van aangeklaagde",
        PartyRole::Getuige => "getuige",
        PartyRole::Deskundige => "de deskundige",
        PartyRole::Tolk => "de tolk",
        PartyRole::Begeleider => "de vertrouwenspersoon",
    }
}

/// The identifying terms the case records: the school and the board first (a party that is
/// the board or the school is named after them), then the parties, the panel, the secretary
/// of the deliberation, the zaaknummer.
pub async fn terms_of(db: &impl ConnectionTrait, c: &case::Model) -> Result<Terms, DbErr> {
    let mut t = Terms::new();
    t.literal(&c.zaaknummer, ZAAKNUMMER);
    let school = school::Entity::find_by_id(c.school_id).one(db).await?;
    let board = board::Entity::find_by_id(c.board_id).one(db).await?;
    let mut bodies: Vec<String> = Vec::new();
    if let Some(s) = &school {
        t.organisation(&s.name, "de school");
        t.address(&s.address);
        t.place(&s.place);
        if let Some(brin) = &s.brin {
            t.literal(brin, "[BRIN-nummer]");
        }
        if let Some(n) = &s.contact_name {
            t.person(n, "de contactpersoon van de school");
        }
        if let Some(e) = &s.contact_email {
            t.literal(e, EMAIL);
        }
        bodies.push(anonymise::search_text(&s.name));
    }
    if let Some(b) = &board {
        t.organisation(&b.name, "het bevoegd gezag");
        t.address(&b.address);
        if let Some(e) = &b.email {
            t.literal(e, EMAIL);
        }
        bodies.push(anonymise::search_text(&b.name));
    }
    for p in crate::cases::intake::parties(db, c.id).await? {
        let replacement = PartyRole::parse(&p.role).map_or("een betrokkene", replacement_of);
        let folded = anonymise::search_text(&p.name);
        let is_body = bodies.iter().any(|b| folded.contains(b.as_str()) || b.contains(folded.as_str()))
            || folded.starts_with(" stichting ");
        if is_body {
            // "Stichting ... (bevoegd gezag)", "Sint-Jozefschool, directie": the board's or the
            // school's own terms cover its parts.
            t.literal(&p.name, replacement);
            t.literal(p.name.split(',').next().unwrap_or(""), replacement);
            t.organisation(&p.name, replacement);
        } else {
            t.person(&p.name, replacement);
        }
        if let Some(a) = &p.address {
            t.address(a);
        }
        if let Some(e) = &p.email {
            t.literal(e, EMAIL);
        }
        if let Some(ph) = &p.phone {
            t.phone(ph);
        }
    }
    for (role, m) in crate::cases::hearings::panel(db, c.id).await? {
        let replacement = if role == PanelRole::Voorzitter { "de voorzitter" } else { "een lid van de commissie" };
        t.person(&m.name, replacement);
        t.literal(&m.email, EMAIL);
        if let Some(a) = &m.address {
            t.address(a);
        }
        if let Some(ph) = &m.phone {
            t.phone(ph);
        }
    }
    for d in deliberation::Entity::find().filter(deliberation::Column::CaseId.eq(c.id)).all(db).await? {
        t.person(&d.secretary, "de secretaris");
    }
    Ok(t)
}

/// Whether a paragraph of section C states the judgment (rather than the reasons for it).
fn is_judgment(paragraph: &str) -> bool {
    let p = anonymise::search_text(paragraph);
    [
        " de klacht is ",
        " de commissie acht de klacht ",
        " de commissie beveelt ",
        " de commissie ziet geen aanleiding ",
        " de commissie adviseert ",
        " de commissie is onbevoegd ",
    ]
    .iter()
    .any(|s| p.starts_with(s))
}

/// The proposal for a case: the advies's sections anonymised and laid out as published.
pub async fn propose(db: &impl ConnectionTrait, c: &case::Model, a: &advies::Model) -> Result<Fields, DbErr> {
    let terms = terms_of(db, c).await?;
    let school = school::Entity::find_by_id(c.school_id).one(db).await?;
    let paragraphs: Vec<&str> =
        a.section_c.split("\n\n").flat_map(|p| p.split('\n')).map(str::trim).filter(|p| !p.is_empty()).collect();
    let (judgment, reasons): (Vec<&str>, Vec<&str>) = paragraphs.iter().partition(|p| is_judgment(p));
    let outcome = a.outcome.clone().or_else(|| c.outcome.clone()).unwrap_or_default();
    Ok(Fields {
        title: anonymise::anonymise(c.subject.trim_end_matches('.'), &terms),
        sector: school.map(|s| s.sector).unwrap_or_default(),
        theme: c
            .complaint_kind
            .clone()
            .filter(|k| ComplaintKind::parse(k).is_some())
            .unwrap_or_else(|| ComplaintKind::Overig.code().to_owned()),
        outcome,
        situation: anonymise::anonymise(a.section_b.trim(), &terms),
        judgment: anonymise::anonymise(&judgment.join("\n\n"), &terms),
        explanation: anonymise::anonymise(&reasons.join("\n\n"), &terms),
    })
}

/// The publication of a case, if any.
pub async fn of_case(db: &impl ConnectionTrait, case_id: i32) -> Result<Option<publication::Model>, DbErr> {
    publication::Entity::find().filter(publication::Column::CaseId.eq(case_id)).one(db).await
}

/// Makes the proposal (or a new one for a withdrawn publication, keeping its number).
pub async fn create(tx: &mut WriteTx, c: &case::Model) -> Result<publication::Model, PublicationError> {
    if let Some(why) = not_eligible(tx.conn(), c).await? {
        return Err(PublicationError::NotNow(why));
    }
    let existing = of_case(tx.conn(), c.id).await?;
    if let Some(p) = &existing
        && p.status != INGETROKKEN
    {
        return Err(PublicationError::NotNow(
            "Er is al een publicatie voor deze zaak; pas die aan in plaats van een nieuw voorstel te maken.".into(),
        ));
    }
    let a = sent_advies(tx.conn(), c.id)
        .await?
        .ok_or_else(|| PublicationError::NotNow("Deze zaak heeft geen verzonden advies.".into()))?;
    let f = propose(tx.conn(), c, &a).await?;
    let now = Utc::now();
    let search_text = f.search_text(existing.as_ref().and_then(|p| p.number.as_deref()));
    let saved = match existing {
        Some(p) => {
            let mut am: publication::ActiveModel = p.into();
            set_fields(&mut am, &f, search_text);
            am.status = Set(CONCEPT.into());
            am.advies_date = Set(a.advies_date);
            am.reviewed_by = Set(None);
            am.updated_at = Set(now);
            am.update(tx.conn()).await?
        }
        None => {
            let mut am = publication::ActiveModel {
                case_id: Set(Some(c.id)),
                number: Set(None),
                status: Set(CONCEPT.into()),
                advies_date: Set(a.advies_date),
                reviewed_by: Set(None),
                published_at: Set(None),
                withdrawn_at: Set(None),
                withdrawn_reason: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            set_fields(&mut am, &f, search_text);
            am.insert(tx.conn()).await?
        }
    };
    tx.audit(Some(c.id), "publicatie.voorgesteld", json!({ "publicatie": saved.id, "advies_versie": a.version }))
        .await?;
    Ok(saved)
}

fn set_fields(am: &mut publication::ActiveModel, f: &Fields, search_text: String) {
    am.title = Set(f.title.trim().to_owned());
    am.sector = Set(f.sector.clone());
    am.theme = Set(f.theme.clone());
    am.outcome = Set(f.outcome.clone());
    am.situation = Set(f.situation.trim().to_owned());
    am.judgment = Set(f.judgment.trim().to_owned());
    am.explanation = Set(f.explanation.trim().to_owned());
    am.search_text = Set(search_text);
}

/// The form names of the fields that differ (for the audit entry; never their text).
fn changed(before: &Fields, after: &Fields) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = before
        .texts()
        .into_iter()
        .zip(after.texts())
        .filter(|((_, a), (_, b))| a.trim() != b.trim())
        .map(|((f, _), _)| f)
        .collect();
    for (name, a, b) in [
        ("sector", &before.sector, &after.sector),
        ("thema", &before.theme, &after.theme),
        ("uitkomst", &before.outcome, &after.outcome),
    ] {
        if a != b {
            out.push(name);
        }
    }
    out
}

async fn current(tx: &WriteTx, c: &case::Model) -> Result<publication::Model, PublicationError> {
    of_case(tx.conn(), c.id)
        .await?
        .ok_or_else(|| PublicationError::NotNow("Maak eerst een voorstel voor de publicatie.".into()))
}

/// Saves the reviewed fields of a concept.
pub async fn save(tx: &mut WriteTx, c: &case::Model, f: &Fields) -> Result<publication::Model, PublicationError> {
    let p = current(tx, c).await?;
    if p.status != CONCEPT {
        return Err(PublicationError::NotNow(
            "Alleen een concept kan worden bewerkt. Trek een gepubliceerd advies eerst in.".into(),
        ));
    }
    let errors = check_form(f);
    if !errors.is_empty() {
        return Err(PublicationError::Fields(errors));
    }
    let fields = changed(&Fields::of(&p), f);
    let id = p.id;
    let number = p.number.clone();
    let mut am: publication::ActiveModel = p.into();
    set_fields(&mut am, f, f.search_text(number.as_deref()));
    am.updated_at = Set(Utc::now());
    let saved = am.update(tx.conn()).await?;
    tx.audit(Some(c.id), "publicatie.bewerkt", json!({ "publicatie": id, "velden": fields })).await?;
    Ok(saved)
}

/// The next public number in a year: `2026-001`, `2026-002`, ...
async fn next_number(db: &impl ConnectionTrait, year: i32) -> Result<String, DbErr> {
    let prefix = format!("{year:04}-");
    let numbers: Vec<String> = publication::Entity::find()
        .filter(publication::Column::Number.starts_with(&prefix))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| p.number)
        .collect();
    let max = numbers.iter().filter_map(|n| n.strip_prefix(&prefix)?.parse::<u32>().ok()).max().unwrap_or(0);
    Ok(format!("{prefix}{:03}", max + 1))
}

/// Saves the fields and publishes, refused while anything of the case remains in the text.
pub async fn publish(
    tx: &mut WriteTx,
    c: &case::Model,
    f: &Fields,
    reviewer: Option<i32>,
) -> Result<publication::Model, PublicationError> {
    let p = current(tx, c).await?;
    if p.status != CONCEPT {
        return Err(PublicationError::NotNow("Alleen een concept kan worden gepubliceerd.".into()));
    }
    let terms = terms_of(tx.conn(), c).await?;
    let errors = check_publishable(f, &terms);
    if !errors.is_empty() {
        return Err(PublicationError::Fields(errors));
    }
    let number = match &p.number {
        Some(n) => n.clone(),
        None => next_number(tx.conn(), crate::admin::today().year()).await?,
    };
    let id = p.id;
    let now = Utc::now();
    let mut am: publication::ActiveModel = p.into();
    set_fields(&mut am, f, f.search_text(Some(&number)));
    am.number = Set(Some(number.clone()));
    am.status = Set(GEPUBLICEERD.into());
    am.reviewed_by = Set(reviewer);
    am.published_at = Set(Some(now));
    am.withdrawn_at = Set(None);
    am.withdrawn_reason = Set(None);
    am.updated_at = Set(now);
    let saved = am.update(tx.conn()).await?;
    tx.audit(Some(c.id), "publicatie.gepubliceerd", json!({ "publicatie": id, "nummer": number })).await?;
    Ok(saved)
}

/// Withdraws a published advies from the public page, with an internal reason.
pub async fn withdraw(tx: &mut WriteTx, c: &case::Model, reason: &str) -> Result<publication::Model, PublicationError> {
    let p = current(tx, c).await?;
    if p.status != GEPUBLICEERD {
        return Err(PublicationError::NotNow("Alleen een gepubliceerd advies kan worden ingetrokken.".into()));
    }
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(PublicationError::Fields(vec![(
            "reden",
            "Geef de reden van het intrekken (voor het dossier; die wordt niet gepubliceerd).".into(),
        )]));
    }
    if reason.chars().count() > 2000 {
        return Err(PublicationError::Fields(vec![("reden", "De reden is te lang: ten hoogste 2000 tekens.".into())]));
    }
    let (id, number) = (p.id, p.number.clone());
    let now = Utc::now();
    let mut am: publication::ActiveModel = p.into();
    am.status = Set(INGETROKKEN.into());
    am.withdrawn_at = Set(Some(now));
    am.withdrawn_reason = Set(Some(reason.to_owned()));
    am.updated_at = Set(now);
    let saved = am.update(tx.conn()).await?;
    tx.audit(Some(c.id), "publicatie.ingetrokken", json!({ "publicatie": id, "nummer": number })).await?;
    Ok(saved)
}

/// The filters of the public page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicFilter {
    pub sector: Option<String>,
    pub theme: Option<String>,
    pub outcome: Option<String>,
    /// Each must begin a word of the text (folded like [`anonymise::search_text`]).
    pub words: Vec<String>,
    /// 1-based.
    pub page: u64,
}

#[derive(Debug)]
pub struct PublicPage {
    pub rows: Vec<publication::Model>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// One page of published adviezen matching the filters, the newest first.
pub async fn search(db: &impl ConnectionTrait, f: &PublicFilter) -> Result<PublicPage, DbErr> {
    let mut cond = Condition::all().add(publication::Column::Status.eq(GEPUBLICEERD));
    if let Some(s) = &f.sector {
        cond = cond.add(publication::Column::Sector.eq(s.clone()));
    }
    if let Some(t) = &f.theme {
        cond = cond.add(publication::Column::Theme.eq(t.clone()));
    }
    if let Some(o) = &f.outcome {
        cond = cond.add(publication::Column::Outcome.eq(o.clone()));
    }
    for w in &f.words {
        // Words hold letters and digits only (see `query_words`): no LIKE wildcards.
        cond = cond.add(publication::Column::SearchText.like(format!("% {w}%")));
    }
    let query = publication::Entity::find()
        .filter(cond)
        .order_by_desc(publication::Column::PublishedAt)
        .order_by_desc(publication::Column::Id);
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = f.page.clamp(1, pages);
    let rows = query.paginate(db, PAGE_SIZE).fetch_page(page - 1).await?;
    Ok(PublicPage { rows, total, page, pages })
}

/// A published advies by its public number; concepts and withdrawn ones are not found.
pub async fn published(db: &impl ConnectionTrait, number: &str) -> Result<Option<publication::Model>, DbErr> {
    publication::Entity::find()
        .filter(publication::Column::Number.eq(number))
        .filter(publication::Column::Status.eq(GEPUBLICEERD))
        .one(db)
        .await
}

/// Whether `s` is a public number: `2026-012`.
pub fn is_number(s: &str) -> bool {
    let Some((y, n)) = s.split_once('-') else { return false };
    y.len() == 4 && (3..=6).contains(&n.len()) && y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgment_paragraphs_are_told_from_reasons() {
        assert!(is_judgment("De klacht is gegrond ten aanzien van het toezicht."));
        assert!(is_judgment("De commissie acht de klacht ontvankelijk."));
        assert!(!is_judgment("Uit de stukken blijkt dat de school het protocol niet volgde."));
    }

    #[test]
    fn numbers_are_recognised() {
        assert!(is_number("2026-012"));
        assert!(!is_number("2026-0012345") && !is_number("26-012") && !is_number("2026-01a"));
    }

    #[test]
    fn publishing_names_the_field_with_a_remaining_term() {
        let mut t = Terms::new();
        t.person("Gerard Mulder", "aangeklaagde");
        let f = Fields {
            title: "Toezicht".into(),
            sector: "PO".into(),
            theme: "overig".into(),
            outcome: "gegrond".into(),
            situation: "De klacht gaat over Mulder.".into(),
            judgment: "De klacht is gegrond.".into(),
            explanation: String::new(),
        };
        let errors = check_publishable(&f, &t);
        assert!(errors.iter().any(|(field, m)| *field == "situatie" && m.contains("Situatie") && m.contains("Mulder")));
        assert!(errors.iter().any(|(field, _)| *field == "overwegingen"));
        assert!(!errors.iter().any(|(field, _)| *field == "oordeel"));
    }
}
