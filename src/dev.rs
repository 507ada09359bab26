//! `szpon dev`: a whole demo office on one machine — Synapse, szpon and demo accounts — for
//! newcomers, demos and the tests. Its `dev.json` is a contract other tools read.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use anyhow::Context;
use rand::{Rng, distr::Alphanumeric};
use serde::{Deserialize, Serialize};
use szpon_homeserver_bridge::{
    RegistrationFile,
    registration::{NewRegistration, write_secret_file},
    synapse::{SynapseSetup, register_user},
};

use crate::config::Config;

pub const SERVER_NAME: &str = "localhost";

/// The demo people: one per role the product serves.
const DEMO_ACCOUNTS: &[(&str, &str)] =
    &[("citizen", "obywatel"), ("clerk", "urzednik"), ("trainer", "trener"), ("support", "wsparcie")];

#[derive(Debug, Clone)]
pub struct DevOptions {
    pub state_dir: PathBuf,
    pub config: Option<PathBuf>,
    pub port: u16,
    pub homeserver_port: u16,
    pub synapse_venv: PathBuf,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevAccount {
    pub role: String,
    pub user_id: String,
    pub password: String,
}

/// What `DIR/dev.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevInfo {
    pub homeserver_url: String,
    pub server_name: String,
    pub bot_user_id: String,
    pub registration_shared_secret: String,
    pub web_url: String,
    pub accounts: Vec<DevAccount>,
}

fn step(n: u8, text: &str) {
    eprintln!("[{n}/5] {text}");
}

/// The configuration of the embedded office: the office's own file (if any) for the office and
/// the bot, with the homeserver, web server and store placed in the state directory.
pub fn dev_config(options: &DevOptions, state_dir: &Path) -> anyhow::Result<Config> {
    let mut config = Config::load(options.config.as_deref())?;
    config.homeserver.url = format!("http://127.0.0.1:{}", options.homeserver_port);
    config.homeserver.server_name = SERVER_NAME.to_owned();
    config.web.listen = SocketAddr::from(([127, 0, 0, 1], options.port));
    config.web.public_url = format!("http://127.0.0.1:{}", options.port);
    config.appservice.registration = state_dir.join("registration.yaml");
    if options.config.is_none() {
        config.store.database_url = format!("sqlite://{}", state_dir.join("szpon.db").display());
    }
    config.store.state_dir = state_dir.join("bot");
    if config.office.file.is_none() {
        let office_file = state_dir.join("office.toml");
        // Written once and then left alone, so that a demo office can be edited and restarted.
        if !office_file.exists() {
            std::fs::write(&office_file, szpon_bots::booking::DEMO_OFFICE)
                .with_context(|| format!("writing {}", office_file.display()))?;
        }
        config.office.file = Some(office_file);
    }
    config.validate()?;
    Ok(config)
}

/// Writes the registration unless it exists: its tokens must outlive restarts.
pub fn ensure_registration(config: &Config) -> anyhow::Result<RegistrationFile> {
    let path = &config.appservice.registration;
    if path.exists() {
        return Ok(RegistrationFile::read(path)?);
    }
    let registration = RegistrationFile::generate(&NewRegistration {
        id: &config.appservice.id,
        url: Some(config.web.public_url.clone()),
        sender_localpart: &config.appservice.sender_localpart,
        bot_localpart: &config.bot.localpart,
        server_name: &config.homeserver.server_name,
    });
    registration.write(path)?;
    Ok(registration)
}

fn random_password() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(16).map(char::from).collect()
}

/// Runs the demo office until SIGINT or SIGTERM.
/// Starts Janus for the demo office's video calls, when it is installed: on free loopback
/// ports, with fresh secrets, gathering ICE candidates on the machine's own address (Janus
/// 1.1.2 skips loopback, so a browser on this machine reaches it there).
async fn start_janus(state_dir: &Path, config: &mut Config) -> Option<szpon_media::RunningJanus> {
    if szpon_media::janus_program().is_none() {
        eprintln!(
            "Janus nie jest zainstalowany: rozmowy wideo wyłączone / Janus not installed: no video calls"
        );
        return None;
    }
    let janus = szpon_media::JanusConfig {
        ports: szpon_media::JanusPorts { http: free_port()?, websockets: free_port()? },
        api_secret: random_password(),
        admin_key: random_password(),
        ice_enforce_list: own_address(),
        stun_server: None,
        lib_dir: PathBuf::from(szpon_media::DEBIAN_LIB_DIR),
    };
    match szpon_media::RunningJanus::start(janus, &state_dir.join("janus")).await {
        Ok(running) => {
            config.calls.janus_url = Some(running.config.http_url());
            config.calls.janus_websocket_url = Some(running.config.websocket_url());
            config.calls.api_secret = Some(running.config.api_secret.clone().into());
            config.calls.admin_key = Some(running.config.admin_key.clone().into());
            Some(running)
        }
        Err(error) => {
            eprintln!("Janus nie wystartował ({error}): rozmowy wideo wyłączone / no video calls");
            None
        }
    }
}

