//! Real headless Chromium through chromedriver: a user logs in and sees the case register.
//! Runs when `KC_TEST_BROWSER=1` (the CI sets it and installs Chromium); a plain `cargo test`
//! prints that it did not run.

use crate::common::{Backend, TestApp};
use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_logs_in_and_sees_the_case_register() {
    if std::env::var("KC_TEST_BROWSER").ok().as_deref() != Some("1") {
        eprintln!("browser test not run: set KC_TEST_BROWSER=1 with chromium and chromedriver installed (the CI does)");
        return;
    }
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
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
    let b = browser.expect("chromedriver answers");

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
    assert_eq!(rows.len(), 20, "all demo cases on the first page");

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
