//! A PostgreSQL server of a test's own, from Debian's `postgresql` package, that the test may
//! stop and start again: `initdb` and `pg_ctl` in a temporary directory, on a free port.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tempfile::TempDir;
use tokio::process::Command;

use crate::free_port;

/// A private PostgreSQL server, stopped when dropped.
pub struct LocalPostgres {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
}

impl LocalPostgres {
    /// Initialises a cluster (user `postgres`, trust auth, listening on 127.0.0.1 only) and
    /// starts it.
    pub async fn start() -> anyhow::Result<Self> {
        let bin = postgres_bin()?;
        let dir = tempfile::Builder::new().prefix("szpon-pg-").tempdir()?;
        let postgres = Self { dir, bin, port: free_port() };
        // PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's
        // `postgres` account.
        if nix::unistd::geteuid().is_root() {
            let status =
                Command::new("chown").args(["-R", "postgres:postgres"]).arg(postgres.dir.path()).status();
            if !status.await?.success() {
                bail!("could not give {} to the postgres account", postgres.dir.path().display());
            }
        }
        postgres
            .run(
                "initdb",
                &["-D", &postgres.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            )
            .await?;
        postgres.start_again().await?;
        Ok(postgres)
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server (again), waiting until it accepts connections.
    pub async fn start_again(&self) -> anyhow::Result<()> {
        let options =
            format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.socket_dir());
        let log = format!("{}/server.log", self.socket_dir());
        self.run("pg_ctl", &["-D", &self.data(), "-o", &options, "-l", &log, "-w", "-t", "60", "start"]).await
    }

    /// Stops the server at once, as a crash or a pulled plug would: connections are cut.
    pub async fn stop(&self) -> anyhow::Result<()> {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]).await
    }

    fn data(&self) -> String {
        format!("{}/data", self.socket_dir())
    }

    fn socket_dir(&self) -> String {
        self.dir.path().display().to_string()
    }

    async fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<()> {
        let program = self.bin.join(program);
        let mut command = if nix::unistd::geteuid().is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        let output =
            command.args(args).output().await.with_context(|| format!("running {}", program.display()))?;
        if !output.status.success() {
            bail!(
                "{} {} failed: {}{}",
                program.display(),
                args.join(" "),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for LocalPostgres {
    fn drop(&mut self) {
        let program = self.bin.join("pg_ctl");
        let args = ["-D", &self.data(), "-m", "immediate", "stop"].map(str::to_owned);
        let _ = if nix::unistd::geteuid().is_root() {
            std::process::Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(&args)
                .output()
        } else {
            std::process::Command::new(&program).args(&args).output()
        };
    }
}

/// Debian's PostgreSQL programs: the newest `/usr/lib/postgresql/<version>/bin`.
fn postgres_bin() -> anyhow::Result<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .with_context(|| {
            format!("{} is missing: run ./deploy/dev/setup (it installs postgresql)", root.display())
        })?
        .flatten()
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin)| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).context("no PostgreSQL with pg_ctl under /usr/lib/postgresql")
}
