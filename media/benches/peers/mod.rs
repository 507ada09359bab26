//! WebRTC peers without a browser for the media benches: str0m (ICE, DTLS, SRTP, RTCP, no
//! decoding) against the real Janus, in a network namespace of their own with a private address
//! (Janus 1.1.2 offers no loopback candidates). A publisher sends VP8-framed bytes at
//! [`BITRATE`]; a subscriber counts the frames it reassembles.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use str0m::{
    Candidate, Event, Input, Output, Rtc, RtcConfig,
    change::{SdpAnswer, SdpOffer},
    format::Codec,
    media::{Direction, MediaKind, MediaTime},
    net::{Protocol, Receive},
};
use szpon_media::{DEBIAN_LIB_DIR, JanusConfig, JanusPorts, RunningJanus};
use tokio::net::UdpSocket;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};

const NAMESPACED: &str = "SZPON_BENCH_IN_NETWORK_NAMESPACE";
const ADDRESS: &str = "10.99.0.1";
pub const PIN: &str = "bench-pin";
pub const FPS: u64 = 30;
pub const BITRATE: u64 = 500_000;
pub const WINDOW: Duration = Duration::from_secs(10);

/// Runs `bench` as root in a network namespace of its own (re-running this program there), with
/// a veth pair carrying the private address the peers and Janus use.
pub fn in_namespace<F>(bench: impl FnOnce() -> F) -> anyhow::Result<()>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    if std::env::var_os(NAMESPACED).is_none() {
        let status = std::process::Command::new("unshare")
            .arg("-n")
            .arg(std::env::current_exe()?)
            .args(std::env::args().skip(1))
            .env(NAMESPACED, "1")
            .status()
            .context("unshare -n (the bench runs as root)")?;
        anyhow::ensure!(status.success(), "the bench in its network namespace failed");
        return Ok(());
    }
    for command in [
        "ip link set lo up",
        "ip link add veth0 type veth peer name veth1",
        &format!("ip addr add {ADDRESS}/24 dev veth0"),
        "ip link set veth0 up",
        "ip link set veth1 up",
    ] {
        let status = std::process::Command::new("sh").args(["-c", command]).status()?;
        anyhow::ensure!(status.success(), "{command}");
    }
    str0m::crypto::from_feature_flags().install_process_default();
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?.block_on(bench())
}

/// Janus, started with szpon's config for the private address.
pub async fn start_janus(dir: &std::path::Path) -> anyhow::Result<RunningJanus> {
    let config = JanusConfig {
        ports: JanusPorts { http: free_port(), websockets: free_port() },
        api_secret: "bench-api-secret".to_owned(),
        admin_key: "bench-admin-key".to_owned(),
        ice_enforce_list: Some(ADDRESS.to_owned()),
        stun_server: None,
        lib_dir: DEBIAN_LIB_DIR.into(),
    };
    Ok(RunningJanus::start(config, dir).await?)
}

/// The steps a bench takes, from `variable` or `default`.
pub fn steps(variable: &str, default: &str) -> Vec<usize> {
    std::env::var(variable)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect()
}

