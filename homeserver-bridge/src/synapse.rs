//! A Synapse homeserver run as a child process, for `szpon dev` and the end-to-end tests.
//!
//! Production offices run their own Synapse; nothing here is used by `szpon run`.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use hmac::{Hmac, Mac};
use serde_yaml::{Mapping, Value};
use sha1::Sha1;
use tokio::process::{Child, Command};

use ruma::api::error::ErrorKind;

use crate::BridgeError;

/// Rate limits that let tests and demos create rooms and send messages as fast as they like.
/// They are written only into dev and test configs; the production template has none.
const RELAXED_RATE_LIMITS: &[&str] = &[
    "rc_message",
    "rc_registration",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_room_creation",
    "rc_presence.per_user",
    "rc_media_create",
    "rc_key_requests",
    "rc_profile",
    "rc_3pid_validation",
    "rc_admin_redaction",
    "rc_federation.window_size",
    "rc_delayed_event_mgmt",
    "rc_reports",
    "rc_send_knock",
    "rc_registration_token_validity",
];

/// How to set up a Synapse for development or tests.
#[derive(Debug, Clone)]
pub struct SynapseSetup {
    /// The virtual environment that holds `matrix-synapse`.
    pub venv: PathBuf,
    pub data_dir: PathBuf,
    pub server_name: String,
    pub port: u16,
    pub app_service_config_files: Vec<PathBuf>,
    /// For dev and tests only: generous rate limits and cheap password hashing, so that many
    /// demo and test accounts can be made quickly. Never for an office's homeserver.
    pub relaxed_rate_limits: bool,
}

/// A running Synapse; it is killed if dropped without [`SynapseProcess::stop`].
#[derive(Debug)]
pub struct SynapseProcess {
    child: Child,
    pub url: String,
}

fn synapse_error(what: impl std::fmt::Display) -> BridgeError {
    BridgeError::Synapse(what.to_string())
}

