//! Publication of anonymised adviezen (issue 9): on a demo case whose advies was sent, with an
//! advies text rewritten to name everyone and everything the case records, the proposal made
//! over HTTP holds none of the case's party names (nor their parts), its school, its board,
//! addresses, places, e-mail addresses, phone numbers, the panel or the zaaknummer. Publishing
//! is refused while a name remains (the field is named, the input kept); the published advies
//! is found on the public page by a word, by sector, theme and outcome; concepts and withdrawn
//! publications are never public; members and board users cannot reach the secretary's page;
//! the audit entries name no one.

use crate::common::{Backend, Client, TestApp, post};
use klachtencommissie::entities::{advies, audit_entry, board, case, member, panel_member, party, publication, school};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Everything identifying the case records, as text.
struct Records {
    names: Vec<String>,
    school: school::Model,
    board: board::Model,
    addresses: Vec<String>,
    emails: Vec<String>,
    phones: Vec<String>,
}

async fn records(db: &DatabaseConnection, c: &case::Model) -> Records {
    let parties = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).all(db).await.unwrap();
    let seats = panel_member::Entity::find().filter(panel_member::Column::CaseId.eq(c.id)).all(db).await.unwrap();
    let members = member::Entity::find()
        .filter(member::Column::Id.is_in(seats.iter().map(|s| s.member_id)))
        .all(db)
        .await
        .unwrap();
    let school = school::Entity::find_by_id(c.school_id).one(db).await.unwrap().unwrap();
    let board = board::Entity::find_by_id(c.board_id).one(db).await.unwrap().unwrap();
    let mut addresses: Vec<String> = parties.iter().filter_map(|p| p.address.clone()).collect();
    addresses.push(school.address.clone());
    addresses.push(board.address.clone());
    Records {
        names: parties.iter().map(|p| p.name.clone()).chain(members.iter().map(|m| m.name.clone())).collect(),
        emails: parties.iter().filter_map(|p| p.email.clone()).chain(members.iter().map(|m| m.email.clone())).collect(),
        phones: parties.iter().filter_map(|p| p.phone.clone()).collect(),
        school,
        board,
        addresses,
    }
}

/// The words of a name that identify: capitalised, three letters or more, no title or
/// initial (`mr. B. (Bas) Hofman, bestuurssecretaris` gives Bas and Hofman).
fn name_words(name: &str) -> Vec<String> {
    let name = name.split(',').next().unwrap();
    name.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '-'))
        .filter(|w| w.chars().count() >= 3 && !w.ends_with('.'))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter(|w| !matches!(*w, "MSc" | "Stichting" | "Katholiek" | "Onderwijs" | "Sint"))
        .map(str::to_owned)
        .collect()
}

/// Every identifying word or phrase of the case, lowercase.
fn forbidden(r: &Records, zaaknummer: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in &r.names {
        out.push(n.split(',').next().unwrap().to_owned());
        out.extend(name_words(n));
    }
    out.push(r.school.name.clone());
    out.extend(name_words(&r.school.name));
    out.push(r.board.name.clone());
    out.push("De Waarden".into());
    out.push(r.school.place.clone());
    for a in &r.addresses {
        for line in a.lines() {
            out.push(line.trim().to_owned());
            // The street, the postcode's digits, the place.
            out.extend(line.split_whitespace().filter(|w| w.chars().count() >= 4).map(str::to_owned));
        }
    }
    out.extend(r.emails.iter().cloned());
    out.extend(r.phones.iter().cloned());
    out.push(zaaknummer.to_owned());
    out.into_iter().map(|s| s.to_lowercase()).filter(|s| !s.is_empty()).collect()
}

/// Whether `needle` occurs in `hay` as a whole word (both lowercase).
fn has_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn assert_clean(text: &str, forbidden: &[String], what: &str) {
    let lower = text.to_lowercase();
    for f in forbidden {
        assert!(!has_word(&lower, f), "{what} still holds {f:?}:\n{text}");
    }
}

async fn send(c: &mut Client, path: String, f: Vec<(String, String)>) -> (u16, String) {
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(c, &path, &refs).await
}

