//! The office's configuration: one TOML file plus `SZPON_*` environment variables
//! (`SZPON_HOMESERVER__URL` sets `homeserver.url`), checked before anything starts.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use ruma::{OwnedServerName, OwnedUserId, ServerName, UserId};
use serde::{Deserialize, Serialize};
use szpon_bots::booking::{Office, OfficeError, office::MAX_OFFICE_FILE_BYTES};
use szpon_nlp::NluConfig;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub office: OfficeConfig,
    pub homeserver: HomeserverConfig,
    pub bot: BotSection,
    pub appservice: AppserviceConfig,
    pub web: WebConfig,
    pub store: StoreConfig,
    pub log: LogConfig,
    pub nlu: NluSection,
    pub outbox: OutboxConfig,
    #[serde(default)]
    pub calls: CallsConfig,
}

/// Video calls through a Janus gateway (see docs/calls.md). Without `janus_url`, the office
/// has no calls and `!wideo` says so.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CallsConfig {
    /// Janus's HTTP API, e.g. `http://127.0.0.1:8088` (keep it on loopback: only szpon talks
    /// to Janus).
    pub janus_url: Option<String>,
    /// Janus's WebSocket API, e.g. `ws://127.0.0.1:8188`, to which szpon relays call pages.
    pub janus_websocket_url: Option<String>,
    /// Janus's `api_secret` (janus.jcfg), so that nothing but szpon can use it.
    #[serde(skip_serializing)]
    pub api_secret: Option<secrecy::SecretString>,
    /// The VideoRoom plugin's `admin_key`, needed to make rooms.
    #[serde(skip_serializing)]
    pub admin_key: Option<secrecy::SecretString>,
    /// Minutes a personal call link works.
    pub link_minutes: i64,
    /// Minutes a call may stand empty before it ends.
    pub empty_minutes: i64,
    /// How many people may send video at once in a call.
    pub publishers: u32,
    /// STUN servers the call page's browsers use, e.g. `["stun:stun.example.org:3478"]`; none
    /// where browsers reach Janus directly.
    pub ice_servers: Vec<String>,
    /// TURN servers (coturn with `use-auth-secret`), e.g.
    /// `["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]`: a browser
    /// gets short-lived credentials for them with its pass.
    pub turn_servers: Vec<String>,
    /// coturn's `static-auth-secret`, shared with szpon.
    #[serde(skip_serializing)]
    pub turn_secret: Option<secrecy::SecretString>,
    /// Minutes a TURN credential works (a long meeting must not outlive it).
    pub turn_minutes: i64,
}

impl CallsConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, problem: String| Err(ConfigError::Invalid { key, problem });
        if let Some(server) =
            self.turn_servers.iter().find(|s| !s.starts_with("turn:") && !s.starts_with("turns:"))
        {
            return invalid("calls.turn_servers", format!("{server:?} is not a turn: or turns: address"));
        }
        if !self.turn_servers.is_empty() && self.turn_secret.is_none() {
            return invalid("calls.turn_secret", "TURN servers need coturn's static-auth-secret".into());
        }
        if !(5..=24 * 60).contains(&self.turn_minutes) {
            return invalid("calls.turn_minutes", format!("{} is not between 5 and 1440", self.turn_minutes));
        }
        let Some(http) = &self.janus_url else { return Ok(()) };
        if url::Url::parse(http).is_err() {
            return invalid("calls.janus_url", format!("{http:?} is not a URL"));
        }
        match &self.janus_websocket_url {
            Some(ws) if ws.starts_with("ws://") || ws.starts_with("wss://") => {}
            _ => {
                return invalid(
                    "calls.janus_websocket_url",
                    "must be set with janus_url, as ws://… or wss://…".into(),
                );
            }
        }
        if self.admin_key.is_none() {
            return invalid(
                "calls.admin_key",
                "must be set with janus_url (the VideoRoom plugin's admin_key)".into(),
            );
        }
        if !(1..=24 * 60).contains(&self.link_minutes) || !(1..=24 * 60).contains(&self.empty_minutes) {
            return invalid("calls.link_minutes", "link_minutes and empty_minutes must be 1 to 1440".into());
        }
        if !(1..=100).contains(&self.publishers) {
            return invalid("calls.publishers", "must be 1 to 100".into());
        }
        Ok(())
    }

    /// Whether the office has calls.
    pub fn enabled(&self) -> bool {
        self.janus_url.is_some()
    }
}

