//! The audit chain through real transactions, and its detection of tampering.

use crate::common::{Backend, TestApp};
use klachtencommissie::audit::verify;
use klachtencommissie::domain::audit_chain::ChainBreak;
use sea_orm::ConnectionTrait;

async fn tampering_is_detected(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let report = verify(&app.db).await.unwrap();
    assert_eq!(report.result, Ok(()));
    assert!(report.checked > 16, "demo data writes an entry per case and per panel seat");

    app.db.execute_unprepared("UPDATE audit_log SET detail = '{\"x\":1}' WHERE seq = 5").await.unwrap();
    assert_eq!(verify(&app.db).await.unwrap().result, Err(ChainBreak::Edited { seq: 5 }));
}
crate::on_both!(edit_detected, tampering_is_detected);

async fn deletion_is_detected(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    app.db.execute_unprepared("DELETE FROM audit_log WHERE seq = 3").await.unwrap();
    assert_eq!(verify(&app.db).await.unwrap().result, Err(ChainBreak::Missing { expected_seq: 3, found_seq: 4 }));
}
crate::on_both!(deletion_detected, deletion_is_detected);

#[tokio::test]
async fn deleting_the_newest_entry_is_detected_by_the_head() {
    let app = TestApp::with_demo(Backend::Sqlite).await.unwrap();
    app.db.execute_unprepared("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)").await.unwrap();
    assert!(matches!(verify(&app.db).await.unwrap().result, Err(ChainBreak::HeadMismatch { .. })));
}
