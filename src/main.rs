//! The command line: serve (the default), migrate, load demo data, add a user, verify the
//! audit chain.

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use klachtencommissie::{config, db, demo};
use std::{io::IsTerminal, net::SocketAddr, path::PathBuf, sync::Arc};

#[derive(Parser)]
#[command(name = "klachtencommissie", version, about = "Zaaksysteem voor een externe klachtencommissie onderwijs (art. 14 WPO).", long_about = None)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args, Clone)]
struct Global {
    /// Directory for the SQLite database, the signing key and other local state.
    #[arg(long, global = true, env = "DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB. Default: a SQLite file in the data directory.
    #[arg(long, global = true, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Log filter, e.g. info, debug, klachtencommissie=debug,sqlx=warn.
    #[arg(long, global = true, env = "LOG_LEVEL", default_value = "info")]
    log_level: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default when no command is given).
    Serve(ServeArgs),
    /// Apply all pending database migrations and exit.
    Migrate,
    /// Load the demo data into an empty database; with --cases, add that many generated cases
    /// (for load runs).
    Demo {
        /// Generated cases to add after the demo data.
        #[arg(long, default_value_t = 0)]
        cases: u64,
        /// Keep about this many of the generated cases open and close the rest, so the history
        /// grows while the workload stays that of a real commission. Default: the share their
        /// age gives (about a sixth of them open).
        #[arg(long, requires = "cases")]
        open: Option<u64>,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the hash chain of the audit log; exits non-zero and names the first broken entry.
    VerifyAudit,
    /// Compute one deadline (no database needed): the date on the first line, then the explanation.
    ///
    /// Example: klachtencommissie termijn --vanaf 2026-10-12 --duur "4 weken" --regio midden
    Termijn(klachtencommissie::cli_termijn::TermijnArgs),
    /// Deliver the e-mail waiting in the outbox once and exit (the server does this by itself).
    Bezorg(MailArgs),
    /// The retention policy: list the closed files past their retention term (a dry run), or
    /// purge them with --execute, each in its own audited transaction.
    Purge(PurgeArgs),
    /// Write a checked copy of the SQLite database while the application runs.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup in place of the SQLite database (stop the application first).
    Restore {
        /// The backup file; it is checked (integrity and audit chain) before anything changes.
        #[arg(long)]
        from: PathBuf,
        /// Replace an existing database (it is kept next to it, with the time in its name).
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Args)]
struct PurgeArgs {
    /// Purge the files listed; without it nothing is changed.
    #[arg(long)]
    execute: bool,
}

#[derive(Parser)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:3000")]
    bind: SocketAddr,
    /// The public address users reach the application at; an https:// address makes cookies Secure.
    #[arg(long, env = "PUBLIC_URL")]
    public_url: Option<String>,
    /// Do not load demo data into a new, empty database.
    #[arg(long)]
    no_demo: bool,
    /// Tell in each response how many SQL statements it took (header x-sql-statements), for
    /// the load run (benches/load-run.sh).
    #[arg(long, env = "COUNT_SQL")]
    count_sql: bool,
    #[command(flatten)]
    mail: MailArgs,
    /// The hour (Dutch time) from which each working day's digest of deadlines is sent.
    #[arg(long, env = "DIGEST_HOUR", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..24))]
    digest_hour: u32,
    /// Roles that must log in with two-factor authentication (TOTP), comma-separated, e.g.
    /// beheerder,secretaris,voorzitter (recommended in production). Default: none (voluntary).
    #[arg(long = "require-2fa", env = "REQUIRE_2FA", value_delimiter = ',')]
    require_2fa: Vec<String>,
    /// Take the client's address for the login limits from X-Forwarded-For. Only behind a
    /// reverse proxy that sets that header itself (nginx: X-Forwarded-For $remote_addr), with
    /// the application reachable only through it.
    #[arg(long, env = "TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
}

/// Outgoing mail. Without --smtp-host, mail is written as .eml files to the mail folder in the
/// data directory and shown in the application. The password is read from SMTP_PASSWORD only.
#[derive(Args, Clone)]
struct MailArgs {
    /// SMTP server for outgoing mail.
    #[arg(long, env = "SMTP_HOST")]
    smtp_host: Option<String>,
    #[arg(long, env = "SMTP_PORT", default_value_t = 587)]
    smtp_port: u16,
    /// starttls (required STARTTLS, port 587), tls (port 465) or none (a local relay only).
    #[arg(long, env = "SMTP_TLS", default_value = "starttls")]
    smtp_tls: String,
    #[arg(long, env = "SMTP_USER")]
    smtp_user: Option<String>,
}

