//! `szpon outbox failed` and `szpon outbox retry`: what the bot gave up delivering, and sending
//! it again once the cause (a long outage, a room fixed by hand) is gone; and `szpon outbox
//! unreadable`: stored rows this version could not read, set aside rather than lost.

use szpon_bots::Clock;

use crate::{
    app::redact_url,
    config::Config,
    store::{FailedAction, Retry, Store},
};

/// How many given-up actions `failed` lists at most.
const LISTED: usize = 500;

async fn store(config: &Config) -> anyhow::Result<Store> {
    use anyhow::Context;
    Store::connect(&config.store.database_url)
        .await
        .with_context(|| format!("opening the database {}", redact_url(&config.store.database_url)))
}

/// Prints the actions given up, newest first, one a line; never their text.
pub async fn list_failed(config: &Config) -> anyhow::Result<()> {
    let failed = store(config).await?.failed_actions(LISTED).await?;
    if failed.is_empty() {
        println!("Nic nie czeka na ponowne wysłanie. / Nothing was given up.");
        return Ok(());
    }
    println!("id\tcreated\tgiven up\tattempts\taction\twhere\tlast error");
    for action in &failed {
        println!("{}", line(action));
    }
    println!(
        "{} — wyślij ponownie: szpon outbox retry --all (albo podaj numery). / resend with `szpon outbox retry --all` or the ids.",
        failed.len()
    );
    Ok(())
}

fn line(failed: &FailedAction) -> String {
    let (kind, target) = match &failed.action {
        Some(action) => (action_kind(action), action.queue().to_owned()),
        None => ("unreadable".to_owned(), String::new()),
    };
    let error: String = failed.last_error.chars().take(160).collect();
    format!(
        "{}\t{}\t{}\t{}\t{kind}\t{target}\t{}",
        failed.id,
        failed.created_at.format("%Y-%m-%d %H:%M"),
        failed.failed_at.format("%Y-%m-%d %H:%M"),
        failed.attempts,
        error.replace(['\t', '\n'], " ")
    )
}

/// The action's variant, as it is stored (`SendNotice`, `Direct`…).
fn action_kind(action: &szpon_bots::Action) -> String {
    match serde_json::to_value(action) {
        Ok(serde_json::Value::Object(map)) => {
            map.keys().next().cloned().unwrap_or_else(|| "action".to_owned())
        }
        Ok(serde_json::Value::String(name)) => name,
        _ => "action".to_owned(),
    }
}

/// Puts the given-up actions back in the queue (all, or those with the given ids).
pub async fn retry(config: &Config, which: Retry) -> anyhow::Result<()> {
    let count = store(config).await?.retry_failed(&which, crate::app::SystemClock.now()).await?;
    println!(
        "Ponownie w kolejce: {count}. / Queued again: {count}. The running szpon sends them within seconds."
    );
    Ok(())
}

/// Prints the stored rows set aside as unreadable, newest first; never their content, which may
/// hold what a person wrote (it stays in `unreadable_rows.row_json`).
pub async fn list_unreadable(config: &Config) -> anyhow::Result<()> {
    let rows = store(config).await?.unreadable_rows().await?;
    if rows.is_empty() {
        println!("Wszystkie zapisane dane dają się odczytać. / Every stored row reads.");
        return Ok(());
    }
    println!("set aside	kept in	owner	reason");
    for row in &rows {
        let reason: String = row.reason.chars().take(160).collect();
        println!(
            "{}\t{}\t{}\t{}",
            row.set_aside_at.format("%Y-%m-%d %H:%M"),
            row.kept_in,
            row.owner,
            reason.replace(['\t', '\n'], " ")
        );
    }
    Ok(())
}
