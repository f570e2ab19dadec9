//! Letter templates: the defaults shipped in `fixtures/letters/`, and the versions the
//! secretary saves. A template is never changed in place; the newest version is used.

use crate::audit::WriteTx;
use crate::domain::letter::{self, LetterKind};
use crate::domain::validate::FieldErrors;
use crate::entities::letter_template;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::OnConflict,
};
use serde_json::json;

/// The shipped text of a kind: `Onderwerp: ...`, an empty line, the body.
pub fn shipped(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::Ontvangstbevestiging => include_str!("../../fixtures/letters/ontvangstbevestiging.txt"),
        LetterKind::OntvangstStuk => include_str!("../../fixtures/letters/ontvangst_stuk.txt"),
        LetterKind::MeldingBevoegdGezag => include_str!("../../fixtures/letters/melding_bevoegd_gezag.txt"),
        LetterKind::VrijeBrief => include_str!("../../fixtures/letters/vrije_brief.txt"),
        LetterKind::Herstelverzoek => include_str!("../../fixtures/letters/herstelverzoek.txt"),
        LetterKind::NietOntvankelijk => include_str!("../../fixtures/letters/niet_ontvankelijk.txt"),
        LetterKind::Doorgezonden => include_str!("../../fixtures/letters/doorgezonden.txt"),
        LetterKind::DoorzendingAangeklaagde => include_str!("../../fixtures/letters/doorzending_aangeklaagde.txt"),
        LetterKind::DoorzendingVerweerschrift => include_str!("../../fixtures/letters/doorzending_verweerschrift.txt"),
        LetterKind::VerlengingVerweer => include_str!("../../fixtures/letters/verlenging_verweer.txt"),
        LetterKind::Intrekking => include_str!("../../fixtures/letters/intrekking.txt"),
        LetterKind::AfloopBevoegdGezag => include_str!("../../fixtures/letters/afloop_bevoegd_gezag.txt"),
        LetterKind::BeslissingWraking => include_str!("../../fixtures/letters/beslissing_wraking.txt"),
        LetterKind::Vereenvoudigd => include_str!("../../fixtures/letters/vereenvoudigd.txt"),
        LetterKind::SchriftelijkeBehandeling => include_str!("../../fixtures/letters/schriftelijke_behandeling.txt"),
        LetterKind::DoorzendingStuk => include_str!("../../fixtures/letters/doorzending_stuk.txt"),
        LetterKind::Informatieverzoek => include_str!("../../fixtures/letters/informatieverzoek.txt"),
        LetterKind::MeldingInformatieverzoek => include_str!("../../fixtures/letters/melding_informatieverzoek.txt"),
        LetterKind::UitnodigingVerschijning => include_str!("../../fixtures/letters/uitnodiging_verschijning.txt"),
        LetterKind::UitnodigingZitting => include_str!("../../fixtures/letters/uitnodiging_zitting.txt"),
        LetterKind::WijzigingZitting => include_str!("../../fixtures/letters/wijziging_zitting.txt"),
        LetterKind::AfzeggingZitting => include_str!("../../fixtures/letters/afzegging_zitting.txt"),
        LetterKind::BeslissingApartHoren => include_str!("../../fixtures/letters/beslissing_apart_horen.txt"),
        LetterKind::GetuigenCommissie => include_str!("../../fixtures/letters/getuigen_commissie.txt"),
        LetterKind::VerslagGetuige => include_str!("../../fixtures/letters/verslag_getuige.txt"),
        LetterKind::Schikking => include_str!("../../fixtures/letters/schikking.txt"),
        LetterKind::Heropening => include_str!("../../fixtures/letters/heropening.txt"),
        LetterKind::AdviesVerzending => include_str!("../../fixtures/letters/advies.txt"),
        LetterKind::VerlengingAdvies => include_str!("../../fixtures/letters/verlenging_advies.txt"),
        LetterKind::Opgelost => include_str!("../../fixtures/letters/opgelost.txt"),
        LetterKind::SchoolOntvangst => include_str!("../../fixtures/letters/school_ontvangst.txt"),
        LetterKind::SchoolBeslissing => include_str!("../../fixtures/letters/school_beslissing.txt"),
        LetterKind::SchoolUitstel => include_str!("../../fixtures/letters/school_uitstel.txt"),
    }
}

