//! The dossier export (issue 9): a whole case as one zip over HTTP, opened with the zip crate;
//! every document byte for byte, the index PDF read back with `pdftotext`, the Art 15
//! restrictions of a party's access request, the audit entry and the access log, bad input,
//! and who may not export.

use crate::common::{Backend, TestApp};
use klachtencommissie::audit::{Actor, WriteTx};
use klachtencommissie::domain::case::PartyRole;
use klachtencommissie::entities::{
    access_log, advies, audit_entry, case, document, document_content, party, school, user,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use std::io::Read;

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inhoudsopgave.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed; .ci/run installs it");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs of whitespace as one space, so wrapped sentences can be searched.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every file of a zip, in order, with its bytes.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().into_owned();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (name, out)
        })
        .collect()
}

/// Adds a received text document to the case, restricted as given (`Some(None)`: restricted
/// without a party named).
async fn restricted_document(app: &TestApp, c: &case::Model, title: &str, for_party: Option<PartyRole>) -> i32 {
    let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
    let d = klachtencommissie::cases::documents::add(
        &mut tx,
        c.id,
        klachtencommissie::cases::register::NewDocument {
            title: title.into(),
            file_name: format!("{}.txt", title.to_lowercase().replace(' ', "-")),
            media_type: "text/plain".into(),
            received_on: c.received_on,
            bytes: format!("{title}: vertrouwelijk. ").repeat(50).into_bytes(),
        },
    )
    .await
    .unwrap();
    match for_party {
        Some(p) => klachtencommissie::cases::documents::restrict(&mut tx, c, d.id, Some(p), "gezondheid van de klager")
            .await
            .unwrap(),
        None => {
            let mut am: document::ActiveModel = d.clone().into();
            am.restricted = Set(true);
            am.update(tx.conn()).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    d.id
}

async fn export(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    // A demo case with a sent advies: received documents, letters, the advies PDF.
    let a = advies::Entity::find()
        .filter(advies::Column::PdfDocumentId.is_not_null())
        .order_by_asc(advies::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a demo advies with its PDF");
    let c = case::Entity::find_by_id(a.case_id).one(&app.db).await.unwrap().unwrap();
    let z = c.zaaknummer.clone();
    let medisch = restricted_document(&app, &c, "Medisch verslag", Some(PartyRole::Klager)).await;
    let intern = restricted_document(&app, &c, "Notitie jeugdarts", None).await;
    // A letter as the commission sends it: its PDF is stored as a document of the case.
    {
        use klachtencommissie::domain::letter::{LetterKind, Values};
        use klachtencommissie::letters::compose::{To, send};
        let mut tx = WriteTx::begin(&app.db, Actor::system("test")).await.unwrap();
        let mut v = Values::new();
        v.insert("tekst", "Het dossier wordt gearchiveerd.".into());
        send(&mut tx, &c, LetterKind::VrijeBrief, To::Board, v).await.unwrap();
        tx.commit().await.unwrap();
    }
    let docs = document::Entity::find().filter(document::Column::CaseId.eq(c.id)).all(&app.db).await.unwrap();
    assert!(docs.iter().any(|d| Some(d.id) == a.pdf_document_id), "the advies PDF is a document of the case");
    assert!(docs.iter().any(|d| d.direction == "in") && docs.iter().filter(|d| d.direction == "uit").count() > 2);
    let letter = klachtencommissie::entities::letter::Entity::find()
        .filter(klachtencommissie::entities::letter::Column::CaseId.eq(c.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the letter");
    assert!(docs.iter().any(|d| d.id == letter.document_id), "the letter's PDF is a document of the case");
    let stored: std::collections::HashMap<i32, Vec<u8>> = document_content::Entity::find()
        .filter(document_content::Column::DocumentId.is_in(docs.iter().map(|d| d.id)))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.document_id, c.bytes))
        .collect();
    let school = school::Entity::find_by_id(c.school_id).one(&app.db).await.unwrap().unwrap();
    let secretary =
        user::Entity::find().filter(user::Column::Email.eq("secretaris@demo.nl")).one(&app.db).await.unwrap().unwrap();

    let mut s = app.login("secretaris@demo.nl").await;
    let (status, page) = s.get_text(&format!("/zaken/{z}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/zaken/{z}/dossier\"")), "the case page links to the export");
    let (status, form) = s.get_text(&format!("/zaken/{z}/dossier")).await;
    assert_eq!(status, 200);
    for code in ["archief", "klager", "aangeklaagde"] {
        assert!(form.contains(&format!("value=\"{code}\"")), "{code}");
    }
    assert!(form.contains("name=\"_csrf\""));

    // The archive: everything, each document exactly as stored, in date order.
    let r = s
        .post_form(
            &format!("/zaken/{z}/dossier"),
            &[("doel", "archief"), ("toelichting", "Overdracht aan het archief")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with(&format!("attachment; filename=\"zaak-{z}-dossier.zip\"")), "{disposition}");
    let archive = r.bytes().await.unwrap().to_vec();
    let files = unzip(&archive);
    assert_eq!(files[0].0, "00-inhoudsopgave.pdf");
    assert_eq!(files.len(), docs.len() + 1, "every document and the index");
    for d in &docs {
        let bytes = &stored[&d.id];
        assert_eq!(sha(bytes), d.sha256, "stored bytes match their hash");
        let (name, content) = files
            .iter()
            .find(|(n, _)| n.ends_with(&format!("-{}", d.file_name)) && sha(&files_bytes(&files, n)) == d.sha256)
            .unwrap_or_else(|| panic!("{} ({}) is in the zip", d.title, d.file_name));
        assert_eq!(content, bytes, "{name}");
        let dir = if d.direction == "uit" { "verzonden" } else { "ontvangen" };
        assert!(name.contains(&format!("-{}-{dir}-", d.received_on.format("%Y-%m-%d"))), "{name}");
    }
    let numbered: Vec<&str> = files[1..].iter().map(|(n, _)| n.as_str()).collect();
    for (i, n) in numbered.iter().enumerate() {
        assert!(n.starts_with(&format!("{:02}-", i + 1)), "numbered in sequence: {n}");
    }
    let dates: Vec<&str> = numbered.iter().map(|n| &n[3..13]).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "in date order: {dates:?}");
    let index = pdftotext(&files[0].1);
    let index_flat = flat(&index);
    for needle in [
        z.as_str(),
        school.name.as_str(),
        "Archivering",
        secretary.name.as_str(),
        "Overdracht aan het archief",
        "beperkte inzage",
    ] {
        assert!(index_flat.contains(needle), "the index names {needle}:\n{index}");
    }
    for (name, bytes) in &files[1..] {
        assert!(index.contains(&sha(bytes)), "the index lists {name} with its SHA-256:\n{index}");
        assert!(index_flat.contains(&format!("Bestand: {name}")), "the index names {name}:\n{index}");
    }

    // The klager's access request: restricted documents stay out, counted but not named.
    for party in ["klager", "aangeklaagde"] {
        let r = s.post_form(&format!("/zaken/{z}/dossier"), &[("doel", party)]).await;
        assert_eq!(r.status(), 200, "{party}");
        let files = unzip(&r.bytes().await.unwrap());
        assert_eq!(files.len(), docs.len() - 2 + 1, "{party}: two restricted documents left out");
        let left_out: Vec<&document::Model> = docs.iter().filter(|d| d.id == medisch || d.id == intern).collect();
        for d in &left_out {
            assert!(files.iter().all(|(n, b)| sha(b) != d.sha256 && !n.contains(&d.file_name)), "{party}: {}", d.title);
        }
        for d in docs.iter().filter(|d| !d.restricted) {
            assert!(files.iter().any(|(_, b)| sha(b) == d.sha256), "{party}: {} is in", d.title);
        }
        let index = flat(&pdftotext(&files[0].1));
        assert!(index.contains(&format!("Inzageverzoek van de {party}")), "{index}");
        assert!(index.contains("2 documenten uit het dossier zijn niet opgenomen"), "{index}");
        assert!(index.contains("artikel 15"), "{index}");
        assert!(!index.contains("Medisch verslag") && !index.contains("Notitie jeugdarts"), "titles withheld too");
    }

    // Audited: purpose, counts and the zip's hash; no personal data.
    let audits = audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.eq(c.id))
        .filter(audit_entry::Column::Action.eq("dossier.geexporteerd"))
        .order_by_asc(audit_entry::Column::Seq)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audits.len(), 3);
    let first: serde_json::Value = serde_json::from_str(&audits[0].detail).unwrap();
    assert_eq!(first["doel"], "archief");
    assert_eq!(first["bestanden"], docs.len());
    assert_eq!(first["achtergehouden"], 0);
    assert_eq!(first["sha256"], sha(&archive), "the audit names the zip that was handed out");
    let second: serde_json::Value = serde_json::from_str(&audits[1].detail).unwrap();
    assert_eq!((second["doel"].as_str(), second["achtergehouden"].as_u64()), (Some("klager"), Some(2)));
    assert_eq!(audits[0].user_id, Some(secretary.id));
    let names: Vec<String> = party::Entity::find()
        .filter(party::Column::CaseId.eq(c.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    for e in &audits {
        for n in &names {
            assert!(!e.detail.contains(n.as_str()), "no party name in {}", e.detail);
        }
        assert!(!e.detail.contains("Overdracht"), "the remark is not audited");
    }
    // And in the access log, as a download by the secretary.
    let logged = access_log::Entity::find()
        .filter(access_log::Column::CaseId.eq(c.id))
        .filter(access_log::Column::UserId.eq(secretary.id))
        .filter(access_log::Column::Detail.contains("dossier als zip"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(logged.len(), 3);
    assert!(logged.iter().all(|l| l.what == "document"));
    assert!(logged.iter().any(|l| l.detail.as_deref().unwrap().contains("inzageverzoek klager")));

    // Bad input: a Dutch message on the form, the input kept, nothing recorded.
    let (status, body) = crate::common::post(
        &mut s,
        &format!("/zaken/{z}/dossier"),
        &[("doel", "iedereen"), ("toelichting", "Verzoek van 12 november")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Kies waarvoor het dossier wordt geëxporteerd"), "{body}");
    assert!(body.contains("value=\"Verzoek van 12 november\""), "the remark is kept");
    let long = "x".repeat(301);
    let (status, body) =
        crate::common::post(&mut s, &format!("/zaken/{z}/dossier"), &[("doel", "klager"), ("toelichting", &long)])
            .await;
    assert_eq!(status, 422);
    assert!(body.contains("value=\"klager\" checked"), "the choice is kept");
    let count = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("dossier.geexporteerd"))
        .all(&app.db)
        .await
        .unwrap()
        .len();
    assert_eq!(count, 3, "a refused form records nothing");

    // Only the secretariat and the beheerder export; the beheerder may.
    let mut b = app.login("beheerder@demo.nl").await;
    let r = b.post_form(&format!("/zaken/{z}/dossier"), &[("doel", "archief")]).await;
    assert_eq!(r.status(), 200);
    for who in ["voorzitter@demo.nl", "voorzitter3@demo.nl", "lid@demo.nl", "bestuur@demo.nl", "bestuur2@demo.nl"] {
        let mut u = app.login(who).await;
        assert_eq!(u.get(&format!("/zaken/{z}/dossier")).await.status(), 403, "{who}");
        assert_eq!(u.post_form(&format!("/zaken/{z}/dossier"), &[("doel", "archief")]).await.status(), 403, "{who}");
        let (_, page) = u.get_text(&format!("/zaken/{z}")).await;
        assert!(!page.contains(&format!("/zaken/{z}/dossier")), "{who} is not offered the export");
    }
    assert!(klachtencommissie::audit::verify(&app.db).await.unwrap().result.is_ok());
}

fn files_bytes(files: &[(String, Vec<u8>)], name: &str) -> Vec<u8> {
    files.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()).unwrap_or_default()
}

crate::on_both!(dossier_export, export);
