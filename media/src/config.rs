//! The config a Janus for szpon is started with, written into a folder of szpon's own: only the
//! HTTP and WebSocket transports, both on 127.0.0.1 (browsers reach Janus through szpon's relay);
//! only the VideoRoom and Streaming plugins, without the sample mountpoints Debian ships; an
//! `api_secret`, so that nothing but szpon can talk to it; and an `admin_key` for making rooms.

use std::io;
use std::path::{Path, PathBuf};

/// Where Debian's `janus` package keeps its plugins and transports.
pub const DEBIAN_LIB_DIR: &str = "/usr/lib/x86_64-linux-gnu/janus";

const UNUSED_PLUGINS: &[&str] = &[
    "audiobridge",
    "duktape",
    "echotest",
    "lua",
    "nosip",
    "recordplay",
    "sip",
    "textroom",
    "videocall",
    "voicemail",
];
const UNUSED_TRANSPORTS: &[&str] = &["rabbitmq", "mqtt", "nanomsg", "pfunix"];
const EVENT_HANDLERS: &[&str] = &["gelfevh", "mqttevh", "nanomsgevh", "rabbitmqevh", "sampleevh", "wsevh"];

/// The ports Janus listens on, both on 127.0.0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JanusPorts {
    pub http: u16,
    pub websockets: u16,
}

impl Default for JanusPorts {
    fn default() -> Self {
        Self { http: 8088, websockets: 8188 }
    }
}

/// Everything the config files say.
#[derive(Clone)]
pub struct JanusConfig {
    pub ports: JanusPorts,
    pub api_secret: String,
    pub admin_key: String,
    /// The interfaces (or address prefixes) Janus gathers ICE candidates on. Janus 1.1.2 skips
    /// loopback, so a browser on the same machine reaches it through a real interface.
    pub ice_enforce_list: Option<String>,
    /// A STUN server (`host:port`), for Janus behind NAT.
    pub stun_server: Option<String>,
    /// Where Janus's plugins and transports are.
    pub lib_dir: PathBuf,
}

impl std::fmt::Debug for JanusConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JanusConfig").field("ports", &self.ports).finish_non_exhaustive()
    }
}