/// Inserts version 1 of every kind that has none yet. Safe to run from several instances at
/// once: a version that another instance wrote first is left alone.
pub async fn ensure_defaults(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for kind in LetterKind::ALL {
        let (subject, body) = letter::parse_shipped(shipped(*kind))
            .ok_or_else(|| DbErr::Custom(format!("shipped template {} has no subject line", kind.code())))?;
        letter_template::Entity::insert(letter_template::ActiveModel {
            kind: Set(kind.code().to_owned()),
            version: Set(1),
            subject: Set(subject),
            body: Set(body),
            created_by: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([letter_template::Column::Kind, letter_template::Column::Version])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// The version in use: the newest.
pub async fn current(db: &impl ConnectionTrait, kind: LetterKind) -> Result<letter_template::Model, DbErr> {
    letter_template::Entity::find()
        .filter(letter_template::Column::Kind.eq(kind.code()))
        .order_by_desc(letter_template::Column::Version)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("letter template {}", kind.code())))
}

/// Earlier versions, newest first.
pub async fn history(db: &impl ConnectionTrait, kind: LetterKind) -> Result<Vec<letter_template::Model>, DbErr> {
    letter_template::Entity::find()
        .filter(letter_template::Column::Kind.eq(kind.code()))
        .order_by_desc(letter_template::Column::Version)
        .limit(50)
        .all(db)
        .await
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<letter_template::Model>, DbErr> {
    letter_template::Entity::find_by_id(id).one(db).await
}

/// Checks a template's subject and body for a kind: the errors per field, in Dutch.
pub fn validate(kind: LetterKind, subject: &str, body: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let describe = |errs: Vec<letter::TemplateError>| {
        let list: Vec<String> = errs.iter().map(ToString::to_string).collect();
        format!("Niet te gebruiken: {}. Kies een invulplek uit de lijst.", list.join("; "))
    };
    if subject.trim().is_empty() {
        errors.add("onderwerp", "Een brief heeft een onderwerp.");
    } else if subject.chars().count() > 200 || subject.contains('\n') {
        errors.add("onderwerp", "Het onderwerp is één regel van ten hoogste 200 tekens.");
    } else {
        let errs = letter::check(kind, subject);
        if !errs.is_empty() {
            errors.add("onderwerp", describe(errs));
        }
    }
    if body.trim().is_empty() {
        errors.add("tekst", "De brief heeft een tekst nodig.");
    } else if body.chars().count() > 20_000 {
        errors.add("tekst", "De tekst is te lang (ten hoogste 20.000 tekens).");
    } else {
        let errs = letter::check(kind, body);
        if !errs.is_empty() {
            errors.add("tekst", describe(errs));
        }
    }
    errors
}

/// Saves a new version. The version number is taken inside the writing transaction, which
/// writers enter one at a time, so two secretaries saving at once get two versions.
pub async fn save(
    tx: &mut WriteTx,
    kind: LetterKind,
    subject: &str,
    body: &str,
) -> Result<Result<letter_template::Model, FieldErrors>, DbErr> {
    let errors = validate(kind, subject, body);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let previous = current(tx.conn(), kind).await?;
    let body = body.replace("\r\n", "\n");
    if previous.subject == subject.trim() && previous.body == body.trim_end() {
        return Ok(Ok(previous));
    }
    let saved = letter_template::ActiveModel {
        kind: Set(kind.code().to_owned()),
        version: Set(previous.version + 1),
        subject: Set(subject.trim().to_owned()),
        body: Set(body.trim_end().to_owned()),
        created_by: Set(tx.actor().user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        None,
        "sjabloon.gewijzigd",
        json!({ "soort": kind.label(), "versie": saved.version, "vorige_versie": previous.version }),
    )
    .await?;
    Ok(Ok(saved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_parses_and_uses_only_its_placeholders() {
        for kind in LetterKind::ALL {
            let (subject, body) = letter::parse_shipped(shipped(*kind)).expect("subject line");
            assert!(validate(*kind, &subject, &body).is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn validation_names_the_unknown_placeholder() {
        let e = validate(LetterKind::Ontvangstbevestiging, "Over {{zaak}}", "{{tekst}}");
        assert!(e.get("onderwerp").unwrap().contains("{{zaak}}"));
        assert!(e.get("tekst").unwrap().contains("{{tekst}}"));
        let e = validate(LetterKind::VrijeBrief, "", " ");
        assert!(e.contains("onderwerp") && e.contains("tekst"));
    }
}