impl SynapseSetup {
    pub fn config_path(&self) -> PathBuf {
        self.data_dir.join("homeserver.yaml")
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn python(&self) -> PathBuf {
        self.venv.join("bin").join("python")
    }

    /// Writes `homeserver.yaml` (generating keys on the first call) and returns the
    /// registration shared secret.
    pub async fn write_config(&self) -> Result<String, BridgeError> {
        let path = self.config_path();
        if !path.exists() {
            self.generate_config().await?;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|source| BridgeError::File { path: path.clone(), source })?;
        let mut config: Mapping = serde_yaml::from_str(&text).map_err(synapse_error)?;
        self.apply_settings(&mut config);
        let secret = config
            .get("registration_shared_secret")
            .and_then(Value::as_str)
            .ok_or_else(|| synapse_error("generated config has no registration_shared_secret"))?
            .to_owned();
        let yaml = serde_yaml::to_string(&config).map_err(synapse_error)?;
        crate::registration::write_secret_file(&path, yaml.as_bytes())?;
        Ok(secret)
    }

    async fn generate_config(&self) -> Result<(), BridgeError> {
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|source| BridgeError::File { path: self.data_dir.clone(), source })?;
        let output = Command::new(self.python())
            .args(["-m", "synapse.app.homeserver", "--server-name", &self.server_name, "--config-path"])
            .arg(self.config_path())
            .arg("--data-directory")
            .arg(&self.data_dir)
            .args(["--generate-config", "--report-stats=no"])
            .current_dir(&self.data_dir)
            .output()
            .await
            .map_err(|e| synapse_error(format!("cannot run {}: {e}", self.python().display())))?;
        if !output.status.success() {
            return Err(synapse_error(format!(
                "config generation failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        Ok(())
    }

    fn apply_settings(&self, config: &mut Mapping) {
        let listener = serde_yaml::from_str::<Value>(&format!(
            "{{port: {}, bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: false, \
             resources: [{{names: [client, openid], compress: false}}]}}",
            self.port
        ))
        .expect("listener yaml");
        set(config, "listeners", Value::Sequence(vec![listener]));
        set(config, "trusted_key_servers", Value::Sequence(vec![]));
        set(config, "suppress_key_server_warning", Value::Bool(true));
        set(config, "report_stats", Value::Bool(false));
        set(config, "enable_registration", Value::Bool(false));
        set(config, "url_preview_enabled", Value::Bool(false));
        let files =
            self.app_service_config_files.iter().map(|p| Value::String(p.display().to_string())).collect();
        set(config, "app_service_config_files", Value::Sequence(files));
        if self.relaxed_rate_limits {
            set(config, "bcrypt_rounds", Value::from(4));
            for key in RELAXED_RATE_LIMITS {
                let generous =
                    serde_yaml::from_str::<Value>("{per_second: 10000, burst_count: 100000}").expect("yaml");
                match key.split_once('.') {
                    Some((outer, inner)) => {
                        let entry = config
                            .entry(Value::from(outer))
                            .or_insert_with(|| Value::Mapping(Mapping::new()));
                        if let Value::Mapping(map) = entry {
                            set(map, inner, generous);
                        }
                    }
                    None => set(config, key, generous),
                }
            }
        }
    }

    /// Starts Synapse and waits until it answers the client API.
    pub async fn start(&self) -> Result<SynapseProcess, BridgeError> {
        let log_path = self.data_dir.join("synapse.stdout.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|source| BridgeError::File { path: log_path.clone(), source })?;
        let child = Command::new(self.python())
            .args(["-m", "synapse.app.homeserver", "--config-path"])
            .arg(self.config_path())
            .current_dir(&self.data_dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|source| BridgeError::File { path: log_path.clone(), source })?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| synapse_error(format!("cannot start synapse: {e}")))?;
        let mut process = SynapseProcess { child, url: self.url() };
        process.wait_ready(Duration::from_secs(90), &log_path).await?;
        Ok(process)
    }
}

fn set(map: &mut Mapping, key: &str, value: Value) {
    map.insert(Value::from(key), value);
}

impl SynapseProcess {
    async fn wait_ready(&mut self, limit: Duration, log_path: &Path) -> Result<(), BridgeError> {
        let http = reqwest::Client::new();
        let versions = format!("{}/_matrix/client/versions", self.url);
        let deadline = tokio::time::Instant::now() + limit;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(synapse_error(format!(
                    "synapse exited with {status}; see {}",
                    log_path.display()
                )));
            }
            if http.get(&versions).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(synapse_error(format!("synapse did not answer within {limit:?}; see {}", log_path.display())))
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Stops Synapse with SIGTERM, and kills it if it has not exited after 15 s.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid as i32),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
        if tokio::time::timeout(Duration::from_secs(15), self.child.wait()).await.is_err() {
            let _ = self.child.kill().await;
        }
    }
}

/// Whether [`register_user`] created the user or found it there already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    Created,
    AlreadyExists,
}

/// Registers a user through Synapse's shared-secret admin API (a Synapse API, not the Matrix
/// spec's). Finding the user there already is not an error, so demo set-up can run every start.
pub async fn register_user(
    homeserver_url: &str,
    shared_secret: &str,
    localpart: &str,
    password: &str,
    admin: bool,
) -> Result<Registered, BridgeError> {
    let http = reqwest::Client::new();
    let endpoint = format!("{}/_synapse/admin/v1/register", homeserver_url.trim_end_matches('/'));
    let unreachable =
        |source| BridgeError::Unreachable { url: homeserver_url.to_owned(), source: Box::new(source) };
    let nonce: serde_json::Value =
        http.get(&endpoint).send().await.map_err(unreachable)?.json().await.map_err(unreachable)?;
    let nonce = nonce["nonce"].as_str().ok_or_else(|| synapse_error("no nonce in register reply"))?;
    let mut mac = Hmac::<Sha1>::new_from_slice(shared_secret.as_bytes()).expect("hmac takes any key");
    let parts = [nonce, localpart, password, if admin { "admin" } else { "notadmin" }];
    mac.update(parts.join("\0").as_bytes());
    let body = serde_json::json!({
        "nonce": nonce, "username": localpart, "password": password, "admin": admin,
        "mac": hex::encode(mac.finalize().into_bytes()),
    });
    let response = http.post(&endpoint).json(&body).send().await.map_err(unreachable)?;
    let status = response.status();
    let reply = response.bytes().await.map_err(unreachable)?;
    if status.is_success() {
        return Ok(Registered::Created);
    }
    match BridgeError::refused("registering a user", status.as_u16(), &reply) {
        BridgeError::Refused { kind: Some(ErrorKind::UserInUse), .. } => Ok(Registered::AlreadyExists),
        refused => Err(refused),
    }
}
