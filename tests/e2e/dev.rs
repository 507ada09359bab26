//! `szpon dev`, the contract other tools rely on: one command gives a working office with demo
//! accounts in `dev.json`, stops its children on SIGTERM, and keeps its state for next time.

use std::{os::unix::fs::PermissionsExt, path::Path, process::Stdio, time::Duration};

use anyhow::{Context, bail};
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use szpon_test_harness::{TestUser, free_port, synapse_venv};
use tokio::process::{Child, Command};

struct DevOffice {
    child: Child,
    web_url: String,
}

async fn start_dev(state_dir: &Path, port: u16, homeserver_port: u16) -> anyhow::Result<DevOffice> {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(state_dir.with_extension("log"))?;
    let child = Command::new(env!("CARGO_BIN_EXE_szpon"))
        .args(["dev", "--state-dir"])
        .arg(state_dir)
        .args(["--port", &port.to_string(), "--homeserver-port", &homeserver_port.to_string()])
        .env("SZPON_SYNAPSE_VENV", synapse_venv())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .kill_on_drop(true)
        .spawn()?;
    let mut office = DevOffice { child, web_url: format!("http://127.0.0.1:{port}") };
    let http = matrix_sdk::reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = office.child.try_wait()? {
            bail!(
                "szpon dev exited with {status}: {}",
                std::fs::read_to_string(state_dir.with_extension("log"))?
            );
        }
        let healthy = http
            .get(format!("{}/healthz", office.web_url))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if healthy && state_dir.join("dev.json").exists() {
            return Ok(office);
        }
        if tokio::time::Instant::now() > deadline {
            bail!("szpon dev was not ready in time");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

impl DevOffice {
    async fn terminate(mut self) -> anyhow::Result<std::process::ExitStatus> {
        let pid = self.child.id().context("running")?;
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), nix::sys::signal::Signal::SIGTERM)?;
        Ok(tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await??)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn szpon_dev_runs_a_demo_office() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let state_dir = root.path().join("office");
    let (port, homeserver_port) = (free_port(), free_port());
    let office = start_dev(&state_dir, port, homeserver_port).await?;

    let dev_json = state_dir.join("dev.json");
    assert_eq!(std::fs::metadata(&dev_json)?.permissions().mode() & 0o777, 0o600, "dev.json holds passwords");
    let info: serde_json::Value = serde_json::from_slice(&std::fs::read(&dev_json)?)?;
    assert_eq!(info["homeserver_url"], format!("http://127.0.0.1:{homeserver_port}"));
    assert_eq!(info["server_name"], "localhost");
    assert_eq!(info["bot_user_id"], "@urzad:localhost");
    assert_eq!(info["web_url"], office.web_url);
    assert!(info["registration_shared_secret"].as_str().is_some_and(|s| !s.is_empty()));
    let roles: Vec<&str> =
        info["accounts"].as_array().unwrap().iter().map(|a| a["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["citizen", "clerk", "trainer", "support"]);
    let citizen = &info["accounts"][0];
    let localpart =
        citizen["user_id"].as_str().unwrap().trim_start_matches('@').split(':').next().unwrap().to_owned();
    let password = citizen["password"].as_str().unwrap().to_owned();

    let homeserver = info["homeserver_url"].as_str().unwrap().to_owned();
    let person = TestUser::login(&homeserver, &localpart, &password, &root.path().join("clients")).await?;
    let bot = matrix_sdk::ruma::OwnedUserId::try_from("@urzad:localhost")?;
    let room = person.create_dm(&bot, true).await?;
    let reply = person.ask(&room, &bot, RoomMessageEventContent::text_plain("pomoc")).await?;
    assert!(reply.body.contains("Jestem asystentem Urzędu Gminy Przykładowo."), "{}", reply.body);

    // SIGTERM stops szpon and its Synapse, cleanly.
    let status = office.terminate().await?;
    assert!(status.success(), "szpon dev exited with {status}");
    let versions = format!("{homeserver}/_matrix/client/versions");
    assert!(matrix_sdk::reqwest::get(&versions).await.is_err(), "Synapse still runs after szpon dev stopped");

    // The next start keeps the accounts, their passwords and the conversation.
    let office = start_dev(&state_dir, port, homeserver_port).await?;
    let again: serde_json::Value = serde_json::from_slice(&std::fs::read(&dev_json)?)?;
    assert_eq!(again["accounts"], info["accounts"]);
    assert_eq!(again["registration_shared_secret"], info["registration_shared_secret"]);
    let reply = person.ask(&room, &bot, RoomMessageEventContent::text_plain("dziękuję")).await?;
    assert!(reply.body.starts_with("Proszę bardzo"), "{}", reply.body);
    assert_eq!(person.received_from(&room, &bot).len(), 2, "nothing answered twice after the restart");
    office.terminate().await?;
    Ok(())
}
