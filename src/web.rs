//! szpon's web server: health, metrics, and the appservice API the homeserver pushes to.

use std::{sync::Arc, time::Duration};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{HeaderMap, Request, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post, put},
};
use ruma::{OwnedUserId, api::IncomingRequest, api::appservice::event::push_events};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use tokio::sync::watch;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer};

use szpon_bots::{Clock, booking::Office};

use crate::{metrics::Metrics, store::Store};

pub mod calendar;
mod call;
mod certificate;
mod editor;

pub struct WebState {
    pub metrics: Metrics,
    pub store: Store,
    pub homeserver_ready: watch::Receiver<bool>,
    pub hs_token: SecretString,
    pub bot_user_id: OwnedUserId,
    pub office: Option<Arc<Office>>,
    pub clock: Arc<dyn Clock>,
    /// szpon's public address: a session cookie is `Secure` behind HTTPS.
    pub public_url: String,
    /// The loops' signs of life: a stuck loop makes the health check fail.
    pub heartbeats: crate::supervision::Heartbeats,
    /// The homeserver, once szpon has connected to it: a room's calendar feed asks it whether
    /// the address's holder is still a member.
    pub homeserver: std::sync::OnceLock<Arc<dyn szpon_homeserver_bridge::Homeserver>>,
    /// Video calls, once the office's calls are set up (never, without a Janus).
    pub calls: std::sync::OnceLock<Arc<crate::calls::Calls>>,
}

/// Every refusal of the web API, as a Matrix-style error that reveals nothing internal.
#[derive(Debug)]
pub enum WebError {
    Unauthorized,
    Forbidden,
    NotFound,
    BadRequest(String),
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, errcode, error) = match self {
            WebError::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "M_UNAUTHORIZED", "missing token".to_owned())
            }
            WebError::Forbidden => (StatusCode::FORBIDDEN, "M_FORBIDDEN", "bad token".to_owned()),
            WebError::NotFound => (StatusCode::NOT_FOUND, "M_NOT_FOUND", "not found".to_owned()),
            WebError::BadRequest(reason) => (StatusCode::BAD_REQUEST, "M_BAD_JSON", reason),
        };
        (status, Json(json!({ "errcode": errcode, "error": error }))).into_response()
    }
}

/// The largest request body anywhere but the appservice API and the editor's uploads.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The appservice API's: the homeserver's transactions may be large after an outage.
const MAX_TRANSACTION_BYTES: usize = 64 * 1024 * 1024;
/// A request that takes longer is answered 408, so that a slow client holds nothing for long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests served at once; the rest wait their turn (and time out), so that a flood cannot
/// exhaust the database's connections or the memory.
const MAX_CONCURRENT_REQUESTS: usize = 128;

pub fn router(state: Arc<WebState>) -> Router {
    let appservice = Router::new()
        .route("/_matrix/app/v1/transactions/{txn_id}", put(transaction))
        .route("/_matrix/app/v1/users/{user_id}", get(query_user))
        .route("/_matrix/app/v1/rooms/{alias}", get(query_room))
        .route("/_matrix/app/v1/ping", post(ping))
        .layer(RequestBodyLimitLayer::new(MAX_TRANSACTION_BYTES))
        .layer(DefaultBodyLimit::max(MAX_TRANSACTION_BYTES));
    // The editor's session is checked before a body is read.
    let editor = Router::new()
        .route("/kursy/edytor/podglad", post(editor::preview))
        .route("/kursy/edytor/opublikuj", post(editor::publish))
        .route("/kursy/edytor/pliki/lista", post(editor::files))
        .route("/kursy/edytor/pliki/usun", post(editor::remove_file))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(
            Router::new()
                .route("/kursy/edytor/pliki", post(editor::upload))
                .layer(RequestBodyLimitLayer::new(szpon_course_engine::package::MAX_FILE_BYTES))
                .layer(DefaultBodyLimit::max(szpon_course_engine::package::MAX_FILE_BYTES)),
        )
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), editor::require_trainer));
    let pages = Router::new()
        .route("/healthz", get(health))
        .route("/metrics", get(metrics))
        .route("/kalendarz/{file}", get(calendar::feed))
        .route("/kursy/edytor", get(editor::page))
        .route("/kursy/edytor/wejscie/{token}", get(editor::enter_page).post(editor::enter))
        .route("/kursy/edytor/editor.js", get(editor::script))
        .route("/kursy/edytor/editor.css", get(editor::style))
        .route("/kursy/edytor/wyloguj", post(editor::sign_out))
        .route("/rozmowa/zasoby/{file}", get(call::asset))
        .route("/rozmowa/wejscie/{token}", get(call::enter_page).post(call::enter))
        .route("/rozmowa/{call}", get(call::call))
        .route("/rozmowa/{call}/openid", post(call::openid))
        .route("/rozmowa/{call}/widzowie", get(call::viewers))
        .route("/rozmowa/{call}/janus", get(call::janus))
        .route("/certyfikat/{code}", get(certificate::check).layer(certificate::rate_limit()))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    Router::new()
        .merge(appservice)
        .merge(editor)
        .merge(pages)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(GlobalConcurrencyLimitLayer::new(MAX_CONCURRENT_REQUESTS))
        .with_state(state)
}

