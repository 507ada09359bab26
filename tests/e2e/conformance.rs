//! The Matrix bridge against a real Synapse, on the same table of cases as the in-memory fake
//! (`szpon_homeserver_bridge::conformance`): the fake refuses what Synapse refuses.

use std::{sync::Arc, time::Duration};

use matrix_sdk::ruma::Int;
use szpon_homeserver_bridge::{
    Homeserver, MatrixBridge, MatrixBridgeConfig,
    conformance::{World, check},
};
use szpon_test_harness::Office;

use super::szpon;

/// The bot's bridge, in this process, with its sync running (its events are dropped).
async fn bridge(office: &Office) -> anyhow::Result<Arc<MatrixBridge>> {
    let config = MatrixBridgeConfig {
        homeserver_url: office.homeserver_url.clone(),
        server_name: "localhost".try_into()?,
        bot_localpart: office.bot_user_id.localpart().to_owned(),
        display_name: "Urząd (próba)".to_owned(),
        registration: office.registration.clone(),
        state_dir: office.dir.path().join("conformance-bot"),
        store_passphrase: None,
    };
    let bridge = Arc::new(MatrixBridge::connect(config).await?);
    let (inputs, mut drained) = tokio::sync::mpsc::channel(64);
    let (ready, _) = tokio::sync::watch::channel(false);
    tokio::spawn(bridge.clone().run(inputs, ready, Box::new(|| {})));
    tokio::spawn(async move { while drained.recv().await.is_some() {} });
    Ok(bridge)
}

async fn until_widgets_allowed(bridge: &MatrixBridge, room: &matrix_sdk::ruma::RoomId) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while bridge.can_add_widget(room).await != Ok(true) {
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "the bot's new power level never synced");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bridge_carries_out_and_refuses_what_the_fake_does() -> anyhow::Result<()> {
    let mut office = Office::start(szpon()).await?;
    // One device of the bot at a time: this test's bridge is the bot now.
    office.stop_szpon().await?;
    let bot = office.bot_user_id.clone();
    let owner = office.user("wlasciciel").await?;
    let guest = office.register_account(&format!("gosc-{}", szpon_test_harness::random_suffix())).await?;
    let joined = owner.create_group("Zespół", &[&bot]).await?;
    let powerless = owner.create_group("Ogłoszenia", &[&bot]).await?;
    let stranger = owner.create_group("Obcy", &[]).await?;

    let bridge = bridge(&office).await?;
    for room in [&joined, &powerless] {
        let join = szpon_bots::Action::JoinRoom { room_id: room.room_id().to_owned() };
        bridge.perform(&join, &format!("join-{}", room.room_id())).await?;
    }
    owner.wait_for_member(&joined, &bot).await?;
    owner.power_levels(&joined).await?;
    joined.update_power_levels(vec![(&bot, Int::from(100))]).await?;
    until_widgets_allowed(&bridge, joined.room_id()).await?;

    let world = World {
        joined: joined.room_id().to_owned(),
        powerless: powerless.room_id().to_owned(),
        stranger: stranger.room_id().to_owned(),
        missing: "!nie-ma-takiego:localhost".try_into()?,
        guest,
    };
    let mismatches = check(bridge.as_ref(), &world, "synapse").await;
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    Ok(())
}
