//! The call page and its relay: `/rozmowa/…`.
//!
//! A person gets in with a personal link from their direct chat (`/rozmowa/wejscie/{token}`,
//! spent by a POST so that link previews cannot spend it), or, inside Element, through the
//! widget API: Element hands the page an OpenID token, which szpon checks with the homeserver
//! before it admits a current member of the call's room. Either way the page gets a pass that
//! opens one relay connection to Janus, once, within a minute.

use std::sync::Arc;

use axum::{
    Json,
    extract::{
        Path, Query, State, WebSocketUpgrade,
        ws::{Message, WebSocket},
    },
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::json;
use szpon_bots::{Lang, message, message_with};
use szpon_media::relay::{self, Admission};

use super::{WebState, editor::escape};
use crate::{
    calls::{Calls, Entry},
    store::calls::StoredCall,
};

const JANUS_JS: &str = include_str!("call/vendor/janus.js");
const ADAPTER_JS: &str = include_str!("call/vendor/adapter.js");
const WIDGET_API_JS: &str = include_str!("call/vendor/matrix-widget-api.min.js");
const CALL_JS: &str = include_str!("call/call.js");
const CALL_CSS: &str = include_str!("call/call.css");
/// The cookie of a seat in a call, for that call's page only.
const SEAT_COOKIE: &str = "szpon_rozmowa";

/// The call page may be framed by any Matrix client (as a widget); its scripts and media come
/// from szpon alone.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     media-src 'self' blob:; connect-src 'self' ws: wss:; frame-ancestors *; base-uri 'none'; form-action 'self'";

/// `GET /rozmowa/zasoby/{file}`: the page's own scripts and style, and the bundled libraries.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "janus.js" => (JANUS_JS, "text/javascript; charset=utf-8"),
        "adapter.js" => (ADAPTER_JS, "text/javascript; charset=utf-8"),
        "matrix-widget-api.js" => (WIDGET_API_JS, "text/javascript; charset=utf-8"),
        "call.js" => (CALL_JS, "text/javascript; charset=utf-8"),
        "call.css" => (CALL_CSS, "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

fn calls(state: &WebState) -> Option<&Arc<Calls>> {
    state.calls.get()
}

/// A page saying why not, in the office's language.
fn notice(status: StatusCode, lang: Lang, title_key: &str, text_key: &str) -> Response {
    let (title, text) = (escape(&message(lang, title_key)), escape(&message(lang, text_key)));
    let body = format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
         href=\"/rozmowa/zasoby/call.css\"></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>",
        tag = lang.tag(),
    );
    page(status, body)
}

fn page(status: StatusCode, body: String) -> Response {
    let mut response = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn link_refused() -> Response {
    notice(StatusCode::FORBIDDEN, Lang::Pl, "calls-page-link-refused-title", "calls-page-link-refused")
}

fn unavailable() -> Response {
    notice(StatusCode::SERVICE_UNAVAILABLE, Lang::Pl, "calls-page-title", "calls-page-unavailable")
}

/// Letters and digits, as szpon makes them, so that they are safe to put back in a page.
fn is_token_shaped(token: &str) -> bool {
    (16..=64).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `GET /rozmowa/wejscie/{token}`: a button only; a GET never spends a link.
pub async fn enter_page(Path(token): Path<String>) -> Response {
    if !is_token_shaped(&token) {
        return link_refused();
    }
    let lang = Lang::Pl;
    let (title, explained, button) = (
        escape(&message(lang, "calls-page-title")),
        escape(&message(lang, "calls-page-enter")),
        escape(&message(lang, "calls-page-enter-button")),
    );
    let body = format!(
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
         href=\"/rozmowa/zasoby/call.css\"></head><body><main><h1>{title}</h1><p>{explained}</p><form \
         method=\"post\" action=\"/rozmowa/wejscie/{token}\"><button type=\"submit\">{button}</button></form>\
         </main></body></html>"
    );
    page(StatusCode::OK, body)
}

/// `POST /rozmowa/wejscie/{token}`: spends the link, gives the browser a seat in the call (a
/// cookie for that call's page only) and sends it there; 303, so that a reload asks for the
/// call's page again instead of posting the spent link.
pub async fn enter(State(state): State<Arc<WebState>>, Path(token): Path<String>) -> Response {
    let Some(calls) = calls(&state) else { return unavailable() };
    if !is_token_shaped(&token) {
        return link_refused();
    }
    match calls.redeem_link(&token).await {
        Ok(Some((call, seat))) => {
            let secure = if state.public_url.starts_with("https://") { "; Secure" } else { "" };
            let cookie = format!(
                "{SEAT_COOKIE}={seat}; Path=/rozmowa/{call}; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
                crate::calls::SEAT_HOURS * 3600,
                call = call.id,
            );
            let mut response = Redirect::to(&format!("/rozmowa/{}", call.id)).into_response();
            match HeaderValue::from_str(&cookie) {
                Ok(cookie) => response.headers_mut().insert(header::SET_COOKIE, cookie),
                Err(_) => return unavailable(),
            };
            response
        }
        Ok(None) => link_refused(),
        Err(error) => {
            tracing::error!(%error, "a call link could not be checked");
            unavailable()
        }
    }
}

/// The seat a browser holds, from its cookie.
fn seat_of(headers: &HeaderMap) -> Option<String> {
    super::cookie(headers, SEAT_COOKIE).filter(|seat| is_token_shaped(seat))
}

/// `GET /rozmowa/{call}`: the call with a fresh pass for the holder of a seat in it (a spent
/// link's cookie, so a reload comes back in); without one, the page for a widget (which gets its
/// pass through OpenID) or, for anyone else, a page saying how to get a personal link.
pub async fn call(
    State(state): State<Arc<WebState>>,
    Path(call_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(calls) = calls(&state) else { return unavailable() };
    if !is_token_shaped(&call_id) {
        return notice(StatusCode::NOT_FOUND, Lang::Pl, "calls-page-title", "calls-page-ended");
    }
    if let Some(seat) = seat_of(&headers) {
        match calls.seated(&call_id, &seat).await {
            Ok(Some((call, entry))) => return call_page(calls, &call, Some(&entry)),
            Ok(None) => {}
            Err(error) => {
                tracing::error!(%error, "a call seat could not be checked");
                return unavailable();
            }
        }
    }
    match calls.store().call(&call_id).await {
        Ok(Some(call)) if call.ended_at.is_none() => call_page(calls, &call, None),
        Ok(Some(call)) => notice(StatusCode::GONE, call.lang, "calls-page-title", "calls-page-ended"),
        Ok(None) => notice(StatusCode::NOT_FOUND, Lang::Pl, "calls-page-title", "calls-page-ended"),
        Err(error) => {
            tracing::error!(%error, "a call could not be read");
            unavailable()
        }
    }
}

fn call_page(calls: &Calls, call: &StoredCall, entry: Option<&Entry>) -> Response {
    let lang = call.lang;
    let text = |key: &str| escape(&message(lang, &format!("calls-page-{key}")));
    let texts = json!({
        "connecting": message(lang, "calls-page-connecting"),
        "joined": message(lang, "calls-page-joined"),
        "refused": message(lang, "calls-page-refused"),
        "disconnected": message(lang, "calls-page-disconnected"),
        "left": message(lang, "calls-page-left"),
        "no_camera": message(lang, "calls-page-no-camera"),
        "outside_widget": message(lang, "calls-page-outside-widget"),
        "you": message(lang, "calls-page-you"),
        "participant": message(lang, "calls-page-participant"),
        "media_error": message(lang, "calls-page-media-error"),
        "waiting": message(lang, "live-page-waiting"),
        "watching": message(lang, "live-page-watching"),
        "presenting": message(lang, "live-page-presenting"),
        "viewers": message_with(lang, "live-page-viewers", &[("viewers", "{}".into())]),
    });
    // JSON inside a <script> element: "</" must not end it.
    let texts = texts.to_string().replace("</", "<\\/");
    let mut data = String::new();
    if let Some(entry) = entry {
        data.push_str(&format!(
            " data-pass=\"{}\" data-sends-video=\"{}\"",
            escape(&entry.pass),
            entry.sends_video
        ));
    }
    let title = match &call.live {
        Some(live) => {
            data.push_str(" data-live=\"true\"");
            escape(&format!("🔴 {}", live.title))
        }
        None => text("title"),
    };
    let body = format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
         href=\"/rozmowa/zasoby/call.css\"></head><body><main id=\"call\" data-call=\"{call}\"{data} \
         data-ice-servers=\"{ice}\">\
         <h1>{title}</h1><p id=\"status\" role=\"status\" aria-live=\"polite\">{connecting}</p>\
         <p id=\"viewers\" hidden></p>\
         <section aria-label=\"{participants}\"><div id=\"videos\"></div></section>\
         <div class=\"controls\"><button id=\"mute\" type=\"button\" aria-pressed=\"false\">{mute}</button>\
         <button id=\"camera\" type=\"button\" aria-pressed=\"false\">{camera}</button>\
         <button id=\"leave\" type=\"button\">{leave}</button></div></main>\
         <script id=\"texts\" type=\"application/json\">{texts}</script>\
         <script src=\"/rozmowa/zasoby/adapter.js\"></script><script src=\"/rozmowa/zasoby/janus.js\"></script>\
         <script src=\"/rozmowa/zasoby/matrix-widget-api.js\"></script><script src=\"/rozmowa/zasoby/call.js\"></script>\
         </body></html>",
        tag = lang.tag(),
        call = escape(&call.id),
        ice = escape(&entry.map_or_else(|| calls.ice_servers(None).to_string(), |e| e.ice_servers.clone())),
        connecting = text("connecting"),
        participants = text("participants"),
        mute = text("mute"),
        camera = text("camera"),
        leave = text("leave"),
    );
    page(StatusCode::OK, body)
}

/// `GET /rozmowa/{call}/widzowie`: how many watch a broadcast under way, for its page.
pub async fn viewers(State(state): State<Arc<WebState>>, Path(call_id): Path<String>) -> Response {
    let Some(calls) = calls(&state) else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    if !is_token_shaped(&call_id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match calls.store().call(&call_id).await {
        Ok(Some(call)) if call.ended_at.is_none() && call.live.is_some() => {
            let mut response = Json(json!({ "viewers": calls.viewers(&call) })).into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(Some(_)) => StatusCode::GONE.into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// What a widget sends: the OpenID token Element gave it.
#[derive(Deserialize)]
pub struct OpenIdCredentials {
    access_token: String,
    matrix_server_name: String,
}

/// `POST /rozmowa/{call}/openid`: a pass for a current member of the call's room.
pub async fn openid(
    State(state): State<Arc<WebState>>,
    Path(call_id): Path<String>,
    Json(credentials): Json<OpenIdCredentials>,
) -> Response {
    let refuse = |status: StatusCode, lang: Lang, key: &str| {
        (status, Json(json!({ "error": message(lang, key) }))).into_response()
    };
    let (Some(calls), Some(homeserver)) = (calls(&state), state.homeserver.get()) else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, Lang::Pl, "calls-page-unavailable");
    };
    let call = match calls.store().call(&call_id).await {
        Ok(Some(call)) if call.ended_at.is_none() => call,
        Ok(_) => return refuse(StatusCode::GONE, Lang::Pl, "calls-page-ended"),
        Err(_) => return refuse(StatusCode::SERVICE_UNAVAILABLE, Lang::Pl, "calls-page-unavailable"),
    };
    let user = match calls.openid.user(&credentials.access_token, &credentials.matrix_server_name).await {
        Ok(user) => user,
        Err(szpon_homeserver_bridge::OpenIdError::Unavailable(_)) => {
            return refuse(StatusCode::SERVICE_UNAVAILABLE, call.lang, "calls-page-unavailable");
        }
        Err(_) => return refuse(StatusCode::FORBIDDEN, call.lang, "calls-page-refused"),
    };
    match homeserver.is_member(&call.room_id, &user).await {
        Ok(true) => {
            let entry = calls.entry(&call, &user);
            let ice_servers: serde_json::Value = serde_json::from_str(&entry.ice_servers).unwrap_or_default();
            Json(json!({ "pass": entry.pass, "sends_video": entry.sends_video, "ice_servers": ice_servers }))
                .into_response()
        }
        Ok(false) => refuse(StatusCode::FORBIDDEN, call.lang, "calls-page-not-member"),
        Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE, call.lang, "calls-page-unavailable"),
    }
}

#[derive(Deserialize)]
pub struct RelayQuery {
    przepustka: String,
}

/// `GET /rozmowa/{call}/janus?przepustka=…`: the relay to the call's Janus room, for the holder
/// of a good pass.
pub async fn janus(
    State(state): State<Arc<WebState>>,
    Path(call_id): Path<String>,
    Query(query): Query<RelayQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(calls) = calls(&state).cloned() else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let Some(user) = calls.take_pass(&call_id, &query.przepustka) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let call = match calls.store().call(&call_id).await {
        Ok(Some(call)) if call.ended_at.is_none() => call,
        _ => return StatusCode::GONE.into_response(),
    };
    let display = match state.homeserver.get() {
        Some(homeserver) => homeserver.display_name(&user).await.unwrap_or_else(|| user.to_string()),
        None => user.to_string(),
    };
    // In a broadcast the presenter alone sends video; everyone else watches.
    let publish = call.may_send_video(&user);
    let admission = Admission { room: call.janus_room, pin: call.pin.clone(), display, publish };
    upgrade
        .protocols(["janus-protocol"])
        .max_message_size(relay::MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| relay_socket(socket, calls, admission))
}

async fn relay_socket(socket: WebSocket, calls: Arc<Calls>, admission: Admission) {
    let _present = calls.presence.enter(admission.room, !admission.publish);
    let (to_browser, from_browser) = socket.split();
    let from_browser = Box::pin(from_browser.filter_map(|message| async move {
        match message {
            Ok(Message::Text(text)) => Some(text.to_string()),
            _ => None,
        }
    }));
    let to_browser =
        Box::pin(to_browser.with(|text: String| async move { Ok::<_, axum::Error>(Message::text(text)) }));
    let target = &calls.relay;
    if let Err(error) =
        relay::run(from_browser, to_browser, &target.websocket_url, target.api_secret.as_deref(), &admission)
            .await
    {
        tracing::warn!(%error, "a call page could not be relayed to Janus");
    }
}