impl JanusConfig {
    /// Writes the config files into `dir` (made if missing) and returns the path of
    /// `janus.jcfg`, to start Janus with `janus -F DIR -C DIR/janus.jcfg`.
    pub fn write(&self, dir: &Path) -> io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let files = [
            ("janus.jcfg", self.core(dir)),
            ("janus.transport.http.jcfg", self.http()),
            ("janus.transport.websockets.jcfg", self.websockets()),
            ("janus.plugin.videoroom.jcfg", self.plugin()),
            ("janus.plugin.streaming.jcfg", self.plugin()),
        ];
        for (name, text) in files {
            write_private(&dir.join(name), &text)?;
        }
        Ok(dir.join("janus.jcfg"))
    }

    /// The HTTP API's root, for [`crate::Janus::new`].
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.ports.http)
    }

    /// The WebSocket API, for the [`crate::relay`].
    pub fn websocket_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.ports.websockets)
    }

    fn core(&self, dir: &Path) -> String {
        let lib = self.lib_dir.display();
        let disabled = |names: &[&str]| {
            names.iter().map(|name| format!("libjanus_{name}.so")).collect::<Vec<_>>().join(",")
        };
        let ice =
            self.ice_enforce_list.as_deref().map(|list| format!("\tice_enforce_list = {}\n", quoted(list)));
        let stun =
            self.stun_server.as_deref().and_then(|server| server.rsplit_once(':')).map(|(host, port)| {
                format!(
                    "\tstun_server = {}\n\tstun_port = {}\n",
                    quoted(host),
                    port.parse::<u16>().unwrap_or(3478)
                )
            });
        format!(
            "general: {{\n\tconfigs_folder = {configs}\n\tplugins_folder = {plugins}\n\ttransports_folder = \
             {transports}\n\tevents_folder = {events}\n\tloggers_folder = {loggers}\n\tdebug_level = 4\n\t\
             api_secret = {secret}\n\tprotected_folders = [\"/bin\", \"/boot\", \"/dev\", \"/etc\", \"/lib\", \
             \"/proc\", \"/sbin\", \"/sys\", \"/usr\", \"/var\"]\n}}\n\
             media: {{\n}}\n\
             nat: {{\n\tnice_debug = false\n\tice_ignore_list = \"vmnet\"\n{ice}{stun}}}\n\
             plugins: {{\n\tdisable = {plugins_off}\n}}\n\
             transports: {{\n\tdisable = {transports_off}\n}}\n\
             events: {{\n\tbroadcast = false\n\tdisable = {events_off}\n}}\n\
             loggers: {{\n\tdisable = \"libjanus_jsonlog.so\"\n}}\n",
            configs = quoted(&dir.display().to_string()),
            plugins = quoted(&format!("{lib}/plugins")),
            transports = quoted(&format!("{lib}/transports")),
            events = quoted(&format!("{lib}/events")),
            loggers = quoted(&format!("{lib}/loggers")),
            secret = quoted(&self.api_secret),
            ice = ice.unwrap_or_default(),
            stun = stun.unwrap_or_default(),
            plugins_off = quoted(&disabled(UNUSED_PLUGINS)),
            transports_off = quoted(&disabled(UNUSED_TRANSPORTS)),
            events_off = quoted(&disabled(EVENT_HANDLERS)),
        )
    }

    fn http(&self) -> String {
        format!(
            "general: {{\n\tjson = \"compact\"\n\tbase_path = \"/janus\"\n\thttp = true\n\tport = {}\n\t\
             ip = \"127.0.0.1\"\n\thttps = false\n}}\nadmin: {{\n\tadmin_http = false\n\tadmin_https = false\n}}\n\
             cors: {{\n}}\n",
            self.ports.http
        )
    }

    fn websockets(&self) -> String {
        format!(
            "general: {{\n\tjson = \"compact\"\n\tws = true\n\tws_port = {}\n\tws_ip = \"127.0.0.1\"\n\t\
             wss = false\n}}\nadmin: {{\n\tadmin_ws = false\n\tadmin_wss = false\n}}\n",
            self.ports.websockets
        )
    }

    /// VideoRoom's and Streaming's: no rooms or mountpoints of their own, and only szpon (with
    /// the admin key) makes new ones.
    fn plugin(&self) -> String {
        format!("general: {{\n\tadmin_key = {}\n\tlock_rtp_forward = true\n}}\n", quoted(&self.admin_key))
    }
}

/// A libconfig string: quotes and backslashes escaped.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The files hold the API secret and the admin key: only szpon's user may read them.
fn write_private(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file =
        std::fs::OpenOptions::new().create(true).write(true).truncate(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> JanusConfig {
        JanusConfig {
            ports: JanusPorts::default(),
            api_secret: "s\"ecret".to_owned(),
            admin_key: "key".to_owned(),
            ice_enforce_list: Some("10.99.0.".to_owned()),
            stun_server: Some("stun.example.org:3478".to_owned()),
            lib_dir: PathBuf::from(DEBIAN_LIB_DIR),
        }
    }

    #[test]
    fn only_what_szpon_uses_is_enabled_and_only_on_loopback() {
        let dir = tempfile::tempdir().expect("dir");
        config().write(dir.path()).expect("written");
        let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect(name);
        let core = read("janus.jcfg");
        assert!(core.contains("api_secret = \"s\\\"ecret\""), "{core}");
        assert!(core.contains("libjanus_nanomsg.so") && core.contains("libjanus_echotest.so"), "{core}");
        assert!(!core.contains("libjanus_videoroom.so") && !core.contains("libjanus_streaming.so"), "{core}");
        assert!(
            core.contains("ice_enforce_list = \"10.99.0.\"") && core.contains("stun_port = 3478"),
            "{core}"
        );
        assert!(read("janus.transport.http.jcfg").contains("ip = \"127.0.0.1\""));
        assert!(read("janus.transport.websockets.jcfg").contains("ws_ip = \"127.0.0.1\""));
        let streaming = read("janus.plugin.streaming.jcfg");
        assert!(streaming.contains("admin_key = \"key\"") && !streaming.contains("type ="), "{streaming}");
        let mode = std::fs::metadata(dir.path().join("janus.jcfg")).expect("meta");
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777, 0o600);
    }
}