impl Default for CallsConfig {
    fn default() -> Self {
        Self {
            janus_url: None,
            janus_websocket_url: None,
            api_secret: None,
            admin_key: None,
            link_minutes: 15,
            empty_minutes: 5,
            publishers: 6,
            ice_servers: Vec::new(),
            turn_servers: Vec::new(),
            turn_secret: None,
            turn_minutes: 8 * 60,
        }
    }
}

/// How long szpon keeps trying to deliver what it has to say.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxConfig {
    /// Hours an answer, reminder or lesson is retried while the homeserver cannot take it,
    /// before it is given up (`szpon outbox failed` lists those, `szpon outbox retry` sends
    /// them again).
    pub give_up_after_hours: u64,
    /// Rooms sent to at once. Each send waits for the homeserver to store the event, about a
    /// second under load, so this bounds the answers a second (BENCHMARKS.md, the soak).
    #[serde(default = "default_concurrent_rooms")]
    pub concurrent_rooms: usize,
}

fn default_concurrent_rooms() -> usize {
    crate::engine::DEFAULT_CONCURRENT_LANES
}

impl OutboxConfig {
    pub fn give_up_after(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.give_up_after_hours.saturating_mul(3600))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeConfig {
    pub name: String,
    /// The office file: departments, services, clerks, hours (see docs/office-file.md).
    /// Without it, the bot answers but takes no bookings.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeserverConfig {
    /// Where szpon reaches the homeserver's client API.
    pub url: String,
    pub server_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotSection {
    pub localpart: String,
    pub display_name: String,
    /// Servers whose users may invite the bot; empty means any server.
    pub allowed_servers: Vec<String>,
    pub max_message_chars: usize,
    /// Answers one person gets in half a minute at most, against floods; 0 for no limit.
    pub answers_per_half_minute: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppserviceConfig {
    /// The registration YAML written by `szpon registration`; it holds both tokens.
    pub registration: PathBuf,
    pub id: String,
    pub sender_localpart: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebConfig {
    pub listen: SocketAddr,
    /// How the homeserver and people reach szpon's web server.
    pub public_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// `sqlite://…` (the default) or `postgres://…`.
    pub database_url: String,
    /// Where the bot's Matrix state and E2EE keys live.
    pub state_dir: PathBuf,
    /// Encrypts the E2EE key store at rest; without it, `state_dir/key-passphrase` (0600,
    /// written at the first start or by `szpon registration`) holds one. See `key_store`.
    #[serde(default, skip_serializing)]
    pub key_passphrase: Option<secrecy::SecretString>,
}

/// How the bot understands free text (see docs/nlu.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NluSection {
    /// The office's own Rasa NLU YAML files, learnt alongside the shipped data; their
    /// `responses` replace the shipped answers topic by topic.
    pub data: Vec<PathBuf>,
    /// Below this confidence the bot does not act on an intent and says it did not understand.
    pub confidence_threshold: f64,
    /// If the two best intents are closer than this, the bot asks which one was meant.
    pub ambiguity_threshold: f64,
    /// A local sentence-transformers folder (`config.json`, `tokenizer.json`,
    /// `model.safetensors`) whose embeddings join the n-grams. Nothing is downloaded.
    pub encoder: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A tracing filter, such as `info` or `szpon=debug,matrix_sdk=warn`.
    pub filter: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            office: OfficeConfig { name: "Urząd Gminy".to_owned(), file: None },
            homeserver: HomeserverConfig { url: "http://127.0.0.1:8008".to_owned(), server_name: "localhost".to_owned() },
            bot: BotSection {
                localpart: "urzad".to_owned(),
                display_name: "Urząd — asystent".to_owned(),
                allowed_servers: Vec::new(),
                max_message_chars: 4000,
                answers_per_half_minute: 10,
            },
            appservice: AppserviceConfig {
                registration: PathBuf::from("registration.yaml"),
                id: "szpon".to_owned(),
                sender_localpart: "szpon".to_owned(),
            },
            web: WebConfig { listen: SocketAddr::from(([127, 0, 0, 1], 8009)), public_url: "http://127.0.0.1:8009".to_owned() },
            store: StoreConfig {
                database_url: "sqlite://szpon.db".to_owned(),
                state_dir: PathBuf::from("state"),
                key_passphrase: None,
            },
            nlu: NluSection {
                data: Vec::new(),
                confidence_threshold: NluConfig::default().confidence_threshold,
                ambiguity_threshold: NluConfig::default().ambiguity_threshold,
                encoder: None,
            },
            outbox: OutboxConfig { give_up_after_hours: 24, concurrent_rooms: default_concurrent_rooms() },
            calls: CallsConfig::default(),
            log: LogConfig { format: LogFormat::Text, filter: "info,matrix_sdk=warn,matrix_sdk_crypto=warn,matrix_sdk::http_client=off,matrix_sdk_crypto::backups=error,jarust_core=warn,jarust_interface=error,jarust_plugins=warn".to_owned() },
        }
    }
}

/// A configuration problem, naming the key and saying what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration key `{key}`: {problem}")]
    Invalid { key: &'static str, problem: String },
    #[error("office file {path}: {error}")]
    Office { path: String, error: OfficeError },
    #[error("office file {path}: {error}")]
    OfficeUnreadable { path: String, error: std::io::Error },
}

impl Config {
    /// Defaults, then the TOML file (if any), then `SZPON_*` variables; then validated.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        // Only nested keys (`SZPON_SECTION__KEY`): flat ones such as SZPON_TEST_DATABASE_URL
        // belong to scripts and tests, not to the office's configuration.
        let env = Env::prefixed("SZPON_").filter(|key| key.as_str().contains("__")).split("__");
        figment = figment.merge(env);
        let config: Config = figment.extract().map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, problem: String| Err(ConfigError::Invalid { key, problem });
        if self.office.name.trim().is_empty() {
            return invalid("office.name", "must not be empty".into());
        }
        if url::Url::parse(&self.homeserver.url).is_err() {
            return invalid("homeserver.url", format!("{:?} is not a URL", self.homeserver.url));
        }
        if ServerName::parse(&self.homeserver.server_name).is_err() {
            return invalid(
                "homeserver.server_name",
                format!("{:?} is not a server name", self.homeserver.server_name),
            );
        }
        let conforming = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._=-/".contains(c);
        if self.bot.localpart.is_empty() || !self.bot.localpart.chars().all(conforming) {
            return invalid(
                "bot.localpart",
                format!(
                    "{:?} may only hold a-z, 0-9 and . _ = - / (Matrix user ID rules)",
                    self.bot.localpart
                ),
            );
        }
        if let Err(e) = self.bot_user_id() {
            return invalid(
                "bot.localpart",
                format!("{:?} does not make a user ID: {e}", self.bot.localpart),
            );
        }
        if self.bot.localpart == self.appservice.sender_localpart {
            return invalid(
                "bot.localpart",
                "must differ from appservice.sender_localpart, which cannot sync".into(),
            );
        }
        for server in &self.bot.allowed_servers {
            if ServerName::parse(server).is_err() {
                return invalid("bot.allowed_servers", format!("{server:?} is not a server name"));
            }
        }
        if !(100..=65_536).contains(&self.bot.max_message_chars) {
            return invalid("bot.max_message_chars", "must be between 100 and 65536".into());
        }
        if url::Url::parse(&self.web.public_url).is_err() {
            return invalid("web.public_url", format!("{:?} is not a URL", self.web.public_url));
        }
        self.calls.validate()?;
        let db = &self.store.database_url;
        if !(db.starts_with("sqlite:") || db.starts_with("postgres:") || db.starts_with("postgresql:")) {
            return invalid("store.database_url", "must start with sqlite: or postgres:".into());
        }
        if !(0.0..=1.0).contains(&self.nlu.confidence_threshold) {
            return invalid("nlu.confidence_threshold", "must be between 0 and 1".into());
        }
        if !(0.0..=1.0).contains(&self.nlu.ambiguity_threshold) {
            return invalid("nlu.ambiguity_threshold", "must be between 0 and 1".into());
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.filter).is_err() {
            return invalid("log.filter", format!("{:?} is not a tracing filter", self.log.filter));
        }
        Ok(())
    }