/// An advies that names everyone, as a careless draft might.
fn careless_advies(r: &Records, zaaknummer: &str) -> (String, String) {
    let klager = &r.names[0];
    let first = |n: &str| name_words(n).first().cloned().unwrap_or_default();
    let last = |n: &str| name_words(n).last().cloned().unwrap_or_default();
    let others: Vec<String> = r.names.iter().skip(1).map(|n| format!("{} ({})", n, last(n))).collect();
    let b = format!(
        "In zaak {zaaknummer} klaagt {klager}, wonende aan {addr}, over {school} te {place}. {first_k} stelt dat {school_short} \
         de afspraken niet nakwam. Mevrouw {last_k} is bereikbaar via {email} en {phone}.\n\n\
         Bij de behandeling waren betrokken: {others}. Het bestuur, {board}, zetelt aan {board_addr}.",
        addr = r.addresses[0].replace('\n', ", "),
        school = r.school.name,
        place = r.school.place,
        first_k = first(klager),
        school_short = r.school.name.replace("Sint-", ""),
        last_k = last(klager),
        email = r.emails.first().cloned().unwrap_or_default(),
        phone = r.phones.first().cloned().unwrap_or_else(|| "055-1234567".into()),
        others = others.join("; "),
        board = r.board.name,
        board_addr = r.board.address.replace('\n', " "),
    );
    let c = format!(
        "De commissie acht de klacht ontvankelijk.\n\nDe klacht is gedeeltelijk gegrond.\n\n\
         {first_k}s zorgen over de begeleidingsafspraken waren terecht: {school} heeft de ondersteuning \
         maandenlang niet gegeven. {last_o} heeft dat ter zitting erkend.",
        first_k = first(klager),
        school = r.school.name,
        last_o = last(&r.names[1]),
    );
    (b, c)
}

