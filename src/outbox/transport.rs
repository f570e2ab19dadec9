//! Where the worker delivers: an SMTP server (lettre, with credentials and TLS from the
//! configuration), or, when no SMTP server is configured, a folder of `.eml` files in the data
//! directory that the application also shows.

use crate::config::Secret;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How to reach the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    None,
}

impl TlsMode {
    pub fn parse(s: &str) -> Result<TlsMode, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(TlsMode::StartTls),
            "tls" | "smtps" => Ok(TlsMode::Tls),
            "none" | "geen" => Ok(TlsMode::None),
            other => Err(format!("SMTP_TLS must be starttls, tls or none, not '{other}'")),
        }
    }
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<Secret>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// A delivery that did not succeed; `permanent` when trying again cannot help (a rejected
/// address, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryError {
    pub permanent: bool,
    pub message: String,
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

impl Transport {
    pub fn smtp(cfg: &SmtpConfig) -> anyhow::Result<Transport> {
        let params = || TlsParameters::new(cfg.host.clone());
        let tls = match cfg.tls {
            TlsMode::StartTls => Tls::Required(params()?),
            TlsMode::Tls => Tls::Wrapper(params()?),
            TlsMode::None => Tls::None,
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.clone())
            .port(cfg.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(pw)) = (&cfg.username, &cfg.password) {
            b = b.credentials(Credentials::new(user.clone(), String::from_utf8_lossy(pw.expose()).into_owned()));
        }
        Ok(Transport::Smtp(b.build()))
    }

    /// The mail folder in the data directory.
    pub fn folder(data_dir: &Path) -> Transport {
        Transport::Folder(mail_folder(data_dir))
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP".to_owned(),
            Transport::Folder(p) => format!("map {}", p.display()),
        }
    }

    pub async fn deliver(&self, message: &Message) -> Result<(), DeliveryError> {
        match self {
            Transport::Smtp(t) => t
                .send(message.clone())
                .await
                .map(|_| ())
                .map_err(|e| DeliveryError { permanent: e.is_permanent(), message: e.to_string() }),
            Transport::Folder(dir) => {
                let id = message
                    .headers()
                    .get_raw("Message-ID")
                    .map(str::to_owned)
                    .ok_or_else(|| DeliveryError { permanent: true, message: "message has no Message-ID".into() })?;
                write_eml(dir, &id, &message.formatted()).await.map_err(|e| DeliveryError {
                    permanent: false,
                    message: format!("cannot write to {}: {e}", dir.display()),
                })
            }
        }
    }
}

pub fn mail_folder(data_dir: &Path) -> PathBuf {
    data_dir.join("mail")
}

/// Writes the file under a temporary name and renames it: a reader never sees half a
/// message, and a second delivery of the same message replaces the first.
async fn write_eml(dir: &Path, message_id: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let name = crate::domain::outbox::mail_file_name(message_id);
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, dir.join(name)).await
}

/// A message ready for delivery.
pub struct Outgoing<'a> {
    pub message_id: &'a str,
    pub from_name: &'a str,
    pub from_address: &'a str,
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// File name, media type, bytes; in order.
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

/// Builds the MIME message. An address that cannot be parsed is a permanent error.
pub fn build(m: Outgoing<'_>) -> Result<Message, DeliveryError> {
    let bad = |what: &str, e: String| DeliveryError { permanent: true, message: format!("{what}: {e}") };
    let from = Mailbox::new(
        Some(m.from_name.to_owned()),
        m.from_address.parse().map_err(|e| bad("afzender", format!("{e}")))?,
    );
    let to = Mailbox::new(
        Some(m.to_name.to_owned()),
        m.to_address.parse().map_err(|e| bad("geadresseerde", format!("{e}")))?,
    );
    let builder =
        Message::builder().from(from).to(to).subject(m.subject).message_id(Some(m.message_id.to_owned())).date_now();
    let text = SinglePart::plain(m.body.to_owned());
    let result = if m.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for (name, media_type, bytes) in m.attachments {
            let ct = ContentType::parse(&media_type)
                .unwrap_or(ContentType::parse("application/octet-stream").expect("valid"));
            parts = parts.singlepart(Attachment::new(name).body(bytes, ct));
        }
        builder.multipart(parts)
    };
    result.map_err(|e| bad("bericht", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing<'a>(to: &'a str) -> Outgoing<'a> {
        Outgoing {
            message_id: "<kc.1@commissie.nl>",
            from_name: "Klachtencommissie",
            from_address: "secr@commissie.nl",
            to_name: "J. de Vries",
            to_address: to,
            subject: "Ontvangstbevestiging (ons kenmerk 2026-0001)",
            body: "Geachte J. de Vries,\n\nTekst.",
            attachments: vec![("brief.pdf".into(), "application/pdf".into(), b"%PDF-1.7".to_vec())],
        }
    }

    #[test]
    fn builds_a_message_with_the_stable_id_and_the_attachment() {
        let m = build(outgoing("jan@voorbeeld.nl")).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("Message-ID: <kc.1@commissie.nl>"), "{raw}");
        assert!(raw.contains("filename=\"brief.pdf\""), "{raw}");
        assert!(raw.contains("Content-Type: application/pdf"), "{raw}");
    }

    #[test]
    fn a_bad_address_is_permanent() {
        let e = build(outgoing("geen adres")).unwrap_err();
        assert!(e.permanent);
    }

    #[test]
    fn tls_modes_parse() {
        assert_eq!(TlsMode::parse("STARTTLS"), Ok(TlsMode::StartTls));
        assert_eq!(TlsMode::parse("tls"), Ok(TlsMode::Tls));
        assert_eq!(TlsMode::parse("none"), Ok(TlsMode::None));
        assert!(TlsMode::parse("ssl3").is_err());
    }

    #[tokio::test]
    async fn folder_delivery_is_idempotent_per_message_id() {
        let dir = tempfile::tempdir().unwrap();
        let t = Transport::Folder(dir.path().join("mail"));
        let m = build(outgoing("jan@voorbeeld.nl")).unwrap();
        t.deliver(&m).await.unwrap();
        t.deliver(&m).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("mail")).unwrap().collect();
        assert_eq!(files.len(), 1);
    }
}
