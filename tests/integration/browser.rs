//! Real headless Chromium through chromedriver: a user logs in and sees the case register.
//! Runs when `KC_TEST_BROWSER=1` (the CI sets it and installs Chromium); a plain `cargo test`
//! prints that it did not run.

use crate::common::{Backend, TestApp};
use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Chromium through chromedriver, when `KC_TEST_BROWSER=1` (also used by `a11y.rs`).
pub(crate) async fn browser() -> Option<(Driver, fantoccini::Client, tempfile::TempDir)> {
    if std::env::var("KC_TEST_BROWSER").ok().as_deref() != Some("1") {
        eprintln!("browser test not run: set KC_TEST_BROWSER=1 with chromium and chromedriver installed (the CI does)");
        return None;
    }
    let port = free_port();
    let driver = Driver(
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install chromium chromium-driver)"),
    );
    let profile = tempfile::tempdir().unwrap();
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display())]
        }
    }))
    .unwrap();
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    let mut browser = None;
    for _ in 0..50 {
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(c) => {
                browser = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    Some((driver, browser.expect("chromedriver answers"), profile))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_logs_in_and_sees_the_case_register() {
    let Some((driver, b, _profile)) = browser().await else { return };
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();

    b.goto(&format!("{}/zaken", app.url)).await.unwrap();
    // Not signed in: the register sends us to the login page, which returns us afterwards.
    b.wait()
        .for_element(Locator::Css("input[name=email]"))
        .await
        .unwrap()
        .send_keys("secretaris@demo.nl")
        .await
        .unwrap();
    b.find(Locator::Css("input[name=password]")).await.unwrap().send_keys("welkom-demo").await.unwrap();
    b.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("form.filters")).await.unwrap();
    let heading = b.find(Locator::Css("main h1")).await.unwrap().text().await.unwrap();
    assert_eq!(heading, "Zakenregister");
    assert!(b.current_url().await.unwrap().path().ends_with("/zaken"));
    let rows = b.find_all(Locator::Css("table.data tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 22, "all demo cases on the first page");

    // Open a case by keyboard-reachable link and see its page.
    b.find(Locator::Css("table.data tbody tr a")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#h-gegevens")).await.unwrap();
    let h1 = b.find(Locator::Css("main h1")).await.unwrap().text().await.unwrap();
    assert!(h1.starts_with("Zaak 20"), "{h1}");
    // The procedure shows where the case stands and what is expected next.
    let stage = b.find(Locator::Css("ol.stages li[aria-current=step]")).await.unwrap().text().await.unwrap();
    assert!(stage.contains("Ontvangst en volledigheid"), "the newest demo case is in intake: {stage}");
    let next = b.find(Locator::Css("p.expected")).await.unwrap().text().await.unwrap();
    assert!(next.starts_with("Volgende stap:"), "{next}");

    let png = b.screenshot().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-case-page.png");
    std::fs::write(&out, png).unwrap();
    eprintln!("screenshot: {}", out.display());
    b.close().await.unwrap();
    drop(driver);
}

/// Drives one user's browser through the real pages: forms filled as typed, buttons clicked.
struct Session<'a> {
    b: &'a fantoccini::Client,
    base: String,
    shots: std::path::PathBuf,
}

impl Session<'_> {
    async fn login(&self, email: &str) {
        self.b.delete_all_cookies().await.unwrap();
        self.b.goto(&format!("{}/login", self.base)).await.unwrap();
        self.b.find(Locator::Css("input[name=email]")).await.unwrap().send_keys(email).await.unwrap();
        self.b.find(Locator::Css("input[name=password]")).await.unwrap().send_keys("welkom-demo").await.unwrap();
        self.b.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
        self.b.wait().for_element(Locator::Css("nav")).await.unwrap();
    }

    async fn open(&self, path: &str) {
        self.b.goto(&format!("{}{path}", self.base)).await.unwrap();
        // Fold every optional form open, as a user would to reach it.
        self.b.execute("document.querySelectorAll('details').forEach(d => d.open = true)", vec![]).await.unwrap();
    }

    /// Sets a field inside the form posting to `action` (date inputs take yyyy-mm-dd).
    async fn set(&self, action: &str, name: &str, value: &str) {
        let found = self
            .b
            .execute(
                "const f = [...document.querySelectorAll('form')].find(f => f.getAttribute('action') === arguments[0]);
                 const el = f && f.querySelector('[name=\"' + arguments[1] + '\"]');
                 if (!el) return false;
                 el.value = arguments[2];
                 el.dispatchEvent(new Event('change'));
                 return true;",
                vec![action.into(), name.into(), value.into()],
            )
            .await
            .unwrap();
        assert_eq!(found, serde_json::json!(true), "field {name} in the form to {action}");
    }

    async fn click(&self, css: &str) {
        let el = self.b.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        el.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks the submit button of the form posting to `action` (the one with `label` when
    /// the form has several) and waits for the next page.
    async fn submit(&self, action: &str, label: Option<&str>) {
        let buttons =
            self.b.find_all(Locator::Css(&format!("form[action='{action}'] button[type=submit]"))).await.unwrap();
        let mut chosen = None;
        for btn in buttons {
            let text = btn.text().await.unwrap();
            if label.is_none_or(|l| text.contains(l)) {
                chosen = Some(btn);
                break;
            }
        }
        let button = chosen.unwrap_or_else(|| panic!("a button {label:?} in the form to {action}"));
        // Mark the page, so the wait below sees the next document and not this one's footer.
        self.b.execute("window.__kcOld = true;", vec![]).await.unwrap();
        button.click().await.unwrap();
        for _ in 0..200 {
            let loaded = self
                .b
                .execute("return window.__kcOld === undefined && document.readyState === 'complete';", vec![])
                .await
                .is_ok_and(|v| v == serde_json::json!(true));
            if loaded {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.b.wait().for_element(Locator::Css("footer")).await.unwrap();
    }

    async fn text(&self) -> String {
        self.b.wait().for_element(Locator::Css("main")).await.unwrap().text().await.unwrap()
    }

    async fn shot(&self, name: &str) {
        let png = self.b.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }
}

/// Issue 7's whole case: registered from its klaagschrift, through intake, verweer, panel,
/// hearing and proces-verbaal, deliberation, advies, both signatures and sending, to the
/// decision the board records in its portal. Screenshots of each stage land in
/// `target/tmp/whole-case/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_case_from_klaagschrift_to_the_boards_decision() {
    let Some((driver, b, _profile)) = browser().await else { return };
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("whole-case");
    std::fs::create_dir_all(&shots).unwrap();
    let s = Session { b: &b, base: app.url.clone(), shots: shots.clone() };
    let today = klachtencommissie::admin::today().to_string();
    // A school of the board of bestuur@demo.nl, where voorzitter@demo.nl may chair.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let u = klachtencommissie::entities::user::Entity::find()
        .filter(klachtencommissie::entities::user::Column::Email.eq("bestuur@demo.nl"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let school = klachtencommissie::entities::school::Entity::find()
        .filter(klachtencommissie::entities::school::Column::BoardId.eq(u.board_id.unwrap()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let member_of = |email: &'static str| {
        let db = app.db.clone();
        async move { crate::common::member_id_of(&db, email).await }
    };
    let chair = member_of("voorzitter@demo.nl").await;

    // 1. The secretary registers the klaagschrift.
    s.login("secretaris@demo.nl").await;
    s.open("/zaken/nieuw").await;
    for (name, value) in [
        ("received_on", today.as_str()),
        ("arrival", "post"),
        ("school_id", &school.id.to_string()),
        ("subject", "Klacht over de bejegening van een leerling in groep 6"),
        ("facts_date", &today),
        ("p0_role", "klager"),
        ("p0_name", "Anna Kuipers"),
        ("p0_address", "Molenweg 3\n3512 AB Utrecht"),
        ("p0_email", "anna@example.nl"),
        ("p1_role", "aangeklaagde"),
        ("p1_name", "R. Visser, leerkracht"),
        ("p1_email", "visser@school.example.nl"),
        ("d0_title", "Klaagschrift"),
    ] {
        s.set("/zaken", name, value).await;
    }
    let file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::fs::write(file.path(), b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .unwrap();
    let path = file.path().to_str().unwrap().to_owned();
    b.find(Locator::Css("input[name=d0_file]")).await.unwrap().send_keys(&path).await.unwrap();
    s.shot("01-registratie").await;
    s.submit("/zaken", None).await;
    let url = b.current_url().await.unwrap();
    let z = url.path().trim_start_matches("/zaken/").to_owned();
    assert!(z.starts_with("20"), "on the new case's page: {url}");
    let base = format!("/zaken/{z}");

    // 2. Intake: complete, forwarded to the aangeklaagde; the verweerschrift comes in.
    s.open(&base).await;
    for r in ["klager", "aangeklaagde", "bevoegd_gezag", "dagtekening", "omschrijving", "gronden", "stukken"] {
        s.click(&format!("input[name=eis_{r}][value=ja]")).await;
    }
    s.submit(&format!("{base}/intake/volledigheid"), None).await;
    s.open(&base).await;
    s.submit(&format!("{base}/intake/aangeklaagde"), None).await;
    s.open(&base).await;
    b.find(Locator::Css(&format!("form[action='{base}/intake/verweerschrift'] input[name=bestand]")))
        .await
        .unwrap()
        .send_keys(&path)
        .await
        .unwrap();
    s.submit(&format!("{base}/intake/verweerschrift"), None).await;
    assert!(s.text().await.contains("In onderzoek"));

    // 3. The panel: the chair and two members who may sit on this school's cases.
    let case = klachtencommissie::cases::find_for_access(&app.db, &z).await.unwrap().unwrap().0;
    let members: Vec<i32> =
        klachtencommissie::cases::panel::eligible_members(&app.db, &case, klachtencommissie::admin::today())
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.id != chair && !m.is_chair)
            .map(|m| m.id)
            .take(2)
            .collect();
    assert_eq!(members.len(), 2, "two eligible members");
    for (member, role) in [(chair, "voorzitter"), (members[0], "lid"), (members[1], "lid")] {
        s.open(&base).await;
        s.set(&format!("{base}/commissie"), "member_id", &member.to_string()).await;
        s.set(&format!("{base}/commissie"), "role", role).await;
        s.submit(&format!("{base}/commissie"), None).await;
    }
    s.shot("02-zaak-met-commissie").await;

    // 4. The hearing, today: planned (the date checked and confirmed), invited, held, recorded.
    let zitting = format!("{base}/zitting");
    s.open(&zitting).await;
    s.set(&zitting, "datum", &today).await;
    s.set(&zitting, "tijd", "09:00").await;
    s.set(&zitting, "plaats", "Secretariaat, Lindenhoflaan 12, Utrecht").await;
    s.submit(&zitting, Some("Datum controleren")).await;
    if let Ok(confirm) = b.find(Locator::Css("input[name=bevestigd]")).await {
        confirm.click().await.unwrap();
    }
    s.submit(&zitting, Some("Zitting plannen")).await;
    s.open(&zitting).await;
    s.submit(&format!("{zitting}/uitnodigen"), None).await;
    s.open(&zitting).await;
    s.shot("03-zitting-uitgenodigd").await;
    s.submit(&format!("{zitting}/aanwezigheid"), None).await;
    s.open(&zitting).await;
    let pv = b.find(Locator::Css("textarea[name=tekst]")).await.unwrap();
    pv.send_keys("De klager licht de klacht toe; de leerkracht reageert. De leden stellen vragen.").await.unwrap();
    s.submit(&format!("{zitting}/proces-verbaal"), Some("Vaststellen")).await;
    s.open(&zitting).await;
    s.submit(&format!("{base}/onderzoek/sluiten"), None).await;
    assert!(s.text().await.contains("Beraadslaging"), "{}", s.text().await);

    // 5. Deliberation: everyone present, a split vote on the part of the complaint.
    let advies = format!("{base}/advies");
    s.open(&advies).await;
    let radios = b.find_all(Locator::Css("input[type=radio][value=ja]")).await.unwrap();
    let last = radios.len() - 1;
    for (n, r) in radios.into_iter().enumerate() {
        if n != last {
            r.click().await.unwrap();
        }
    }
    let nee = b.find_all(Locator::Css("input[type=radio][value=nee]")).await.unwrap();
    nee.last().unwrap().click().await.unwrap();
    s.submit(&format!("{base}/beraadslaging"), Some("Beraadslaging vastleggen")).await;
    s.open(&advies).await;
    assert!(s.text().await.contains("Uitkomst: Gegrond"), "a 2-1 majority: {}", s.text().await);
    s.shot("04-beraadslaging").await;

    // 6. The draft, made final.
    s.submit(&format!("{advies}/concept"), None).await;
    s.open(&advies).await;
    s.set(
        &advies,
        "b",
        "De klager stelt dat de leerkracht haar dochter voor de klas heeft gekleineerd; de leerkracht betwist dat.",
    )
    .await;
    s.submit(&advies, Some("Concept opslaan")).await;
    s.open(&advies).await;
    s.submit(&format!("{advies}/vaststellen"), None).await;
    s.open(&advies).await;
    s.shot("05-advies-vastgesteld").await;

    // 7. The chair signs, then the secretary; the secretary sends it.
    s.login("voorzitter@demo.nl").await;
    s.open(&advies).await;
    b.find(Locator::Css("input[name=wachtwoord]")).await.unwrap().send_keys("welkom-demo").await.unwrap();
    s.submit(&format!("{advies}/ondertekenen"), None).await;
    s.login("secretaris@demo.nl").await;
    s.open(&advies).await;
    b.find(Locator::Css("input[name=wachtwoord]")).await.unwrap().send_keys("welkom-demo").await.unwrap();
    s.submit(&format!("{advies}/ondertekenen"), None).await;
    s.open(&advies).await;
    s.submit(&format!("{advies}/verzenden"), None).await;
    s.open(&advies).await;
    assert!(s.text().await.contains("Verzonden"), "{}", s.text().await);
    s.shot("06-advies-verzonden").await;
    let code = b.find(Locator::Css("#ondertekening code")).await.unwrap().text().await.unwrap();

    // 8. Anyone checks the advies by its code.
    b.delete_all_cookies().await.unwrap();
    s.open(&format!("/verifieer?code={code}")).await;
    assert!(s.text().await.contains("Echt en ongewijzigd"), "{}", s.text().await);
    s.shot("07-verificatie").await;

    // 9. The board records its decision in its portal; the case closes as gegrond.
    s.login("bestuur@demo.nl").await;
    s.open(&base).await;
    s.set(&format!("{base}/besluit"), "besluit", "Het bestuur deelt het oordeel en spreekt de leerkracht aan.").await;
    s.shot("08-portaal-besluit").await;
    s.submit(&format!("{base}/besluit"), None).await;
    let page = s.text().await;
    assert!(page.contains("Afgesloten") && page.contains("Het bestuur deelt het oordeel"), "{page}");
    s.shot("09-afgesloten").await;
    let c = klachtencommissie::cases::find_for_access(&app.db, &z).await.unwrap().unwrap().0;
    assert_eq!((c.status.as_str(), c.outcome.as_deref()), ("afgesloten", Some("gegrond")));
    eprintln!("screenshots: {}", shots.display());
    b.close().await.unwrap();
    drop(driver);
}

/// Issue 8 in the browser: a school's contact person records a complaint in the register
/// form, the handler, the acknowledgement and the decision follow, the complainant is not
/// satisfied and the entry goes to the commission; the board's portal and the entry show the
/// new case. Screenshots in `target/tmp/school-register/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_registers_a_complaint_and_escalates_it() {
    let Some((driver, b, _profile)) = browser().await else { return };
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("school-register");
    std::fs::create_dir_all(&shots).unwrap();
    let s = Session { b: &b, base: app.url.clone(), shots };
    let today = klachtencommissie::admin::today().to_string();
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let school = klachtencommissie::entities::school::Entity::find()
        .filter(klachtencommissie::entities::school::Column::Name.eq("Sint-Jozefschool"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();

    s.login("bestuur@demo.nl").await;
    s.open("/register/nieuw").await;
    for (name, value) in [
        ("school_id", school.id.to_string().as_str()),
        ("received_on", today.as_str()),
        ("received_how", "schriftelijk"),
        ("kind", "organisatorisch"),
        ("nature", "De bus naar de gymzaal vertrekt te vroeg; de kinderen missen de lunch."),
        ("complained_about", "de directie"),
        ("complainant_name", "W. Hermans"),
        ("complainant_role", "ouder"),
        ("address", "Molenweg 3\n6543 AA Nijmegen"),
    ] {
        s.set("/register", name, value).await;
    }
    for name in ["written_name", "written_address", "written_signed"] {
        s.click(&format!("form[action='/register'] input[name={name}]")).await;
    }
    s.shot("1-formulier").await;
    s.submit("/register", None).await;
    let page = s.text().await;
    assert!(page.contains("Registratie R20") && page.contains("In behandeling"), "{page}");
    let path = b.current_url().await.unwrap().path().to_owned();

    s.open(&path).await;
    s.set(&format!("{path}/behandelaar"), "handler", "J. Willems").await;
    s.submit(&format!("{path}/behandelaar"), None).await;
    s.open(&path).await;
    s.submit(&format!("{path}/ontvangstbevestiging"), None).await;
    s.open(&path).await;
    s.set(&format!("{path}/beslissing"), "decision", "De vertrektijd blijft; de lunch schuift op.").await;
    s.set(&format!("{path}/beslissing"), "solution", "De lunchpauze begint een kwartier eerder.").await;
    s.submit(&format!("{path}/beslissing"), None).await;
    let page = s.text().await;
    assert!(page.contains("Beslissing verstuurd") && page.contains("per post (afdrukken)"), "{page}");
    s.shot("2-beslist").await;

    // Escalation needs the confirmation; without it the page says so.
    s.submit(&format!("{path}/voorleggen"), None).await;
    assert!(s.text().await.contains("Bevestig dat de klager"));
    s.click(&format!("form[action='{path}/voorleggen'] input[name=confirm]")).await;
    s.submit(&format!("{path}/voorleggen"), None).await;
    let page = s.text().await;
    assert!(page.contains("Voorgelegd aan de klachtencommissie") && page.contains("Ontvangen"), "{page}");
    s.shot("3-voorgelegd").await;
    s.open("/").await;
    let portal = s.text().await;
    assert!(portal.contains("Uw zaken bij de commissie") && portal.contains("Klachtenregisters van uw scholen"));
    s.shot("4-portaal").await;
    b.close().await.unwrap();
    drop(driver);
}