fn free_port() -> Option<u16> {
    std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok().map(|a| a.port())
}

/// The address this machine would reach the world from (no packet is sent).
fn own_address() -> Option<String> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then(|| ip.to_string())
}

pub async fn run(options: DevOptions) -> anyhow::Result<()> {
    std::fs::create_dir_all(&options.state_dir)
        .with_context(|| format!("creating {}", options.state_dir.display()))?;
    let state_dir = options.state_dir.canonicalize()?;
    let mut config = dev_config(&options, &state_dir)?;
    step(1, "Rejestracja appservice / appservice registration");
    ensure_registration(&config)?;

    step(2, "Konfiguracja Synapse / configuring Synapse");
    let synapse = SynapseSetup {
        venv: options.synapse_venv.clone(),
        data_dir: state_dir.join("synapse"),
        server_name: SERVER_NAME.to_owned(),
        port: options.homeserver_port,
        app_service_config_files: vec![config.appservice.registration.clone()],
        relaxed_rate_limits: true,
    };
    let shared_secret = synapse.write_config().await.context("preparing Synapse's configuration")?;
    step(3, "Uruchamianie Synapse / starting Synapse");
    let process = synapse.start().await.context("starting Synapse")?;

    step(4, "Konta demonstracyjne / demo accounts");
    let info = match create_demo_accounts(&config, &state_dir, &shared_secret).await {
        Ok(info) => info,
        Err(error) => {
            process.stop().await;
            return Err(error);
        }
    };
    print_welcome(&info);

    let _janus = start_janus(&state_dir, &mut config).await;
    step(5, "Uruchamianie szpon / starting szpon");
    let result = crate::app::run(config, shutdown_signal()).await;
    process.stop().await;
    eprintln!("Zatrzymano. Stan zachowany w {} / stopped, state kept.", state_dir.display());
    result
}

async fn create_demo_accounts(
    config: &Config,
    state_dir: &Path,
    shared_secret: &str,
) -> anyhow::Result<DevInfo> {
    let dev_json = state_dir.join("dev.json");
    let previous: Option<DevInfo> =
        std::fs::read(&dev_json).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let mut accounts = Vec::new();
    for (role, localpart) in DEMO_ACCOUNTS {
        let user_id = format!("@{localpart}:{SERVER_NAME}");
        let password = previous
            .iter()
            .flat_map(|p| &p.accounts)
            .find(|a| a.user_id == user_id)
            .map(|a| a.password.clone())
            .unwrap_or_else(random_password);
        register_user(&config.homeserver.url, shared_secret, localpart, &password, false)
            .await
            .with_context(|| format!("registering the demo {role} {user_id}"))?;
        accounts.push(DevAccount { role: (*role).to_owned(), user_id, password });
    }
    let info = DevInfo {
        homeserver_url: config.homeserver.url.clone(),
        server_name: SERVER_NAME.to_owned(),
        bot_user_id: config.bot_user_id()?.to_string(),
        registration_shared_secret: shared_secret.to_owned(),
        web_url: config.web.public_url.clone(),
        accounts,
    };
    write_secret_file(&dev_json, &serde_json::to_vec_pretty(&info)?)?;
    Ok(info)
}

fn print_welcome(info: &DevInfo) {
    eprintln!();
    eprintln!("Biuro demonstracyjne gotowe / the demo office is ready.");
    eprintln!("  Serwer Matrix / homeserver: {}", info.homeserver_url);
    eprintln!("  Asystent urzędu / office bot: {}", info.bot_user_id);
    eprintln!("  Zaloguj się w Element lub innym kliencie Matrix (serwer {}):", info.homeserver_url);
    for account in &info.accounts {
        eprintln!("    {:<8} {:<22} hasło/password: {}", account.role, account.user_id, account.password);
    }
    eprintln!("  Napisz do {} „pomoc” w czacie bezpośrednim. Ctrl+C kończy.", info.bot_user_id);
    eprintln!();
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