    /// Reads and checks the office file, if one is configured.
    pub fn load_office(&self) -> Result<Option<Office>, ConfigError> {
        let Some(path) = &self.office.file else { return Ok(None) };
        let shown = path.display().to_string();
        let unreadable = |error| ConfigError::OfficeUnreadable { path: shown.clone(), error };
        // Looked at before reading: a 10 MB file is refused without being loaded.
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        if size > MAX_OFFICE_FILE_BYTES as u64 {
            let error = OfficeError::TooLarge { size: size as usize, max: MAX_OFFICE_FILE_BYTES };
            return Err(ConfigError::Office { path: shown, error });
        }
        let source = std::fs::read_to_string(path).map_err(unreadable)?;
        Office::parse(&source).map(Some).map_err(|error| ConfigError::Office { path: shown, error })
    }

    pub fn bot_user_id(&self) -> Result<OwnedUserId, ruma::IdParseError> {
        UserId::parse(format!("@{}:{}", self.bot.localpart, self.homeserver.server_name))
    }

    pub fn server_name(&self) -> OwnedServerName {
        ServerName::parse(&self.homeserver.server_name).expect("validated")
    }

    pub fn allowed_servers(&self) -> Option<Vec<OwnedServerName>> {
        if self.bot.allowed_servers.is_empty() {
            return None;
        }
        Some(self.bot.allowed_servers.iter().filter_map(|s| ServerName::parse(s).ok()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_toml(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("szpon.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(Some(&path))
    }

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn file_overrides_defaults() {
        let config =
            load_toml("[office]\nname = \"Gmina Przykładowo\"\n[bot]\nlocalpart = \"gmina\"\n").unwrap();
        assert_eq!(config.office.name, "Gmina Przykładowo");
        assert_eq!(config.bot_user_id().unwrap().as_str(), "@gmina:localhost");
    }

    #[test]
    fn errors_name_the_key() {
        let err = load_toml("[web]\nlisten = \"nie-adres\"\n").unwrap_err().to_string();
        assert!(err.contains("web.listen"), "{err}");
        let err = load_toml("[bot]\nlocalpart = \"Zły Bot\"\n").unwrap_err().to_string();
        assert!(err.contains("bot.localpart"), "{err}");
        let err = load_toml("[store]\ndatabase_url = \"mysql://x\"\n").unwrap_err().to_string();
        assert!(err.contains("store.database_url"), "{err}");
        let err = load_toml("[bot]\nunknown_key = 1\n").unwrap_err().to_string();
        assert!(err.contains("unknown_key"), "{err}");
    }

    /// TURN servers come with coturn's secret, as turn: addresses; the secret is never written out.
    #[test]
    fn turn_needs_its_secret_and_turn_addresses() {
        let err =
            load_toml("[calls]\nturn_servers = [\"turn:t.example.org:3478\"]\n").unwrap_err().to_string();
        assert!(err.contains("calls.turn_secret"), "{err}");
        let err = load_toml("[calls]\nturn_servers = [\"stun:t.example.org\"]\nturn_secret = \"s\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("calls.turn_servers"), "{err}");
        let config =
            load_toml("[calls]\nturn_servers = [\"turns:t.example.org:5349\"]\nturn_secret = \"tajne\"\n")
                .unwrap();
        assert_eq!(config.calls.turn_minutes, 480);
        assert!(!serde_json::to_string(&config.calls).unwrap().contains("tajne"));
    }
}

#[cfg(test)]
mod production_templates {
    use super::*;

    const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/production");

    #[test]
    fn the_office_template_is_valid() {
        let config = Config::load(Some(&Path::new(TEMPLATES).join("szpon.toml"))).unwrap();
        assert!(config.store.database_url.starts_with("postgres://"));
        assert_eq!(config.log.format, LogFormat::Json);
    }

    /// Relaxed rate limits and open registration are for dev and tests only.
    #[test]
    fn no_dev_only_setting_reaches_production() {
        for entry in std::fs::read_dir(TEMPLATES).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let settings: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
            for line in settings {
                for forbidden in [
                    "rc_",
                    "per_second",
                    "burst_count",
                    "enable_registration",
                    "10000",
                    "bcrypt_rounds",
                    "answers_per_half_minute = 0",
                ] {
                    assert!(!line.contains(forbidden), "{} sets {forbidden}: {line}", path.display());
                }
            }
        }
    }
}