impl MailArgs {
    fn smtp(&self) -> anyhow::Result<Option<klachtencommissie::outbox::transport::SmtpConfig>> {
        use klachtencommissie::outbox::transport::{SmtpConfig, TlsMode};
        let Some(host) = self.smtp_host.clone().filter(|h| !h.trim().is_empty()) else { return Ok(None) };
        let tls = TlsMode::parse(&self.smtp_tls).map_err(anyhow::Error::msg)?;
        let password = std::env::var("SMTP_PASSWORD").ok().map(|p| config::Secret::new(p.into_bytes()));
        Ok(Some(SmtpConfig { host, port: self.smtp_port, tls, username: self.smtp_user.clone(), password }))
    }
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is asked for at a prompt, or read from the first line of stdin.
    Add {
        /// E-mail address (the login name).
        #[arg(long)]
        email: String,
        /// Full name as shown in the application and the audit log.
        #[arg(long)]
        name: String,
        /// beheerder, secretaris, voorzitter, lid or bestuur.
        #[arg(long)]
        role: String,
        /// For role bestuur: the id of the board (see the Beheer screens).
        #[arg(long)]
        board_id: Option<i32>,
        /// For role bestuur: limit the account to this school of the board (its contactpersoon).
        #[arg(long)]
        school_id: Option<i32>,
        /// For roles voorzitter and lid: the id of the commission member.
        #[arg(long)]
        member_id: Option<i32>,
    },
}

fn main() -> anyhow::Result<std::process::ExitCode> {
    let cli = Cli::parse();
    // Pure computation: no logging, database or runtime; exit code 2 on any error.
    if let Some(Command::Termijn(args)) = &cli.command {
        return Ok(match klachtencommissie::cli_termijn::run(args) {
            Ok(out) => {
                println!("{out}");
                std::process::ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("fout: {msg}");
                std::process::ExitCode::from(2)
            }
        });
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_new(format!("{},sqlx=warn,sea_orm=warn", cli.global.log_level))
                .context("invalid --log-level")?,
        )
        .with_target(false)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(run(cli))?;
    Ok(std::process::ExitCode::SUCCESS)
}

