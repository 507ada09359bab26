//! A loopback proxy that adds the appservice identity assertion (`user_id` and `device_id`)
//! to every request of the bot's matrix-sdk client.
//!
//! Why: an appservice user that logs in gets an ordinary, rate-limited access token, while
//! the as_token with an asserted device (MSC4190) is exempt from rate limits and still has an
//! E2EE device. matrix-sdk 0.18 cannot add `device_id` to its requests, so this does. It adds
//! no credentials of its own: requests still carry the as_token that matrix-sdk sends.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, StatusCode, Uri, header},
    response::{IntoResponse, Response},
    serve::ListenerExt,
};
use futures_util::TryStreamExt;
use ruma::{OwnedDeviceId, OwnedUserId, api::AppserviceUserIdentity};
use tokio::task::JoinHandle;

use crate::BridgeError;

/// Largest request body forwarded; matrix-sdk's uploads stay below Synapse's own default.
const MAX_REQUEST_BYTES: usize = 100 * 1024 * 1024;

struct ProxyTarget {
    upstream: String,
    user_id: OwnedUserId,
    device_id: OwnedDeviceId,
    http: reqwest::Client,
}

/// The running proxy; it stops when dropped.
pub(crate) struct IdentityProxy {
    pub(crate) url: String,
    task: JoinHandle<()>,
}

impl Drop for IdentityProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl IdentityProxy {
    pub(crate) async fn start(
        upstream: &str,
        user_id: OwnedUserId,
        device_id: OwnedDeviceId,
    ) -> Result<Self, BridgeError> {
        let target = Arc::new(ProxyTarget {
            upstream: upstream.trim_end_matches('/').to_owned(),
            user_id,
            device_id,
            http: reqwest::Client::builder()
                .build()
                .map_err(|e| BridgeError::Proxy(std::io::Error::other(e)))?,
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(BridgeError::Proxy)?;
        let addr = listener.local_addr().map_err(BridgeError::Proxy)?;
        let app = Router::new().fallback(forward).with_state(target);
        // Every reply is small and waited for: without TCP_NODELAY, Nagle's algorithm meets
        // the client's delayed ACK and adds about 40 ms to a round trip.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "identity proxy stopped");
            }
        });
        Ok(Self { url: format!("http://{addr}"), task })
    }
}

async fn forward(State(target): State<Arc<ProxyTarget>>, request: Request) -> Response {
    match try_forward(&target, request).await {
        Ok(response) => response,
        Err(reason) => {
            tracing::debug!(%reason, "homeserver unreachable through identity proxy");
            let body = serde_json::json!({ "errcode": "M_UNKNOWN", "error": "homeserver unreachable" });
            (StatusCode::BAD_GATEWAY, axum::Json(body)).into_response()
        }
    }
}

async fn try_forward(target: &ProxyTarget, request: Request) -> Result<Response, String> {
    let (parts, body) = request.into_parts();
    let mut uri: Uri = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/")
        .parse()
        .map_err(|e| format!("{e}"))?;
    let mut identity = AppserviceUserIdentity::new(&target.user_id);
    identity.device_id = Some(&target.device_id);
    identity.maybe_add_to_uri(&mut uri).map_err(|e| e.to_string())?;
    let url = format!("{}{}", target.upstream, uri);
    let body = axum::body::to_bytes(body, MAX_REQUEST_BYTES).await.map_err(|e| e.to_string())?;
    let upstream = target
        .http
        .request(parts.method, url)
        .headers(forwarded_headers(&parts.headers))
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let mut response = Response::builder().status(upstream.status());
    for (name, value) in forwarded_headers(upstream.headers()) {
        if let Some(name) = name {
            response = response.header(name, value);
        }
    }
    let stream = upstream.bytes_stream().map_err(std::io::Error::other);
    response.body(Body::from_stream(stream)).map_err(|e| e.to_string())
}

/// End-to-end headers only: hop-by-hop ones, the host and the length are the transport's.
fn forwarded_headers(headers: &HeaderMap) -> HeaderMap {
    let mut out = headers.clone();
    for name in
        [header::HOST, header::CONNECTION, header::TRANSFER_ENCODING, header::CONTENT_LENGTH, header::UPGRADE]
    {
        out.remove(name);
    }
    out.remove("keep-alive");
    out
}