async fn the_secretary_publishes_an_anonymised_advies(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = &app.db;
    // A demo case whose advies was sent and is still a concept publication: start afresh.
    let concept =
        publication::Entity::find().filter(publication::Column::Status.eq("concept")).one(db).await.unwrap().unwrap();
    let c = case::Entity::find_by_id(concept.case_id.unwrap()).one(db).await.unwrap().unwrap();
    publication::Entity::delete_by_id(concept.id).exec(db).await.unwrap();
    let z = c.zaaknummer.clone();
    let r = records(db, &c).await;
    let forbidden = forbidden(&r, &z);
    let sent = advies::Entity::find()
        .filter(advies::Column::CaseId.eq(c.id))
        .filter(advies::Column::Status.eq("verzonden"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let (b, cc) = careless_advies(&r, &z);
    let mut am: advies::ActiveModel = sent.into();
    am.section_b = Set(b.clone());
    am.section_c = Set(cc.clone());
    am.update(db).await.unwrap();
    // The careless text does name them (the check below means something).
    assert!(forbidden.iter().filter(|f| has_word(&b.to_lowercase(), f)).count() > 10);

    let mut s = app.login("secretaris@demo.nl").await;
    let (status, html) = s.get_text(&format!("/zaken/{z}/publicatie")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Voorstel maken"), "{html}");
    let (_, case_page) = s.get_text(&format!("/zaken/{z}")).await;
    assert!(case_page.contains(&format!("/zaken/{z}/publicatie")), "the case page links to the publication");

    let (status, _) = post(&mut s, &format!("/zaken/{z}/publicatie"), &[]).await;
    assert_eq!(status, 303);
    let p = publication::Entity::find().filter(publication::Column::CaseId.eq(c.id)).one(db).await.unwrap().unwrap();
    assert_eq!(p.status, "concept");
    assert_eq!(p.number, None);
    assert_eq!(p.sector, r.school.sector);
    assert_eq!(Some(p.theme.clone()), c.complaint_kind.clone());
    assert_eq!(p.outcome, "gedeeltelijk_gegrond");
    for (what, text) in
        [("title", &p.title), ("situation", &p.situation), ("judgment", &p.judgment), ("explanation", &p.explanation)]
    {
        assert_clean(text, &forbidden, what);
    }
    assert!(p.situation.contains("klager") && p.situation.contains("de school"), "{}", p.situation);
    assert!(p.situation.contains("het bevoegd gezag") && p.situation.contains("[adres]"), "{}", p.situation);
    assert!(p.judgment.contains("gedeeltelijk gegrond") && !p.judgment.contains("maandenlang"), "{}", p.judgment);
    assert!(p.explanation.contains("begeleidingsafspraken"), "{}", p.explanation);
    // A second proposal while this one exists is refused, nothing written.
    let (status, html) = post(&mut s, &format!("/zaken/{z}/publicatie"), &[]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Er is al een publicatie"));

    // The concept is not public.
    let anon = app.client();
    let (_, list) = anon.get_text("/uitspraken?q=begeleidingsafspraken").await;
    assert!(list.contains("Geen uitspraken gevonden"), "{list}");

    // Publishing with a name put back, and with an empty field: refused, naming the field,
    // the input kept.
    let name = name_words(&r.names[0]).last().cloned().unwrap();
    let situation = format!("{} Volgens {name} ging het mis.", p.situation);
    let fields = |situation: &str, explanation: &str| -> Vec<(String, String)> {
        vec![
            ("titel".into(), p.title.clone()),
            ("sector".into(), p.sector.clone()),
            ("thema".into(), p.theme.clone()),
            ("uitkomst".into(), p.outcome.clone()),
            ("situatie".into(), situation.to_owned()),
            ("oordeel".into(), p.judgment.clone()),
            ("overwegingen".into(), explanation.to_owned()),
        ]
    };
    let publish_path = format!("/zaken/{z}/publicatie/publiceren");
    let (status, html) = send(&mut s, publish_path.clone(), fields(&situation, "")).await;
    assert_eq!(status, 422);
    assert!(html.contains("In het veld Situatie staat nog iets dat de zaak herkenbaar maakt"), "{html}");
    assert!(html.contains(&format!("‘{name}’")), "the name found is shown");
    assert!(html.contains("Vul overwegingen in"), "{html}");
    assert!(html.contains(&format!("Volgens {name} ging het mis.")), "the input is kept");
    let still = publication::Entity::find_by_id(p.id).one(db).await.unwrap().unwrap();
    assert_eq!((still.status.as_str(), &still.situation), ("concept", &p.situation), "nothing written");

    // Saving keeps it a concept; publishing the clean text succeeds.
    let explanation = format!("{}\n\nDe school had de ondersteuning moeten organiseren.", p.explanation);
    let (status, _) = send(&mut s, format!("/zaken/{z}/publicatie/opslaan"), fields(&p.situation, &explanation)).await;
    assert_eq!(status, 303);
    let (status, _) = send(&mut s, publish_path.clone(), fields(&p.situation, &explanation)).await;
    assert_eq!(status, 303);
    let p = publication::Entity::find_by_id(p.id).one(db).await.unwrap().unwrap();
    assert_eq!(p.status, "gepubliceerd");
    let number = p.number.clone().unwrap();
    assert!(p.published_at.is_some() && p.reviewed_by.is_some());
    for text in [&p.title, &p.situation, &p.judgment, &p.explanation] {
        assert_clean(text, &forbidden, "published");
    }

    // The public page, without signing in: the text, by a word, by each filter.
    let (status, page) = anon.get_text(&format!("/uitspraken/{number}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Situatie") && page.contains("Oordeel") && page.contains("Overwegingen"));
    assert!(page.contains("begeleidingsafspraken"));
    assert_clean(&page, &forbidden, "public page");
    let found = |q: String| {
        let anon = &anon;
        let number = number.clone();
        async move {
            let (status, html) = anon.get_text(&format!("/uitspraken?{q}")).await;
            assert_eq!(status, 200);
            html.contains(&format!("/uitspraken/{number}"))
        }
    };
    assert!(found("q=begeleidingsafspraken".into()).await);
    assert!(found("q=BEGELEIDINGS%20ondersteun".into()).await, "prefixes, any case");
    assert!(found("q=b%C3%A9geleidingsafspraken".into()).await, "diacritics folded");
    assert!(!found("q=begeleidingsafspraken%20onbestaandwoord".into()).await, "every word must match");
    assert!(found(format!("sector={}", p.sector)).await);
    assert!(!found(format!("sector={}", if p.sector == "PO" { "VO" } else { "PO" })).await);
    assert!(found(format!("thema={}", p.theme)).await);
    assert!(!found(format!("thema={}", if p.theme == "overig" { "bejegening" } else { "overig" })).await);
    assert!(found("uitkomst=gedeeltelijk_gegrond".into()).await);
    assert!(!found("uitkomst=ongegrond".into()).await);
    assert!(
        found(format!("sector={}&thema={}&uitkomst=gedeeltelijk_gegrond&q=ondersteuning", p.sector, p.theme)).await
    );

    // The withdrawn demo publication and concepts are never public.
    let withdrawn = publication::Entity::find()
        .filter(publication::Column::Status.eq("ingetrokken"))
        .one(db)
        .await
        .unwrap()
        .expect("a withdrawn demo publication");
    let withdrawn_number = withdrawn.number.unwrap();
    assert_eq!(anon.get(&format!("/uitspraken/{withdrawn_number}")).await.status(), 404);
    let (_, all) = anon.get_text("/uitspraken").await;
    assert!(!all.contains(&format!("/uitspraken/{withdrawn_number}")));
    assert_eq!(anon.get("/uitspraken/2099-999").await.status(), 404);
    assert_eq!(anon.get("/uitspraken/onzin").await.status(), 404);

    // Members and board users cannot reach the secretary's pages.
    for who in ["lid@demo.nl", "voorzitter@demo.nl", "voorzitter3@demo.nl", "bestuur@demo.nl"] {
        let mut u = app.login(who).await;
        assert_eq!(u.get(&format!("/zaken/{z}/publicatie")).await.status(), 403, "{who}");
        let (status, _) =
            post(&mut u, &format!("/zaken/{z}/publicatie/intrekken"), &[("reden", "Zomaar ingetrokken")]).await;
        assert_eq!(status, 403, "{who}");
    }
    let r = anon.get(&format!("/zaken/{z}/publicatie")).await;
    assert!(r.status() == 303 && r.headers()["location"].to_str().unwrap().starts_with("/login"));

    // Withdrawing needs a reason; then it is gone from the public page.
    let (status, html) = post(&mut s, &format!("/zaken/{z}/publicatie/intrekken"), &[("reden", "")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Geef de reden van het intrekken"));
    let (status, _) =
        post(&mut s, &format!("/zaken/{z}/publicatie/intrekken"), &[("reden", "Het bestuur vraagt om uitstel.")]).await;
    assert_eq!(status, 303);
    assert_eq!(anon.get(&format!("/uitspraken/{number}")).await.status(), 404);
    assert!(!found("q=begeleidingsafspraken".into()).await);

    // The audit entries name ids and numbers only.
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.eq(c.id))
        .filter(audit_entry::Column::Action.starts_with("publicatie."))
        .all(db)
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for a in ["publicatie.voorgesteld", "publicatie.bewerkt", "publicatie.gepubliceerd", "publicatie.ingetrokken"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    for e in &entries {
        assert_clean(&e.detail, &forbidden, "audit detail");
        assert!(!e.detail.contains("uitstel") && !e.detail.contains("begeleidingsafspraken"), "{}", e.detail);
    }
}

crate::on_both!(publish_anonymised, the_secretary_publishes_an_anonymised_advies);

async fn only_a_sent_advies_can_be_published(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let c = crate::common::case_in(&app.db, "advies_in_voorbereiding").await;
    let mut s = app.login("secretaris@demo.nl").await;
    let (status, html) = s.get_text(&format!("/zaken/{}/publicatie", c.zaaknummer)).await;
    assert_eq!(status, 200);
    assert!(html.contains("geen verzonden advies"), "{html}");
    let (status, html) = post(&mut s, &format!("/zaken/{}/publicatie", c.zaaknummer), &[]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Alleen een uitgebracht advies kan worden gepubliceerd"));
    assert!(
        publication::Entity::find().filter(publication::Column::CaseId.eq(c.id)).one(&app.db).await.unwrap().is_none()
    );
    // The demo holds a publication in every state, and the list shows the published ones only.
    let all = publication::Entity::find().all(&app.db).await.unwrap();
    for st in ["concept", "gepubliceerd", "ingetrokken"] {
        assert!(all.iter().any(|p| p.status == st), "a demo publication {st}");
    }
    let (_, list) = app.client().get_text("/uitspraken").await;
    let published = all.iter().filter(|p| p.status == "gepubliceerd").count();
    assert!(list.contains(&format!("{published} uitspraken gevonden")), "{list}");
}

crate::on_both!(only_sent_adviezen, only_a_sent_advies_can_be_published);