async fn open(g: &Global) -> anyhow::Result<sea_orm::DatabaseConnection> {
    std::fs::create_dir_all(&g.data_dir)
        .with_context(|| format!("cannot create data directory {}", g.data_dir.display()))?;
    let url = g.database_url.clone().unwrap_or_else(|| config::default_database_url(&g.data_dir));
    let conn =
        db::connect(&url).await.with_context(|| format!("cannot open the database {}", config::redact_url(&url)))?;
    db::prepare(&conn).await.context("migrations failed")?;
    Ok(conn)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let g = cli.global;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::parse_from(["klachtencommissie"]))) {
        Command::Serve(args) => serve(&g, args).await,
        Command::Migrate => {
            open(&g).await?;
            println!("Migraties toegepast.");
            Ok(())
        }
        Command::Demo { cases, open: open_cases } => {
            let conn = open(&g).await?;
            demo::load(&conn, &klachtencommissie::signing::load_or_create(&g.data_dir)?).await?;
            println!("Demogegevens geladen. Inloggen met bijvoorbeeld secretaris@demo.nl / {}.", demo::DEMO_PASSWORD);
            if cases > 0 {
                let started = std::time::Instant::now();
                let tty = std::io::stderr().is_terminal();
                demo::load::generate(&conn, cases, open_cases, &mut |done| progress_bar(done, cases, started, tty))
                    .await?;
                if tty {
                    eprintln!();
                }
                println!("{cases} gegenereerde zaken toegevoegd in {:.1} s.", started.elapsed().as_secs_f64());
            }
            Ok(())
        }
        Command::User(UserCommand::Add { email, name, role, board_id, school_id, member_id }) => {
            let conn = open(&g).await?;
            let password = read_password()?;
            let input =
                klachtencommissie::admin::NewUser { email, name, role, board_id, school_id, member_id, password };
            match klachtencommissie::admin::create_user(
                &conn,
                klachtencommissie::audit::Actor::system("opdrachtregel"),
                input,
            )
            .await?
            {
                Ok(id) => {
                    println!("Account {id} aangemaakt.");
                    Ok(())
                }
                Err(errors) => {
                    for (field, msg) in errors.iter() {
                        eprintln!("{field}: {msg}");
                    }
                    bail!("account niet aangemaakt")
                }
            }
        }
        Command::VerifyAudit => {
            let conn = open(&g).await?;
            let report = klachtencommissie::audit::verify(&conn).await?;
            match report.result {
                Ok(()) => {
                    println!("Audit log intact: {} entries verified.", report.checked);
                    Ok(())
                }
                Err(b) => bail!("audit log broken after {} intact entries: {b}", report.checked),
            }
        }
        Command::Bezorg(mail) => {
            let conn = open(&g).await?;
            let cfg = base_config(&g, "127.0.0.1:3000".parse()?, None, mail.smtp()?)?;
            let worker = klachtencommissie::outbox::worker::Worker::new(conn, Arc::new(cfg.transport()?));
            let mut total = klachtencommissie::outbox::worker::Pass::default();
            loop {
                let pass = worker.run_once().await?;
                total.sent += pass.sent;
                total.retry += pass.retry;
                total.failed += pass.failed;
                if (pass.handled() as u64) < worker.batch {
                    break;
                }
            }
            println!(
                "Verzonden: {}, later opnieuw: {}, mislukt: {} (via {}).",
                total.sent,
                total.retry,
                total.failed,
                worker.transport.describe()
            );
            // The boards' webhooks (status changes), due now.
            let mut hooks = klachtencommissie::outbox::worker::Pass::default();
            loop {
                let pass = klachtencommissie::webhooks::run_once(&worker.db, &worker.owner, worker.batch).await?;
                hooks.sent += pass.sent;
                hooks.retry += pass.retry;
                hooks.failed += pass.failed;
                if (pass.handled() as u64) < worker.batch {
                    break;
                }
            }
            println!(
                "Statusmeldingen (webhooks): afgeleverd {}, later opnieuw: {}, mislukt: {}.",
                hooks.sent, hooks.retry, hooks.failed
            );
            Ok(())
        }
        Command::Purge(args) => {
            use klachtencommissie::retention::{self, FileKind};
            let conn = open(&g).await?;
            let today = klachtencommissie::admin::today();
            let due = retention::due(&conn, today).await?;
            for c in &due {
                let kind = match c.kind {
                    FileKind::Case => "zaak",
                    FileKind::RegisterEntry => "registratie",
                };
                println!(
                    "{kind}\t{}\tafgesloten {}\tbewaren t/m {}\t{} stuk(ken)",
                    c.number, c.closed_on, c.kept_until, c.documents
                );
            }
            if !args.execute {
                println!(
                    "Proefrun: {} dossier(s) te vernietigen; er is niets gewijzigd (--execute vernietigt).",
                    due.len()
                );
                return Ok(());
            }
            let summary =
                retention::purge_due(&conn, klachtencommissie::audit::Actor::system("bewaartermijn"), today).await?;
            println!(
                "Vernietigd: {} zaak/zaken, {} registratie(s).",
                summary.cases.len(),
                summary.register_entries.len()
            );
            for (number, why) in &summary.refused {
                eprintln!("{number}: {why}");
            }
            if !summary.refused.is_empty() {
                bail!("{} dossier(s) niet vernietigd", summary.refused.len());
            }
            Ok(())
        }
        Command::Backup { to } => {
            let url = g.database_url.clone().unwrap_or_else(|| config::default_database_url(&g.data_dir));
            if klachtencommissie::backup::sqlite_path(&url).is_none() {
                bail!("{}", klachtencommissie::backup::NOT_SQLITE);
            }
            let conn = open(&g).await?;
            let c = klachtencommissie::backup::backup(&conn, &to).await?;
            println!(
                "Back-up gemaakt: {} ({} bytes, {} zaken, {} auditregels, keten intact).",
                to.display(),
                c.bytes,
                c.cases,
                c.audit_entries
            );
            Ok(())
        }
        Command::Restore { from, replace } => {
            let url = g.database_url.clone().unwrap_or_else(|| config::default_database_url(&g.data_dir));
            let target = klachtencommissie::backup::sqlite_path(&url).with_context(|| {
                "restore zet een SQLite-back-up terug; een PostgreSQL-database herstelt u met pg_restore (zie README)"
            })?;
            let (c, kept) = klachtencommissie::backup::restore(&from, &target, replace).await?;
            println!(
                "Teruggezet naar {}: {} zaken, {} auditregels, keten intact.",
                target.display(),
                c.cases,
                c.audit_entries
            );
            if let Some(old) = kept {
                println!("De vorige database staat nu op {}.", old.display());
            }
            Ok(())
        }
        Command::Termijn(_) => unreachable!("handled before the runtime starts"),
    }
}

