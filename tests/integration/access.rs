//! Every route of the router against a table of who may reach it. A route added to the
//! router without a row here fails `every_route_is_in_the_table`.

use crate::common::{Backend, TestApp, demo_case};
use klachtencommissie::entities::{
    document, holiday_period, member, member_affiliation, notification, outbox_message, party, register_document,
    register_entry, school, user,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Who may reach a route:
/// - "public": everyone, signed in or not;
/// - "signed-in": every signed-in user;
/// - "case": those who may see the case: secretariat and beheerder, its panel, its own board;
/// - "manage-case": the secretariat and beheerder (on a case they may see);
/// - "decide-case": also the chair, on a case they may see (decisions on terms);
/// - "register", "administer", "commission": by role (see `allowed`).
const TABLE: &[(&str, &str, &str)] = &[
    ("GET", "/login", "public"),
    ("POST", "/login", "public"),
    ("POST", "/logout", "signed-in"),
    ("GET", "/login/code", "pending-login"),
    ("POST", "/login/code", "pending-login"),
    ("GET", "/login/inrichten", "pending-login"),
    ("POST", "/login/inrichten", "pending-login"),
    ("GET", "/account/tweestaps", "signed-in"),
    ("POST", "/account/tweestaps/starten", "signed-in"),
    ("POST", "/account/tweestaps/bevestigen", "signed-in"),
    ("POST", "/account/tweestaps/herstelcodes", "signed-in"),
    ("POST", "/account/tweestaps/uitschakelen", "signed-in"),
    ("POST", "/beheer/gebruikers/{user_id}/tweestaps-herstellen", "administer"),
    ("GET", "/", "signed-in"),
    ("GET", "/zaken", "signed-in"),
    ("GET", "/zaken/nieuw", "register"),
    ("POST", "/zaken", "register"),
    ("GET", "/zaken/{zaaknummer}", "case"),
    ("GET", "/zaken/{zaaknummer}/inzage-log", "administer"),
    ("POST", "/zaken/{zaaknummer}/documenten", "manage-case"),
    ("GET", "/zaken/{zaaknummer}/documenten/{document_id}", "case"),
    ("GET", "/zaken/{zaaknummer}/dossier", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/dossier", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/commissie", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/commissie/{member_id}/verwijderen", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/commissie/voorstel", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/wraking", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/documenten/{document_id}/inzage", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/betrokkenen/{party_id}/hoedanigheid", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/soort-klacht", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/wraking/{recusal_id}/stem", "panel"),
    ("GET", "/termijnen", "signed-in"),
    ("POST", "/zaken/{zaaknummer}/termijnen/{deadline_id}/verlengen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/termijnen/{deadline_id}/opschorten", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/termijnen/{deadline_id}/hervatten", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/termijnen/{deadline_id}/afsluiten", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/spoed", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/termijnen/{deadline_id}/spoed", "decide-case"),
    ("GET", "/beheer/vakanties", "administer"),
    ("POST", "/beheer/vakanties", "administer"),
    ("POST", "/beheer/vakanties/{period_id}/verwijderen", "administer"),
    ("POST", "/beheer/feestdagen", "administer"),
    ("POST", "/beheer/feestdagen/{day}/verwijderen", "administer"),
    ("GET", "/beheer/scholen/{school_id}/vakanties", "administer"),
    ("POST", "/beheer/scholen/{school_id}/vakanties", "administer"),
    ("POST", "/beheer/scholen/{school_id}/vakanties/import", "administer"),
    ("POST", "/beheer/scholen/{school_id}/vakanties/{period_id}/verwijderen", "administer"),
    ("GET", "/commissie", "commission"),
    ("GET", "/rapportage/jaarverslag", "commission"),
    ("GET", "/rapportage/jaarverslag.csv", "commission"),
    ("GET", "/rapportage/jaarverslag.pdf", "commission"),
    ("GET", "/commissie/rooster", "commission"),
    ("POST", "/commissie/leden", "administer"),
    ("POST", "/commissie/leden/{member_id}/herbenoemen", "administer"),
    ("POST", "/commissie/leden/{member_id}/verbondenheden", "administer"),
    ("POST", "/commissie/verbondenheden/{affiliation_id}/verwijderen", "administer"),
    ("GET", "/beheer", "administer"),
    ("GET", "/beheer/besturen", "administer"),
    ("POST", "/beheer/besturen", "administer"),
    ("POST", "/beheer/besturen/{board_id}/opzegging", "administer"),
    ("GET", "/beheer/bewaartermijn", "administer"),
    ("POST", "/beheer/bewaartermijn", "administer"),
    ("POST", "/beheer/bewaartermijn/vernietigen", "administer"),
    ("GET", "/beheer/scholen", "administer"),
    ("POST", "/beheer/scholen", "administer"),
    ("GET", "/beheer/gebruikers", "administer"),
    ("POST", "/beheer/gebruikers", "administer"),
    ("POST", "/beheer/gebruikers/{user_id}/actief", "administer"),
    ("GET", "/static/app.css", "public"),
    ("GET", "/health", "public"),
    ("GET", "/zaken/{zaaknummer}/brieven/nieuw", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/brieven", "manage-case"),
    ("GET", "/brieven", "register"),
    ("GET", "/brieven/berichten/{message_id}", "register"),
    ("POST", "/brieven/berichten/{message_id}/opnieuw", "register"),
    ("GET", "/brieven/post", "register"),
    ("GET", "/brieven/post/brieven.pdf", "register"),
    ("POST", "/brieven/post/verzonden", "register"),
    ("GET", "/brieven/sjablonen", "register"),
    ("POST", "/brieven/briefhoofd", "register"),
    ("GET", "/brieven/sjablonen/{soort}", "register"),
    ("POST", "/brieven/sjablonen/{soort}", "register"),
    ("GET", "/account", "signed-in"),
    ("POST", "/account/meldingen", "signed-in"),
    ("GET", "/meldingen", "signed-in"),
    ("GET", "/meldingen/{notification_id}", "own"),
    ("POST", "/meldingen/gelezen", "signed-in"),
    ("POST", "/zaken/{zaaknummer}/intake/volledigheid", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/feiten", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/vereenvoudigd", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/intake/instemming", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/schriftelijk", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/intake/repliek", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/dupliek", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/verslag", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/vertaling", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/te-laat", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/intake/herstel", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/intake/herstel-ontvangen", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/niet-ontvankelijk", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/intake/doorzenden", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/aangeklaagde", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/verweer-verlengen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/intake/verweerschrift", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/intake/intrekking", "manage-case"),
    ("GET", "/zaken/{zaaknummer}/zitting", "commission-case"),
    ("POST", "/zaken/{zaaknummer}/zitting", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/verplaatsen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/afzeggen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/uitnodigen", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/apart-horen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/verzoek-apart-horen", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/aanwezigheid", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/proces-verbaal", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/zitting/verslag-getuige", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/onderzoek/sluiten", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/onderzoek/heropenen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/inlichtingen", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/inlichtingen/{request_id}/antwoord", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/personen", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/personen/{party_id}/verhinderd", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/verhinderingen/{unavailability_id}/verwijderen", "manage-case"),
    ("POST", "/account/verhinderd", "member"),
    ("POST", "/account/verhinderd/{unavailability_id}/verwijderen", "nothing-found"),
    ("POST", "/account/agenda/vernieuwen", "member"),
    ("GET", "/agenda/{token}", "feed"),
    ("POST", "/zaken/{zaaknummer}/intake/opgelost", "manage-case"),
    ("GET", "/zaken/{zaaknummer}/advies", "commission-case"),
    ("POST", "/zaken/{zaaknummer}/beraadslaging", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/advies/concept", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/advies", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/advies/opmerkingen", "commission-case"),
    ("POST", "/zaken/{zaaknummer}/advies/vaststellen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/advies/ondertekenen", "commission-case"),
    ("POST", "/zaken/{zaaknummer}/advies/verzenden", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/advies/verlengen", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/advies/correctie", "decide-case"),
    ("POST", "/zaken/{zaaknummer}/besluit", "board-case"),
    ("GET", "/verifieer", "public"),
    ("POST", "/verifieer", "public"),
    ("GET", "/.well-known/jwks.json", "public"),
    ("GET", "/register", "board"),
    ("GET", "/register/nieuw", "board"),
    ("POST", "/register", "board"),
    ("POST", "/register/regeling", "board"),
    ("GET", "/register/jaarverslag", "board"),
    ("GET", "/register/{entry_id}", "register-entry"),
    ("GET", "/register/{entry_id}/documenten/{stuk_id}", "register-entry"),
    ("POST", "/register/{entry_id}/documenten", "register-step"),
    ("POST", "/register/{entry_id}/behandelaar", "register-step"),
    ("POST", "/register/{entry_id}/ontvangstbevestiging", "register-step"),
    ("POST", "/register/{entry_id}/uitstel", "register-step"),
    ("POST", "/register/{entry_id}/beslissing", "register-step"),
    ("POST", "/register/{entry_id}/analyse", "register-step"),
    ("POST", "/register/{entry_id}/nagesprek", "register-step"),
    ("POST", "/register/{entry_id}/intrekking", "register-step"),
    ("POST", "/register/{entry_id}/sluiten", "register-step"),
    ("POST", "/register/{entry_id}/acties", "register-step"),
    ("POST", "/register/{entry_id}/voorleggen", "register-step"),
    ("GET", "/koppeling", "board"),
    ("POST", "/koppeling/tokens", "board"),
    ("POST", "/koppeling/tokens/{token_id}/intrekken", "board"),
    ("POST", "/koppeling/webhook", "board"),
    ("POST", "/koppeling/webhook/verwijderen", "board"),
    ("POST", "/koppeling/webhook/geheim", "board"),
    ("POST", "/koppeling/meldingen/{delivery_id}/opnieuw", "board"),
    ("GET", "/zaken/{zaaknummer}/publicatie", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/publicatie", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/publicatie/opslaan", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/publicatie/publiceren", "manage-case"),
    ("POST", "/zaken/{zaaknummer}/publicatie/intrekken", "manage-case"),
    ("GET", "/uitspraken", "public"),
    ("GET", "/uitspraken/{nummer}", "public"),
];

/// The accounts tried on every route. The case under test belongs to the board of
/// bestuur@demo.nl and has voorzitter@demo.nl on its panel but not lid@demo.nl.
const WHO: &[&str] = &[
    "anoniem",
    "beheerder@demo.nl",
    "secretaris@demo.nl",
    "voorzitter@demo.nl",
    "lid@demo.nl",
    "bestuur@demo.nl",
    "bestuur2@demo.nl",
];

fn allowed(class: &str, who: &str) -> bool {
    let staff = matches!(who, "beheerder@demo.nl" | "secretaris@demo.nl");
    match class {
        "public" => true,
        "signed-in" => who != "anoniem",
        "case" => staff || matches!(who, "voorzitter@demo.nl" | "bestuur@demo.nl"),
        "manage-case" | "register" => staff,
        "decide-case" => staff || who == "voorzitter@demo.nl",
        "administer" => who == "beheerder@demo.nl",
        "commission" => staff || who == "voorzitter@demo.nl",
        // A member of this case's panel, voting for themselves (Art 19.3).
        "panel" => who == "voorzitter@demo.nl",
        // Signed in, and then only one's own (others get 404, checked below).
        "own" => who != "anoniem",
        // The commission's working pages of a case: not for board users.
        "commission-case" => staff || who == "voorzitter@demo.nl",
        // The board of the case records its decision on the advies.
        "board-case" => who == "bestuur@demo.nl",
        // A commission member's own settings.
        "member" => matches!(who, "voorzitter@demo.nl" | "lid@demo.nl"),
        // Board users keep their schools' registers.
        "board" => matches!(who, "bestuur@demo.nl" | "bestuur2@demo.nl"),
        // An entry of bestuur@demo.nl's register (not escalated): others find nothing.
        "register-entry" => who == "bestuur@demo.nl",
        // A step on that entry: only its board; another board finds nothing, the rest is refused.
        "register-step" => who == "bestuur@demo.nl",
        // Checked below: nothing of anyone else's is found.
        "nothing-found" | "feed" => true,
        // The second step of a login: without a pending login (its own cookie, set by a right
        // password) everyone, signed in or not, is sent back to the login page.
        "pending-login" => true,
        other => panic!("unknown class {other}"),
    }
}

#[test]
fn every_route_is_in_the_table() {
    let routes = klachtencommissie::web::all_routes().list;
    for r in &routes {
        assert!(
            TABLE.iter().any(|(m, p, _)| *m == r.method && *p == r.path),
            "route {} {} has no row in the access table of tests/integration/access.rs",
            r.method,
            r.path
        );
    }
    for (m, p, _) in TABLE {
        assert!(routes.iter().any(|r| r.method == *m && r.path == *p), "table row {m} {p} is not a route any more");
    }
}

async fn check_all_routes(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let zaak = demo_case(&app.db, "De Waarden").await;
    let case_id = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0.id;
    let doc =
        document::Entity::find().filter(document::Column::CaseId.eq(case_id)).one(&app.db).await.unwrap().unwrap();
    // A member outside this case's panel: the POSTs below must not change who may see it.
    let seated = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().1;
    let m = member::Entity::find()
        .order_by_asc(member::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| !seated.contains(&m.id))
        .unwrap();
    let aff = member_affiliation::Entity::find().one(&app.db).await.unwrap().unwrap();
    let u =
        user::Entity::find().filter(user::Column::Email.eq("bestuur2@demo.nl")).one(&app.db).await.unwrap().unwrap();
    let deadline_id = klachtencommissie::deadlines::for_case(&app.db, case_id).await.unwrap()[0].id;
    let period_id = holiday_period::Entity::find().one(&app.db).await.unwrap().unwrap().id;
    let school_id = school::Entity::find().one(&app.db).await.unwrap().unwrap().id;
    // A letter by post (waiting in the post batch) and one to the board (an outbox message,
    // and a notification for bestuur@demo.nl).
    let u_board =
        user::Entity::find().filter(user::Column::Email.eq("bestuur@demo.nl")).one(&app.db).await.unwrap().unwrap();
    let (message_id, notification_id) = {
        use klachtencommissie::letters::compose::{To, send};
        let c = klachtencommissie::cases::find_for_access(&app.db, &zaak).await.unwrap().unwrap().0;
        let p = party::Entity::find().filter(party::Column::CaseId.eq(c.id)).one(&app.db).await.unwrap().unwrap();
        let mut no_email: party::ActiveModel = p.clone().into();
        no_email.email = sea_orm::ActiveValue::Set(None);
        sea_orm::ActiveModelTrait::update(no_email, &app.db).await.unwrap();
        let mut tx = klachtencommissie::audit::WriteTx::begin(&app.db, klachtencommissie::audit::Actor::system("test"))
            .await
            .unwrap();
        let text = || {
            let mut v = klachtencommissie::domain::letter::Values::new();
            v.insert("tekst", "Tekst".into());
            v
        };
        send(&mut tx, &c, klachtencommissie::domain::letter::LetterKind::VrijeBrief, To::Party(p.id), text())
            .await
            .unwrap();
        send(&mut tx, &c, klachtencommissie::domain::letter::LetterKind::VrijeBrief, To::Board, text()).await.unwrap();
        tx.commit().await.unwrap();
        let m = outbox_message::Entity::find().one(&app.db).await.unwrap().expect("a message to the board");
        let n = notification::Entity::find()
            .filter(notification::Column::UserId.eq(u_board.id))
            .one(&app.db)
            .await
            .unwrap()
            .expect("a notification");
        (m.id, n.id)
    };
    // An open entry of the register of bestuur@demo.nl's board, not escalated, with a document.
    let entry = register_entry::Entity::find()
        .filter(register_entry::Column::BoardId.eq(u_board.board_id.unwrap()))
        .filter(register_entry::Column::Status.eq("open"))
        .filter(register_entry::Column::CaseId.is_null())
        .order_by_asc(register_entry::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a demo register entry");
    let stuk = {
        let mut tx = klachtencommissie::audit::WriteTx::begin(&app.db, klachtencommissie::audit::Actor::system("test"))
            .await
            .unwrap();
        let doc = klachtencommissie::cases::register::NewDocument {
            title: "Brief van de klager".into(),
            file_name: "brief.txt".into(),
            media_type: "text/plain".into(),
            received_on: entry.received_on,
            bytes: b"Geachte directie".to_vec(),
        };
        klachtencommissie::school_register::entries::add_document(&mut tx, &entry, doc).await.unwrap();
        tx.commit().await.unwrap();
        register_document::Entity::find()
            .filter(register_document::Column::EntryId.eq(entry.id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    // A published demo advies (issue 9): the empty posts of the table leave it published.
    let nummer = klachtencommissie::entities::publication::Entity::find()
        .filter(klachtencommissie::entities::publication::Column::Status.eq("gepubliceerd"))
        .one(&app.db)
        .await
        .unwrap()
        .and_then(|p| p.number)
        .expect("a published demo advies");
    let fill = |p: &str| {
        p.replace("{zaaknummer}", &zaak)
            .replace("{nummer}", &nummer)
            .replace("{document_id}", &doc.id.to_string())
            .replace("{member_id}", &m.id.to_string())
            .replace("{affiliation_id}", &aff.id.to_string())
            .replace("{user_id}", &u.id.to_string())
            .replace("{deadline_id}", &deadline_id.to_string())
            .replace("{period_id}", &period_id.to_string())
            .replace("{day}", "2026-01-02")
            .replace("{school_id}", &school_id.to_string())
            .replace("{message_id}", &message_id.to_string())
            .replace("{notification_id}", &notification_id.to_string())
            .replace("{soort}", "vrije_brief")
            .replace("{recusal_id}", "999999")
            .replace("{party_id}", "999999")
            .replace("{request_id}", "999999")
            .replace("{unavailability_id}", "999999")
            .replace("{token}", "geen.geldige.sleutel")
            .replace("{token_id}", "999999")
            .replace("{delivery_id}", "999999")
            .replace("{entry_id}", &entry.id.to_string())
            .replace("{board_id}", "999999")
            .replace("{stuk_id}", &stuk.to_string())
    };
    let mut failures = Vec::new();
    for who in WHO {
        for (method, path, class) in TABLE {
            // Logging out ends the session the other requests use; it is covered in auth.rs.
            if *path == "/logout" && *who != "anoniem" {
                continue;
            }
            let mut c = if *who == "anoniem" { app.client() } else { app.login(who).await };
            let url = fill(path);
            let resp = if *method == "GET" { c.get(&url).await } else { c.post_form(&url, &[]).await };
            let status = resp.status().as_u16();
            let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            let to_login = status == 303 && location.starts_with("/login");
            let expect = allowed(class, who);
            // A signed-in user asking for the login page is sent on to the start page.
            let redirect_ok = *path == "/login" && status == 303 && location == "/";
            let own_case = *class == "own" && *who != "anoniem";
            let ok = if matches!(*class, "register-entry" | "register-step") && !expect && *who != "anoniem" {
                // Another board's users find nothing; the commission may not change a register
                // (and may read an entry only once it is escalated to a case they may see).
                if *who == "bestuur2@demo.nl" || *method == "GET" { status == 404 } else { status == 403 }
            } else if *class == "pending-login" {
                to_login
            } else if *class == "feed" {
                // A forged or revoked calendar token finds nothing, signed in or not.
                status == 404
            } else if *class == "nothing-found" {
                if *who == "anoniem" { to_login } else { status == 404 }
            } else if own_case {
                // The owner is sent on to the case; anyone else finds nothing.
                if *who == "bestuur@demo.nl" { status == 303 } else { status == 404 }
            } else if expect {
                !to_login && status != 403 && status < 500 && (*method != "GET" || status == 200 || redirect_ok)
            } else if *who == "anoniem" {
                to_login
            } else {
                status == 403
            };
            if !ok {
                failures.push(format!(
                    "{who} {method} {url}: got {status} {location}, expected {}",
                    if expect { "access" } else { "refusal" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{backend:?}:\n{}", failures.join("\n"));
}

crate::on_both!(role_table, check_all_routes);

async fn foreign_case_is_refused_everywhere(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let own = demo_case(&app.db, "De Waarden").await;
    let foreign = demo_case(&app.db, "Sint-Bonifatius").await;
    let c = app.login("bestuur@demo.nl").await;
    assert_eq!(c.get(&format!("/zaken/{own}")).await.status(), 200);
    assert_eq!(c.get(&format!("/zaken/{foreign}")).await.status(), 403);
    let (_, register) = c.get_text("/zaken").await;
    assert!(register.contains(&own));
    assert!(!register.contains(&foreign), "the register lists only the board's own cases");
    // Unknown and malformed zaaknummers are 404, not an error.
    assert_eq!(c.get("/zaken/2099-9999").await.status(), 404);
    assert_eq!(c.get("/zaken/../etc").await.status(), 404);
}

crate::on_both!(foreign_case, foreign_case_is_refused_everywhere);

/// Every action on a sub-resource of a case (a document, a term, a party, a recusal, an
/// information request, an unavailability, a panel seat), named under a case the user may
/// manage but with the id of the same kind of thing in *another* case: refused (not found, or
/// the form refused), no row added or removed anywhere and the other case's rows unchanged.
/// The secretaris may manage both cases, so only the pairing is wrong.
async fn ids_of_another_case_find_nothing(backend: Backend) {
    use crate::common::{row_counts, table_names};
    use klachtencommissie::entities::{deadline, information_request, panel_member, recusal, unavailability};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let own = demo_case(&app.db, "De Waarden").await;
    let own_id = klachtencommissie::cases::find_for_access(&app.db, &own).await.unwrap().unwrap().0.id;
    let foreign = demo_case(&app.db, "Sint-Bonifatius").await;
    let foreign_id = klachtencommissie::cases::find_for_access(&app.db, &foreign).await.unwrap().unwrap().0.id;
    assert_ne!(own_id, foreign_id);
    let today = chrono::Utc::now().date_naive();

    // One thing of each kind in the foreign case, made here when the demo has none.
    let doc = document::Entity::find().filter(document::Column::CaseId.eq(foreign_id)).one(&app.db).await.unwrap();
    let doc = doc.expect("the foreign demo case has a document").id;
    let dl = deadline::Entity::find().filter(deadline::Column::CaseId.eq(foreign_id)).one(&app.db).await.unwrap();
    let dl = dl.expect("the foreign demo case has a term").id;
    let p = party::Entity::find().filter(party::Column::CaseId.eq(foreign_id)).one(&app.db).await.unwrap().unwrap();
    let seat = panel_member::Entity::find()
        .filter(panel_member::Column::CaseId.eq(foreign_id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the foreign demo case has a panel");
    let own_seats = klachtencommissie::cases::find_for_access(&app.db, &own).await.unwrap().unwrap().1;
    assert!(!own_seats.contains(&seat.member_id) || own_seats.len() > 1);
    let rec = recusal::ActiveModel {
        case_id: Set(foreign_id),
        member_id: Set(seat.member_id),
        kind: Set("wraking".into()),
        requested_by: Set("klager".into()),
        grounds: Set("Vooringenomenheid".into()),
        received_on: Set(today),
        status: Set("open".into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    let req = information_request::ActiveModel {
        case_id: Set(foreign_id),
        recipient: Set("school".into()),
        recipient_name: Set("De school".into()),
        question: Set("Welke afspraken zijn gemaakt?".into()),
        requested_on: Set(today),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    let unav = unavailability::ActiveModel {
        party_id: Set(Some(p.id)),
        from_on: Set(today),
        to_on: Set(today),
        note: Set("Op reis".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;

    let routes: Vec<&str> = TABLE
        .iter()
        .map(|(_, path, _)| *path)
        .filter(|p| p.starts_with("/zaken/{zaaknummer}/") && p.matches('{').count() == 2)
        .collect();
    assert!(routes.len() >= 13, "{routes:?}");
    let tables = table_names(&app.db).await;
    // The foreign case's rows as they are: an update changes no count, so compare them too.
    let foreign_rows = async |db: &sea_orm::DatabaseConnection| {
        format!(
            "{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
            document::Entity::find_by_id(doc).one(db).await.unwrap(),
            deadline::Entity::find_by_id(dl).one(db).await.unwrap(),
            party::Entity::find_by_id(p.id).one(db).await.unwrap(),
            panel_member::Entity::find_by_id(seat.id).one(db).await.unwrap(),
            recusal::Entity::find_by_id(rec).one(db).await.unwrap(),
            information_request::Entity::find_by_id(req).one(db).await.unwrap(),
            unavailability::Entity::find_by_id(unav).one(db).await.unwrap(),
        )
    };
    let foreign_before = foreign_rows(&app.db).await;
    let mut sec = app.login("secretaris@demo.nl").await;
    let mut failures = Vec::new();
    for (method, path, _) in TABLE.iter().filter(|(_, p, _)| routes.contains(p)) {
        let url = path
            .replace("{zaaknummer}", &own)
            .replace("{document_id}", &doc.to_string())
            .replace("{deadline_id}", &dl.to_string())
            .replace("{party_id}", &p.id.to_string())
            .replace("{member_id}", &seat.member_id.to_string())
            .replace("{recusal_id}", &rec.to_string())
            .replace("{request_id}", &req.to_string())
            .replace("{unavailability_id}", &unav.to_string());
        assert!(!url.contains('{'), "no id of another case for {path}");
        // The wraking vote is the member's own: the chair on the own case's panel casts it.
        let c = if path.ends_with("/stem") { &mut app.login("voorzitter@demo.nl").await } else { &mut sec };
        let before = row_counts(&app.db, &tables).await;
        let status = if *method == "GET" {
            c.get(&url).await.status().as_u16()
        } else {
            c.post_form(&url, &[("reden", "Tekst"), ("dagen", "7"), ("stem", "toewijzen")]).await.status().as_u16()
        };
        let after = row_counts(&app.db, &tables).await;
        let changed: Vec<&String> = tables
            .iter()
            .zip(before.iter().zip(&after))
            .filter(|(t, (b, a))| b != a && !matches!(t.as_str(), "sessions" | "login_attempts" | "access_log"))
            .map(|(t, _)| t)
            .collect();
        let touched = foreign_rows(&app.db).await != foreign_before;
        // Refused before or at the lookup: not found, or the form refused with nothing done.
        if !matches!(status, 400 | 404 | 422) || !changed.is_empty() || touched {
            failures.push(format!(
                "{method} {url}: {status}, tables changed: {changed:?}, foreign rows changed: {touched}"
            ));
        }
    }
    assert!(failures.is_empty(), "{backend:?}: an id of another case was acted on:\n{}", failures.join("\n"));
}

crate::on_both!(ids_of_another_case, ids_of_another_case_find_nothing);