/// Waits until a publisher's first frames are out.
pub async fn sending(sent: &AtomicU64) -> anyhow::Result<()> {
    for _ in 0..50 {
        if sent.load(Ordering::Relaxed) > 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("a publisher sends nothing")
}

/// What one measuring window saw.
pub struct Window {
    /// Janus's and the bench's own CPU, in % of a core.
    pub janus_cpu: f64,
    pub own_cpu: f64,
    /// Each subscriber's share of the frames its publisher sent in the window.
    pub ratios: Vec<f64>,
}

impl Window {
    pub fn keeping_up(&self) -> usize {
        self.ratios.iter().filter(|r| **r >= 0.95).count()
    }

    pub fn worst(&self) -> String {
        match self.ratios.iter().copied().reduce(f64::min) {
            Some(worst) => format!("{:.0} %", worst * 100.0),
            None => "—".to_owned(),
        }
    }
}

/// Measures a [`WINDOW`] after 3 s to settle: `subscribers` pairs a subscriber's frame counter
/// with its publisher's.
pub async fn measure(janus: u32, subscribers: &[(Arc<AtomicU64>, Arc<AtomicU64>)]) -> anyhow::Result<Window> {
    tokio::time::sleep(Duration::from_secs(3)).await;
    let janus = janus.to_string();
    let (janus_before, own_before) = (cpu_ticks(&janus)?, cpu_ticks("self")?);
    let before: Vec<(u64, u64)> = subscribers
        .iter()
        .map(|(got, sent)| (got.load(Ordering::Relaxed), sent.load(Ordering::Relaxed)))
        .collect();
    let started = Instant::now();
    tokio::time::sleep(WINDOW).await;
    let seconds = started.elapsed().as_secs_f64();
    let percent = |ticks: u64| ticks as f64 / ticks_per_second() / seconds * 100.0;
    let ratios = subscribers
        .iter()
        .zip(&before)
        .map(|((got, sent), (got_before, sent_before))| {
            let sent = (sent.load(Ordering::Relaxed) - sent_before).max(1);
            (got.load(Ordering::Relaxed) - got_before) as f64 / sent as f64
        })
        .collect();
    Ok(Window {
        janus_cpu: percent(cpu_ticks(&janus)? - janus_before),
        own_cpu: percent(cpu_ticks("self")? - own_before),
        ratios,
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(0)
}

/// User plus system time of a process (`self` for this one), in clock ticks.
fn cpu_ticks(pid: &str) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may hold spaces; the fields after it are fixed.
    let fields: Vec<&str> = stat.rsplit_once(')').context("stat")?.1.split_whitespace().collect();
    Ok(fields[11].parse::<u64>()? + fields[12].parse::<u64>()?)
}

/// SZPON_BENCH_DEBUG=1 shows the presenter's SDP and connection events.
fn debugging() -> bool {
    std::env::var_os("SZPON_BENCH_DEBUG").is_some()
}

fn ticks_per_second() -> f64 {
    100.0
}

/// Janus's WebSocket API, one request at a time, on one session.
pub struct Signal {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    secret: String,
    session: u64,
    next: u64,
}

impl Signal {
    pub async fn connect(janus: &RunningJanus) -> anyhow::Result<Self> {
        let mut request = janus.config.websocket_url().into_client_request()?;
        request.headers_mut().insert("Sec-WebSocket-Protocol", "janus-protocol".parse()?);
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        let mut signal = Signal { socket, secret: janus.config.api_secret.clone(), session: 0, next: 0 };
        signal.session =
            signal.ask(json!({"janus": "create"})).await?["data"]["id"].as_u64().context("session")?;
        Ok(signal)
    }

    async fn ask(&mut self, request: Value) -> anyhow::Result<Value> {
        self.send(request, false).await
    }

    /// Sends a request; its answer is the first for its transaction, past the "ack" of an
    /// asynchronous request unless the ack is all there is (`keepalive`).
    async fn send(&mut self, mut request: Value, ack_answers: bool) -> anyhow::Result<Value> {
        self.next += 1;
        let transaction = format!("t{}", self.next);
        request["transaction"] = Value::from(transaction.as_str());
        request["apisecret"] = Value::from(self.secret.as_str());
        if self.session != 0 {
            request["session_id"] = Value::from(self.session);
        }
        self.socket.send(tungstenite::Message::text(request.to_string())).await?;
        loop {
            let message = tokio::time::timeout(Duration::from_secs(20), self.socket.next())
                .await?
                .context("closed")??;
            let Ok(text) = message.to_text() else { continue };
            let answer: Value = serde_json::from_str(text)?;
            if answer["transaction"] == transaction.as_str() && (ack_answers || answer["janus"] != "ack") {
                if answer["janus"] == "error" {
                    bail!("Janus: {answer}");
                }
                return Ok(answer);
            }
        }
    }

    async fn attach(&mut self) -> anyhow::Result<u64> {
        let attached = self.ask(json!({"janus": "attach", "plugin": "janus.plugin.videoroom"})).await?;
        attached["data"]["id"].as_u64().context("handle")
    }

    async fn message(&mut self, handle: u64, body: Value, jsep: Option<Value>) -> anyhow::Result<Value> {
        let mut request = json!({"janus": "message", "handle_id": handle, "body": body});
        if let Some(jsep) = jsep {
            request["jsep"] = jsep;
        }
        self.ask(request).await
    }

    pub async fn keepalive(&mut self) -> anyhow::Result<()> {
        self.send(json!({"janus": "keepalive"}), true).await.map(drop)
    }
}

/// A peer with a UDP socket on the private address.
async fn peer() -> anyhow::Result<(Rtc, UdpSocket)> {
    let socket = UdpSocket::bind(format!("{ADDRESS}:0")).await?;
    let mut rtc = RtcConfig::new().build(Instant::now());
    rtc.add_local_candidate(Candidate::host(socket.local_addr()?, "udp")?).context("a candidate")?;
    Ok((rtc, socket))
}

/// A publisher: joins `room` and sends video, counted in `sent`; returns its feed.
pub async fn publish(signal: &mut Signal, room: u64, sent: Arc<AtomicU64>) -> anyhow::Result<u64> {
    let handle = signal.attach().await?;
    let joined = signal
        .message(
            handle,
            json!({"request": "join", "ptype": "publisher", "room": room, "pin": PIN, "display": "Nadawca"}),
            None,
        )
        .await?;
    let feed = joined["plugindata"]["data"]["id"].as_u64().context("the presenter's feed")?;
    let (mut rtc, socket) = peer().await?;
    let mut change = rtc.sdp_api();
    let mid = change.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, pending) = change.apply().context("an offer")?;
    let configured = signal
        .message(
            handle,
            json!({"request": "configure", "audio": false, "video": true}),
            Some(serde_json::to_value(&offer)?),
        )
        .await?;
    if debugging() {
        eprintln!("offer: {}\nanswer: {}", serde_json::to_value(&offer)?["sdp"], configured["jsep"]["sdp"]);
    }
    let answer: SdpAnswer = serde_json::from_value(configured["jsep"].clone()).context("Janus's answer")?;
    rtc.sdp_api().accept_answer(pending, answer)?;
    tokio::spawn(async move {
        if let Err(error) = send_video(rtc, socket, mid, sent).await {
            eprintln!("the presenter stopped: {error:#}");
        }
    });
    Ok(feed)
}

/// A subscriber of `feed` in `room`; the returned counter grows with each frame it reassembles.
pub async fn watch(signal: &mut Signal, room: u64, feed: u64) -> anyhow::Result<Arc<AtomicU64>> {
    let handle = signal.attach().await?;
    let joined = signal
        .message(handle, json!({"request": "join", "ptype": "subscriber", "room": room, "pin": PIN, "streams": [{"feed": feed}]}), None)
        .await?;
    let offer: SdpOffer = serde_json::from_value(joined["jsep"].clone()).context("Janus's offer")?;
    let (mut rtc, socket) = peer().await?;
    let answer = rtc.sdp_api().accept_offer(offer)?;
    signal.message(handle, json!({"request": "start"}), Some(serde_json::to_value(&answer)?)).await?;
    let frames = Arc::new(AtomicU64::new(0));
    let counted = frames.clone();
    tokio::spawn(async move {
        let count = |event: Event| {
            if let Event::MediaData(_) = event {
                counted.fetch_add(1, Ordering::Relaxed);
            }
        };
        if let Err(error) = drive(rtc, socket, count, |_, _| Ok(())).await {
            eprintln!("a viewer stopped: {error:#}");
        }
    });
    Ok(frames)
}

/// Sends VP8-framed bytes at [`BITRATE`] and [`FPS`], a key frame every second.
async fn send_video(
    rtc: Rtc,
    socket: UdpSocket,
    mid: str0m::media::Mid,
    sent: Arc<AtomicU64>,
) -> anyhow::Result<()> {
    let frame_bytes = (BITRATE / 8 / FPS) as usize;
    let connected = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let on_event = {
        let connected = connected.clone();
        move |event: Event| {
            if debugging() {
                eprintln!("the presenter: {event:?}");
            }
            if matches!(event, Event::Connected) {
                connected.store(true, Ordering::Relaxed);
            }
        }
    };
    let started = Instant::now();
    let mut next = 0u64;
    let write = move |rtc: &mut Rtc, now: Instant| -> anyhow::Result<()> {
        // Media written before the connection is up is dropped: the count starts with it.
        if !connected.load(Ordering::Relaxed) {
            return Ok(());
        }
        let due = started + Duration::from_millis(next * 1000 / FPS);
        if now < due {
            return Ok(());
        }
        let Some(writer) = rtc.writer(mid) else { bail!("the presenter's video has no writer") };
        let Some(pt) = writer.payload_params().find(|p| p.spec().codec == Codec::Vp8).map(|p| p.pt()) else {
            bail!("the presenter's video has no VP8")
        };
        let frame = vp8_frame(next.is_multiple_of(FPS), frame_bytes);
        writer.write(pt, now, MediaTime::from_90khz(next * 90_000 / FPS), frame)?;
        next += 1;
        sent.fetch_add(1, Ordering::Relaxed);
        Ok(())
    };
    drive(rtc, socket, on_event, write).await
}

/// A VP8 frame's header (RFC 6386, 9.1: a key frame carries the start code and its size) and
/// filler: Janus and the viewers look at no more than that.
fn vp8_frame(key: bool, size: usize) -> Vec<u8> {
    let mut frame = vec![0x5a; size.max(10)];
    frame[0] = if key { 0x10 } else { 0x11 };
    frame[1] = 0x02;
    frame[2] = 0x00;
    if key {
        frame[3..6].copy_from_slice(&[0x9d, 0x01, 0x2a]);
        frame[6..8].copy_from_slice(&640u16.to_le_bytes());
        frame[8..10].copy_from_slice(&480u16.to_le_bytes());
    }
    frame
}

/// Runs a peer: its socket into str0m and str0m's output onto the socket, until it fails.
/// `tick` is called whenever the peer wakes (the presenter writes its frames there).
async fn drive(
    mut rtc: Rtc,
    socket: UdpSocket,
    mut on_event: impl FnMut(Event),
    mut tick: impl FnMut(&mut Rtc, Instant) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let local: SocketAddr = socket.local_addr()?;
    let mut buffer = vec![0u8; 2000];
    loop {
        tick(&mut rtc, Instant::now())?;
        let deadline = loop {
            match rtc.poll_output()? {
                Output::Timeout(at) => break at,
                Output::Transmit(transmit) => {
                    socket.send_to(&transmit.contents, transmit.destination).await?;
                }
                Output::Event(event) => on_event(event),
            }
        };
        // The presenter wakes at least once a frame.
        let deadline = deadline.min(Instant::now() + Duration::from_millis(1000 / FPS / 2));
        tokio::select! {
            received = socket.recv_from(&mut buffer) => {
                let (length, source) = received?;
                let Ok(contents) = buffer[..length].try_into() else { continue };
                let input = Input::Receive(Instant::now(), Receive { proto: Protocol::Udp, source, destination: local, contents });
                rtc.handle_input(input)?;
            }
            () = tokio::time::sleep_until(deadline.into()) => {
                rtc.handle_input(Input::Timeout(Instant::now()))?;
            }
        }
    }
}
