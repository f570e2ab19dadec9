//! Runtime configuration: flags and environment, resolved once at start-up.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

/// A secret that never shows in logs or `Debug`.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: SocketAddr,
    /// The address users reach the app at; `https://` makes cookies `Secure`.
    pub public_url: Option<String>,
    /// Signs session tokens (HS256). Generated into the data directory on first start.
    pub session_key: Secret,
    /// The advies signing key (Art 25.3).
    pub advies_key: crate::signing::AdviesKey,
    /// Outgoing mail server; without one, mail goes to the mail folder in the data directory.
    pub smtp: Option<crate::outbox::transport::SmtpConfig>,
    /// Roles that must use two-factor login (TOTP); a user of such a role without it enrols
    /// right after the password step, before any other page. Empty: two-factor login is
    /// voluntary for everyone.
    pub require_2fa: Vec<crate::domain::access::Role>,
    /// Take the client's address (for the login limits) from `X-Forwarded-For`, which the
    /// reverse proxy in front sets. Off: the TCP peer, so a client cannot pick its address.
    pub trust_forwarded_for: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("session_key", &self.session_key)
            .field("smtp", &self.smtp)
            .field("require_2fa", &self.require_2fa)
            .finish()
    }
}

/// A database URL without its password (`postgres://user:***@host/db`).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Config {
    /// Whether users of this role must use two-factor login.
    pub fn requires_2fa(&self, role: crate::domain::access::Role) -> bool {
        self.require_2fa.contains(&role)
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// The address for links in e-mail.
    pub fn base_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind)).trim_end_matches('/').to_owned()
    }

    /// Where mail goes: the SMTP server when configured, otherwise the mail folder.
    pub fn transport(&self) -> anyhow::Result<crate::outbox::transport::Transport> {
        use crate::outbox::transport::Transport;
        match &self.smtp {
            Some(smtp) => Transport::smtp(smtp),
            None => Ok(Transport::folder(&self.data_dir)),
        }
    }
}

/// The default database: a SQLite file in the data directory.
pub fn default_database_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("klachtencommissie.db").display())
}

pub const SESSION_KEY_FILE: &str = "session-signing.key";

/// Reads the session signing key from the data directory, generating it when absent.
/// Several instances on one PostgreSQL must share this file's content (or `SESSION_KEY`).
pub fn load_or_create_session_key(data_dir: &Path) -> anyhow::Result<Secret> {
    if let Ok(hex_key) = std::env::var("SESSION_KEY") {
        let bytes = hex::decode(hex_key.trim()).map_err(|_| anyhow::anyhow!("SESSION_KEY must be hex"))?;
        anyhow::ensure!(bytes.len() >= 32, "SESSION_KEY must be at least 32 bytes (64 hex characters)");
        return Ok(Secret::new(bytes));
    }
    let path = data_dir.join(SESSION_KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim()).map_err(|_| anyhow::anyhow!("{} is not a hex key", path.display()))?;
            anyhow::ensure!(bytes.len() >= 32, "{} holds fewer than 32 bytes", path.display());
            Ok(Secret::new(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let bytes: [u8; 32] = rand::random();
            write_private(&path, hex::encode(bytes).as_bytes())?;
            tracing::info!(path = %path.display(), "generated a new session signing key");
            Ok(Secret::new(bytes.to_vec()))
        }
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

/// Writes a file readable by its owner only, refusing to overwrite one that appeared meanwhile.
pub(crate) fn write_private(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(content)?;
    f.sync_all()?;
    Ok(())
}

/// Parses the `--require-2fa` list (`beheerder,secretaris,voorzitter`); empty items are
/// skipped, an unknown role is an error naming it.
pub fn parse_roles(items: &[String]) -> anyhow::Result<Vec<crate::domain::access::Role>> {
    let mut roles = Vec::new();
    for item in items.iter().flat_map(|i| i.split(',')).map(str::trim).filter(|i| !i.is_empty()) {
        let role = crate::domain::access::Role::parse(&item.to_lowercase()).ok_or_else(|| {
            anyhow::anyhow!("--require-2fa: unknown role {item:?} (beheerder, secretaris, voorzitter, lid, bestuur)")
        })?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let s = Secret::new(b"supergeheim".to_vec());
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
    }

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(redact_url("postgres://kc:geheim@db.local:5432/kc"), "postgres://kc:***@db.local:5432/kc");
        assert_eq!(redact_url("postgres://postgres@127.0.0.1/kc"), "postgres://postgres@127.0.0.1/kc");
        assert_eq!(redact_url("sqlite://data/kc.db?mode=rwc"), "sqlite://data/kc.db?mode=rwc");
        let cfg = Config {
            data_dir: "d".into(),
            database_url: "postgres://kc:geheim@h/kc".into(),
            bind: "127.0.0.1:3000".parse().unwrap(),
            public_url: None,
            session_key: Secret::new(vec![7; 32]),
            advies_key: crate::signing::AdviesKey::from_seed([9; 32]).unwrap(),
            smtp: Some(crate::outbox::transport::SmtpConfig {
                host: "smtp.local".into(),
                port: 587,
                tls: crate::outbox::transport::TlsMode::StartTls,
                username: Some("kc".into()),
                password: Some(Secret::new(b"smtpgeheim".to_vec())),
            }),
            require_2fa: vec![],
            trust_forwarded_for: false,
        };
        let dbg = format!("{cfg:?}");
        assert!(!dbg.contains("geheim") && !dbg.contains("[7, 7"), "{dbg}");
        assert!(dbg.contains("smtp.local"), "{dbg}");
    }

    #[test]
    fn required_roles_parse() {
        use crate::domain::access::Role;
        let list = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_roles(&list(&[])).unwrap(), vec![]);
        assert_eq!(parse_roles(&list(&[""])).unwrap(), vec![]);
        assert_eq!(
            parse_roles(&list(&["beheerder, Secretaris", "voorzitter", "beheerder"])).unwrap(),
            vec![Role::Beheerder, Role::Secretaris, Role::Voorzitter]
        );
        assert!(parse_roles(&list(&["baas"])).unwrap_err().to_string().contains("baas"));
    }

    #[test]
    fn key_is_generated_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create_session_key(dir.path()).unwrap();
        let b = load_or_create_session_key(dir.path()).unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_eq!(a.expose().len(), 32);
    }
}
