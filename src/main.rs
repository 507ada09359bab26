//! The `szpon` command.
#![recursion_limit = "256"]

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use szpon::{
    config::{Config, LogFormat},
    dev, nlu,
};

#[derive(Parser)]
#[command(name = "szpon", version, about = "Wirtualny urząd na Matrix / a virtual office on Matrix")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the office bot against a homeserver (production).
    Run {
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Write the appservice registration YAML, with fresh random tokens, for the homeserver.
    Registration {
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
        /// Where to write it; defaults to `appservice.registration` from the configuration.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace an existing file, which invalidates the old tokens.
        #[arg(long)]
        force: bool,
    },
    /// Check the configuration and say what is wrong, by key.
    CheckConfig {
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Run a whole demo office on this machine: Synapse, szpon and demo accounts.
    Dev {
        #[arg(long, default_value = ".dev")]
        state_dir: PathBuf,
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// szpon's web port.
        #[arg(long, default_value_t = 8009)]
        port: u16,
        /// Synapse's client API port.
        #[arg(long, default_value_t = 8008)]
        homeserver_port: u16,
        /// The virtual environment holding matrix-synapse (made by ./deploy/dev/up).
        #[arg(long, env = "SZPON_SYNAPSE_VENV", default_value = ".venv-synapse")]
        synapse_venv: PathBuf,
    },
    /// Try the NLU: understand a text, or evaluate it on Rasa YAML files.
    Nlu {
        #[command(subcommand)]
        command: NluCommand,
    },
    /// The directory of people whose attributes choose course audiences.
    Directory {
        #[command(subcommand)]
        command: DirectoryCommand,
    },
    /// Write a Janus config for the office's video calls (only the HTTP and WebSocket
    /// transports on 127.0.0.1, only VideoRoom and Streaming, fresh API secret and admin key),
    /// and the `[calls]` section that goes with it into DIR/szpon-calls.toml.
    JanusConfig {
        /// Where to write the config; start Janus with `janus -F DIR -C DIR/janus.jcfg`.
        #[arg(long)]
        dir: PathBuf,
        /// The address or interface Janus offers to browsers (its public or LAN address).
        #[arg(long)]
        ice: Option<String>,
        /// A STUN server, `host:port`, when Janus is behind NAT.
        #[arg(long)]
        stun: Option<String>,
        #[arg(long, default_value_t = 8088)]
        http_port: u16,
        #[arg(long, default_value_t = 8188)]
        websocket_port: u16,
    },
    /// What the bot gave up delivering (after `outbox.give_up_after_hours` of a homeserver
    /// outage, or a refusal), and sending it again.
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
}

#[derive(Subcommand)]
enum OutboxCommand {
    /// List the actions given up, newest first (their kind, room and error; never their text).
    Failed {
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Queue given-up actions again: all of them, or those with the ids `failed` lists.
    Retry {
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        ids: Vec<i64>,
        #[arg(long)]
        all: bool,
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
    },
    /// List stored rows this version could not read (written by a newer szpon, or damaged),
    /// set aside rather than dropped; where each was kept and why, never its content.
    Unreadable {
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DirectoryCommand {
    /// Replace the imported directory with a CSV (header: user_id, office, department, role,
    /// kind) or JSON (an array of such objects) file. Everything is checked first; a file with
    /// an error changes nothing.
    Import {
        file: PathBuf,
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NluCommand {
    /// Print what the NLU makes of a text as JSON: intent, confidence, ranking, entities.
    Parse {
        text: String,
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
        /// A local sentence-transformers folder; overrides `nlu.encoder`.
        #[arg(long)]
        encoder: Option<PathBuf>,
    },
    /// Train on one Rasa NLU YAML file and score on another: accuracy, macro-F1, confusions,
    /// training time and prediction latency.
    Eval {
        #[arg(long)]
        train: PathBuf,
        #[arg(long)]
        test: PathBuf,
        /// Print JSON (accuracy, macro_f1, train_seconds, predict_p50_ms, predict_p99_ms).
        #[arg(long)]
        json: bool,
        #[arg(long, short, env = "SZPON_CONFIG")]
        config: Option<PathBuf>,
        /// A local sentence-transformers folder; overrides `nlu.encoder`.
        #[arg(long)]
        encoder: Option<PathBuf>,
    },
}

/// `szpon janus-config`: Janus's config and szpon's `[calls]` section, written and explained.
fn janus_config(
    dir: &std::path::Path,
    ice: Option<String>,
    stun: Option<String>,
    http_port: u16,
    websocket_port: u16,
) -> anyhow::Result<()> {
    let written = szpon::calls::write_janus_config(dir, ice, stun, http_port, websocket_port)?;
    eprintln!(
        "Zapisano konfigurację Janusa w {dir} (tylko dla właściciela). Uruchom: janus -F {dir} -C {dir}/janus.jcfg\n\
         Sekcję [calls] z {} wklej do konfiguracji szpon / paste its [calls] section into szpon's configuration.",
        written.display(),
        dir = dir.display(),
    );
    Ok(())
}

fn init_logging(format: LogFormat, filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SZPON_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Run { config } => {
            let config = Config::load(config.as_deref())?;
            init_logging(config.log.format, &config.log.filter);
            szpon::app::run(config, dev::shutdown_signal()).await
        }
        Command::Registration { config, output, force } => {
            let mut config = Config::load(config.as_deref())?;
            if let Some(output) = output {
                config.appservice.registration = output;
            }
            let path = config.appservice.registration.clone();
            if path.exists() && !force {
                anyhow::bail!(
                    "{} already exists; pass --force to replace it (the old tokens stop working)",
                    path.display()
                );
            }
            if force {
                std::fs::remove_file(&path).ok();
            }
            dev::ensure_registration(&config).context("writing the registration")?;
            eprintln!(
                "Zapisano {} (tylko dla właściciela). Dodaj ją do app_service_config_files w Synapse.",
                path.display()
            );
            let state_dir = &config.store.state_dir;
            if config.store.key_passphrase.is_none() && !state_dir.join("matrix-store").exists() {
                szpon::key_store::ensure_file(state_dir)?;
                eprintln!(
                    "Hasło magazynu kluczy E2EE: {} (tylko dla właściciela); zachowaj je w kopii zapasowej.",
                    state_dir.join(szpon::key_store::PASSPHRASE_FILE).display()
                );
            }
            Ok(())
        }
        Command::JanusConfig { dir, ice, stun, http_port, websocket_port } => {
            janus_config(&dir, ice, stun, http_port, websocket_port)
        }
        Command::CheckConfig { config } => {
            let config = Config::load(config.as_deref())?;
            for path in &config.nlu.data {
                let data = nlu::read_data(path)?;
                eprintln!(
                    "Dane NLU poprawne / NLU data is valid: {}: {} przykładów, {} odpowiedzi.",
                    path.display(),
                    data.examples.len(),
                    data.responses.len()
                );
            }
            if let Some(office) = config.load_office()? {
                eprintln!(
                    "Plik urzędu poprawny / office file is valid: {} działów, {} usług, {} urzędników.",
                    office.departments.len(),
                    office.services.len(),
                    office.clerks.len()
                );
            }
            eprintln!("Konfiguracja poprawna / configuration is valid.");
            Ok(())
        }
        Command::Directory { command: DirectoryCommand::Import { file, config } } => {
            let config = Config::load(config.as_deref())?;
            import_directory(&config, &file).await
        }
        Command::Outbox { command: OutboxCommand::Failed { config } } => {
            szpon::outbox_cli::list_failed(&Config::load(config.as_deref())?).await
        }
        Command::Outbox { command: OutboxCommand::Unreadable { config } } => {
            szpon::outbox_cli::list_unreadable(&Config::load(config.as_deref())?).await
        }
        Command::Outbox { command: OutboxCommand::Retry { ids, all, config } } => {
            let which = if all { szpon::store::Retry::All } else { szpon::store::Retry::Ids(ids) };
            szpon::outbox_cli::retry(&Config::load(config.as_deref())?, which).await
        }
        Command::Nlu { command: NluCommand::Parse { text, config, encoder } } => {
            let mut config = Config::load(config.as_deref())?;
            config.nlu.encoder = encoder.or(config.nlu.encoder);
            println!("{}", nlu::parse_command(&config.nlu, &text)?);
            Ok(())
        }
        Command::Nlu { command: NluCommand::Eval { train, test, json, config, encoder } } => {
            let mut config = Config::load(config.as_deref())?;
            config.nlu.encoder = encoder.or(config.nlu.encoder);
            let report = nlu::eval_command(&config.nlu, &train, &test)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", nlu::eval_text(&report));
            }
            Ok(())
        }
        Command::Dev { state_dir, config, port, homeserver_port, synapse_venv } => {
            let loaded = Config::load(config.as_deref())?;
            init_logging(loaded.log.format, &loaded.log.filter);
            dev::run(dev::DevOptions { state_dir, config, port, homeserver_port, synapse_venv }).await
        }
    }
}

/// `szpon directory import`: the file checked in full, then written in one transaction.
async fn import_directory(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    use szpon_course_engine::directory::{parse_csv, parse_json};
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let entries = if json { parse_json(&text) } else { parse_csv(&text) };
    let entries = entries.map_err(|e| {
        anyhow::anyhow!(
            "{}: wiersz {} / line {}: {}; nic nie zmieniono / nothing changed",
            file.display(),
            e.line,
            e.line,
            e.kind
        )
    })?;
    let store =
        szpon::store::Store::connect(&config.store.database_url).await.context("opening the store")?;
    let now = szpon_bots::Clock::now(&szpon::app::SystemClock);
    let counts = store.import_directory(&entries, now).await.context("writing the directory")?;
    println!(
        "Zaimportowano katalog: {} osób (nowe: {}, zmienione: {}, bez zmian: {}, usunięte: {}).",
        entries.len(),
        counts.added,
        counts.changed,
        counts.unchanged,
        counts.removed
    );
    let zone = config.load_office()?.map_or(chrono_tz::Europe::Warsaw, |o| o.time_zone());
    let changed =
        szpon::courses::reevaluate_audiences(&store, zone, now).await.context("enrolling the audiences")?;
    for course in changed.iter().filter(|c| c.enrolled + c.left > 0) {
        println!("Kurs {}: zapisano {}, wypisano {}.", course.course_id, course.enrolled, course.left);
    }
    store.close().await;
    Ok(())
}