async fn health(State(state): State<Arc<WebState>>) -> Response {
    let homeserver = *state.homeserver_ready.borrow();
    let database = state.store.ping().await.is_ok();
    let stuck = state.heartbeats.stale();
    let healthy = homeserver && database && stuck.is_empty();
    // Calls are one feature among many: a dead Janus is reported, and the office stays up.
    let video = match state.calls.get() {
        None => "off",
        Some(calls) if calls.gateway_answers().await => "ok",
        Some(_) => "unreachable",
    };
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if healthy { "ok" } else { "degraded" },
        "homeserver": if homeserver { "connected" } else { "unreachable" },
        "database": if database { "ok" } else { "unreachable" },
        "stuck_loops": stuck,
        "video": video,
    });
    (status, Json(body)).into_response()
}

async fn metrics(State(state): State<Arc<WebState>>) -> Response {
    if let Ok(pending) = state.store.pending_count().await {
        state.metrics.outbox_pending.set(pending);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

/// Checks the homeserver's token: the `Authorization` header, as the spec has asked since
/// v1.4, or the legacy `access_token` query parameter.
fn authorize(state: &WebState, headers: &HeaderMap, query: Option<&str>) -> Result<(), WebError> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let from_query = query.and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v.into_owned())
    });
    let token = from_header.map(str::to_owned).or(from_query).ok_or(WebError::Unauthorized)?;
    if constant_time_eq(token.as_bytes(), state.hs_token.expose_secret().as_bytes()) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// The value of the cookie `name` a browser sent, if it did.
pub(crate) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Events pushed by the homeserver. The bot reads its rooms through its own E2EE sync, which
/// sees encrypted rooms too, so pushes are acknowledged and counted, not handled twice.
///
/// Spec: <https://spec.matrix.org/v1.17/application-service-api/#put_matrixappv1transactionstxnid>
async fn transaction(
    State(state): State<Arc<WebState>>,
    Path(txn_id): Path<String>,
    request: Request<axum::body::Body>,
) -> Result<Json<serde_json::Value>, WebError> {
    let (parts, body) = request.into_parts();
    authorize(&state, &parts.headers, parts.uri.query())?;
    let body: Bytes = axum::body::to_bytes(body, MAX_TRANSACTION_BYTES)
        .await
        .map_err(|_| WebError::BadRequest("body too large".into()))?;
    let http_request = Request::from_parts(parts, body);
    let pushed = push_events::v1::Request::try_from_http_request(http_request, &[txn_id])
        .map_err(|e| WebError::BadRequest(format!("not a transaction: {e}")))?;
    state.metrics.appservice_transactions.inc();
    tracing::debug!(txn_id = %pushed.txn_id, events = pushed.events.len(), "appservice transaction");
    Ok(Json(json!({})))
}

async fn query_user(
    State(state): State<Arc<WebState>>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    request: Request<axum::body::Body>,
) -> Result<Json<serde_json::Value>, WebError> {
    authorize(&state, &headers, request.uri().query())?;
    if user_id == state.bot_user_id.as_str() { Ok(Json(json!({}))) } else { Err(WebError::NotFound) }
}

async fn query_room(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    request: Request<axum::body::Body>,
) -> Result<Json<serde_json::Value>, WebError> {
    authorize(&state, &headers, request.uri().query())?;
    Err(WebError::NotFound)
}

async fn ping(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    request: Request<axum::body::Body>,
) -> Result<Json<serde_json::Value>, WebError> {
    authorize(&state, &headers, request.uri().query())?;
    Ok(Json(json!({})))
}

#[cfg(test)]
mod tests;