fn read_password() -> anyhow::Result<String> {
    let pw = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Wachtwoord: ")?;
        let again = rpassword::prompt_password("Nogmaals: ")?;
        if first != again {
            bail!("de wachtwoorden zijn niet gelijk");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(pw)
}

async fn serve(g: &Global, args: ServeArgs) -> anyhow::Result<()> {
    let conn = open(g).await?;
    let mut config = base_config(g, args.bind, args.public_url.clone(), args.mail.smtp()?)?;
    config.require_2fa = config::parse_roles(&args.require_2fa)?;
    config.trust_forwarded_for = args.trust_forwarded_for;
    let required_2fa = config.require_2fa.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ");
    let mut demo_loaded_now = false;
    if !args.no_demo && demo::database_is_empty(&conn).await? {
        demo::load(&conn, &config.advies_key).await.context("loading demo data")?;
        demo_loaded_now = true;
    }
    let backend = db::backend_name(&conn);
    let transport = Arc::new(config.transport()?);
    let mail_description = transport.describe();
    let digest = klachtencommissie::digest::DigestSchedule { hour: args.digest_hour, base_url: config.base_url() };
    let state = klachtencommissie::AppState::new(conn.clone(), config);
    let state = if args.count_sql { state.counting_statements() } else { state };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = klachtencommissie::outbox::worker::Worker::new(conn.clone(), transport);
    let worker_task = tokio::spawn(worker.run(
        state.mail_wake.clone(),
        std::time::Duration::from_secs(5),
        Some(digest),
        async move {
            let mut rx = stop_rx;
            let _ = rx.wait_for(|stop| *stop).await;
        },
    ));
    let app = klachtencommissie::build_router(state);
    // Before the port opens: a signal that arrives while the server starts is then a graceful
    // stop too, not the default action (death by the signal).
    let shutdown = shutdown_signal()?;
    let listener =
        tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("cannot listen on {}", args.bind))?;
    let url = args.public_url.clone().unwrap_or_else(|| format!("http://{}", args.bind));
    println!("Klachtencommissie draait op {url} (database: {backend}, gegevensmap: {})", g.data_dir.display());
    println!("Uitgaande e-mail: {mail_description}");
    if !required_2fa.is_empty() {
        println!("Tweestapsverificatie verplicht voor: {required_2fa}");
    }
    if demo_loaded_now || demo::demo_loaded(&conn).await {
        println!("Demo-accounts (wachtwoord {}):", demo::DEMO_PASSWORD);
        for u in demo::data()?.users {
            println!("  {:<24} {}", u.email, u.role);
        }
    }
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await?;
    let _ = stop_tx.send(true);
    let _ = worker_task.await;
    Ok(())
}

/// Ctrl-C (SIGINT), or SIGTERM (what systemd, `kill` and container runtimes send): stop
/// accepting connections, finish the requests in progress, then let the outbox worker finish
/// its pass. The handlers are installed when this is called, not when the future first runs.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
        tracing::info!("shutting down: finishing the requests in progress");
    })
}

/// One line on stderr, redrawn in place on a terminal: `[#####.....] 50000/100000 zaken`.
fn progress_bar(done: u64, total: u64, started: std::time::Instant, tty: bool) {
    let width = 30;
    let filled = (done * width / total.max(1)) as usize;
    let line = format!(
        "[{}{}] {done}/{total} zaken, {:.0} s",
        "#".repeat(filled),
        ".".repeat(width as usize - filled),
        started.elapsed().as_secs_f64()
    );
    if tty {
        eprint!("\r{line}");
    } else if done == total || done.is_multiple_of((total / 10).max(1_000)) {
        eprintln!("{line}");
    }
}

fn base_config(
    g: &Global,
    bind: SocketAddr,
    public_url: Option<String>,
    smtp: Option<klachtencommissie::outbox::transport::SmtpConfig>,
) -> anyhow::Result<config::Config> {
    Ok(config::Config {
        data_dir: g.data_dir.clone(),
        database_url: g.database_url.clone().unwrap_or_else(|| config::default_database_url(&g.data_dir)),
        bind,
        public_url,
        session_key: config::load_or_create_session_key(&g.data_dir)?,
        advies_key: klachtencommissie::signing::load_or_create(&g.data_dir)?,
        smtp,
        require_2fa: Vec::new(),
        trust_forwarded_for: false,
    })
}
