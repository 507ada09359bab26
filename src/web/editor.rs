//! The trainers' course editor: a page served by szpon and reached by a one-time link that the
//! bot sends (`!kurs edytor`). It checks the file as it is typed, previews it as the chat will
//! show it, and publishes it as a new version, as `!kurs opublikuj` does.

use std::sync::Arc;

use axum::{
    Extension, Json,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use rand::{Rng, distr::Alphanumeric};
use ruma::OwnedUserId;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use szpon_bots::{
    Lang,
    courses::{CourseSettings, Publisher, errors::course_error, preview_html},
    message, message_with,
};

use szpon_course_engine::{FileInfo, describe, package, package_path, parse_course};

use super::WebState;

const PAGE: &str = include_str!("editor/index.html");
const SCRIPT: &str = include_str!("editor/editor.js");
const STYLE: &str = include_str!("editor/editor.css");
const COOKIE: &str = "szpon_edytor";
/// How long a session lasts after the link was used.
const SESSION_HOURS: i64 = 8;
/// A new course's starting point.
const EXAMPLE: &str = include_str!("editor/example.md");

#[derive(Deserialize)]
pub struct SourceBody {
    source: String,
}

#[derive(Deserialize)]
pub struct Chosen {
    kurs: Option<String>,
}

/// Text made safe for HTML, in elements and in quoted attributes.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn settings(state: &WebState) -> Option<&CourseSettings> {
    state.office.as_deref()?.courses.as_ref()
}

/// One of the editor's texts: Polish, as trainers are staff.
fn text(key: &str) -> String {
    message(Lang::Pl, key)
}

/// A short page in Polish, for the ways in that do not lead to the editor.
fn notice_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
         href=\"/kursy/edytor/editor.css\"></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn signed_out() -> Response {
    notice_page(StatusCode::UNAUTHORIZED, &text("editor-title"), &text("editor-signed-out"))
}

/// `GET /kursy/edytor/wejscie/{token}`: the one-time link only shows a button. Link previews,
/// mail scanners and chat clients fetch what they see, so a GET must never spend the link.
pub async fn enter_page(Path(token): Path<String>) -> Response {
    if !is_ticket_shaped(&token) {
        return link_refused();
    }
    let (title, explained, button) =
        (text("editor-title"), text("editor-enter"), text("editor-enter-button"));
    let body = format!(
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" \
         href=\"/kursy/edytor/editor.css\"></head><body><main><h1>{title}</h1><p>{explained}</p><form \
         method=\"post\" action=\"/kursy/edytor/wejscie/{token}\"><button type=\"submit\">{button}</button>\
         </form></main></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

/// What `!kurs edytor` sends: letters and digits only, so it is safe to put back in the page.
fn is_ticket_shaped(token: &str) -> bool {
    (16..=64).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric())
}

fn link_refused() -> Response {
    notice_page(StatusCode::FORBIDDEN, &text("editor-link-refused-title"), &text("editor-link-refused"))
}

/// `POST /kursy/edytor/wejscie/{token}`: the button on that page; it opens a session and
/// spends the link.
pub async fn enter(State(state): State<Arc<WebState>>, Path(token): Path<String>) -> Response {
    if !is_ticket_shaped(&token) {
        return link_refused();
    }
    let now = state.clock.now();
    let trainer = match state.store.redeem_editor_ticket(&token, now).await {
        Ok(Some(trainer)) => trainer,
        Ok(None) => return link_refused(),
        Err(error) => {
            tracing::error!(%error, "the editor's link could not be checked");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // 303: the browser follows with a GET, so a reload does not post the spent link again.
    signed_in(&state, &trainer, Redirect::to("/kursy/edytor").into_response()).await
}

/// The response, with a new editor session's cookie for the trainer.
async fn signed_in(state: &WebState, trainer: &ruma::UserId, mut response: Response) -> Response {
    match open_session(state, trainer).await {
        Some(cookie) => {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Opens an editor session for a trainer; the cookie that carries it.
async fn open_session(state: &WebState, trainer: &ruma::UserId) -> Option<HeaderValue> {
    let session: String = rand::rng().sample_iter(&Alphanumeric).take(32).map(char::from).collect();
    let expires = state.clock.now() + chrono::Duration::hours(SESSION_HOURS);
    if let Err(error) = state.store.open_editor_session(&session, trainer, expires).await {
        tracing::error!(%error, "the editor's session could not be opened");
        return None;
    }
    let secure = if state.public_url.starts_with("https://") { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={session}; Path=/kursy/edytor; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_HOURS * 3600
    );
    HeaderValue::from_str(&cookie).ok()
}

fn session_of(headers: &HeaderMap) -> Option<String> {
    super::cookie(headers, COOKIE)
}

/// The trainer an editor request comes from, put there by [`require_trainer`].
#[derive(Clone)]
pub struct Trainer(OwnedUserId);

/// Lets an editor request through only with a live trainer's session, and before its body is
/// read: a stranger's upload is refused without a byte of it taken in.
pub async fn require_trainer(
    State(state): State<Arc<WebState>>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match trainer(&state, request.headers()).await {
        Some(user) => {
            request.extensions_mut().insert(Trainer(user));
            next.run(request).await
        }
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

/// The trainer whose session this is, while they are still a trainer of the office.
async fn trainer(state: &WebState, headers: &HeaderMap) -> Option<OwnedUserId> {
    let session = session_of(headers)?;
    let user = state.store.editor_session(&session, state.clock.now()).await.ok().flatten()?;
    settings(state)?.trainers.contains(&user).then_some(user)
}

/// `/kursy/edytor`: the editor, with the trainer's courses and the chosen one's latest file.
pub async fn page(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    Query(chosen): Query<Chosen>,
) -> Response {
    let Some(trainer) = trainer(&state, &headers).await else { return signed_out() };
    let courses = state.store.courses_with_enrolments().await.unwrap_or_default();
    let list = if courses.is_empty() {
        format!("<p>{}</p>", text("editor-no-courses"))
    } else {
        let items: Vec<String> = courses
            .iter()
            .map(|(version, enrolments)| {
                let course = &version.course;
                let line = message_with(
                    Lang::Pl,
                    "editor-course-line",
                    &[
                        ("version", version.version.to_string().into()),
                        ("enrolled", enrolments.len().to_string().into()),
                    ],
                );
                format!(
                    "<li><a href=\"/kursy/edytor?kurs={id}\">{title}</a> ({line})</li>",
                    id = escape(&course.id),
                    title = escape(&course.title),
                )
            })
            .collect();
        format!("<ul>{}</ul>", items.join(""))
    };
    let source = match chosen.kurs {
        Some(id) => match state.store.latest_course(&id).await {
            Ok(Some((_, publication))) => publication.source,
            _ => EXAMPLE.to_owned(),
        },
        None => EXAMPLE.to_owned(),
    };
    let office =
        state.office.as_deref().map_or_else(|| text("editor-office-unnamed"), |o| o.office.name.clone());
    let html = PAGE
        .replace("{office}", &escape(&office))
        .replace("{trainer}", &escape(trainer.as_str()))
        .replace("{courses}", &list)
        .replace("{source}", &escape(&source));
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        // Nothing from elsewhere: the page's own script and style only.
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (headers, html).into_response()
}

pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT).into_response()
}

pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

fn errors(line: usize, message: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "errors": [{ "line": line, "message": message }] })))
        .into_response()
}

/// `POST /kursy/edytor/podglad`: the file checked, and previewed as the chat shows it.
pub async fn preview(
    State(state): State<Arc<WebState>>,
    Extension(Trainer(trainer)): Extension<Trainer>,
    Json(body): Json<SourceBody>,
) -> Response {
    match parse_course(&body.source) {
        Err(error) => errors(error.line, course_error(&error.kind, Lang::Pl)),
        Ok(course) => {
            let files = files_at_hand(&state, &trainer, &course.id).await;
            if let Err(error) = szpon_course_engine::check_attachments(&course, &files) {
                return errors(error.line, course_error(&error.kind, Lang::Pl));
            }
            let parts = course.sections.len();
            let summary = message_with(
                Lang::Pl,
                "editor-valid",
                &[
                    ("title", course.title.clone().into()),
                    ("id", course.id.clone().into()),
                    ("parts", parts.to_string().into()),
                    ("count", (parts as i64).into()),
                ],
            );
            Json(json!({ "errors": [], "summary": summary, "html": preview_html(&course) })).into_response()
        }
    }
}

/// `POST /kursy/edytor/opublikuj`: a new version, its audience enrolled, as from chat.
pub async fn publish(
    State(state): State<Arc<WebState>>,
    Extension(Trainer(trainer)): Extension<Trainer>,
    Json(body): Json<SourceBody>,
) -> Response {
    let course = match parse_course(&body.source) {
        Err(error) => return errors(error.line, course_error(&error.kind, Lang::Pl)),
        Ok(course) => course,
    };
    let now = state.clock.now();
    let learning = match state.store.publication_view(&course.id).await {
        Ok(learning) => learning,
        Err(error) => {
            tracing::error!(%error, "the course's audience could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let room = state.store.direct_room(&trainer).await.ok().flatten();
    let zone = state.office.as_deref().map_or(chrono_tz::Europe::Warsaw, |o| o.time_zone());
    let publisher = Publisher {
        trainer: &trainer,
        room: room.as_deref(),
        learning: &learning,
        zone,
        now,
        lang: Lang::Pl,
    };
    // The lessons' files: those uploaded here, else those of the latest version.
    let uploaded = state.store.editor_files(&trainer).await.unwrap_or_default();
    let (reply, actions, effects) = match publisher.publish(&course, &body.source, &uploaded) {
        Ok(published) => published,
        Err(error) => return errors(error.line, course_error(&error.kind, Lang::Pl)),
    };
    if let Err(error) = state.store.apply_outcome(&effects, &actions, now).await {
        tracing::error!(%error, "a course from the editor could not be published");
        return errors(0, text("editor-save-failed"));
    }
    // The version holds its files now; the uploads are done with.
    if let Err(error) = state.store.remove_editor_files(&trainer, None).await {
        tracing::warn!(%error, "the editor's uploaded files stay until removed");
    }
    Json(json!({ "errors": [], "published": reply })).into_response()
}

/// The pictures and files a course's lessons may name in the editor: those of its latest
/// version, and those the trainer uploaded (which win).
async fn files_at_hand(
    state: &WebState,
    trainer: &OwnedUserId,
    course_id: &str,
) -> BTreeMap<String, FileInfo> {
    let latest = match state.store.latest_course(course_id).await {
        Ok(Some((version, _))) => state.store.course_file_infos(course_id, version).await.unwrap_or_default(),
        _ => BTreeMap::new(),
    };
    let uploaded = state.store.editor_files(trainer).await.unwrap_or_default();
    szpon_bots::courses::files_at_hand(&latest, &uploaded)
}

#[derive(Deserialize)]
pub struct FileName {
    nazwa: String,
}

/// The trainer's uploaded files, for the page's list.
fn uploaded_list(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    let files: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| {
            let info = describe(name, bytes);
            json!({ "name": name, "size": info.size, "image": info.image.is_some() })
        })
        .collect();
    json!({ "errors": [], "files": files })
}

/// `POST /kursy/edytor/pliki?nazwa=…`: a picture or file for the lessons, the request's body as
/// it is (`application/octet-stream`, which no form on another site can send), up to the
/// package's limit for one file.
pub async fn upload(
    State(state): State<Arc<WebState>>,
    Extension(Trainer(trainer)): Extension<Trainer>,
    headers: HeaderMap,
    Query(file): Query<FileName>,
    body: axum::body::Bytes,
) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if content_type != Some("application/octet-stream") {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let Some(name) = package_path(file.nazwa.trim()) else {
        let shown: String = file.nazwa.chars().take(80).collect();
        return errors(0, message_with(Lang::Pl, "editor-bad-file-name", &[("name", shown.into())]));
    };
    if body.is_empty() {
        return errors(0, message_with(Lang::Pl, "editor-empty-file", &[("name", name.clone().into())]));
    }
    // The same limits as a package sent in chat: a trainer's uploads cannot fill the disk.
    let others = state.store.editor_files(&trainer).await.unwrap_or_default();
    let others: Vec<usize> = others.iter().filter(|(n, _)| **n != name).map(|(_, b)| b.len()).collect();
    if others.len() >= package::MAX_FILES
        || others.iter().sum::<usize>() + body.len() > package::MAX_UNPACKED_BYTES
    {
        let limit = package::MAX_UNPACKED_BYTES / (1024 * 1024);
        let limits =
            [("megabytes", limit.to_string().into()), ("files", package::MAX_FILES.to_string().into())];
        return errors(0, message_with(Lang::Pl, "editor-files-too-large", &limits));
    }
    if let Err(error) = state.store.put_editor_file(&trainer, &name, &body, state.clock.now()).await {
        tracing::error!(%error, "an editor's file could not be kept");
        return errors(0, text("editor-file-save-failed"));
    }
    listed(&state, &trainer).await
}

async fn listed(state: &WebState, trainer: &OwnedUserId) -> Response {
    match state.store.editor_files(trainer).await {
        Ok(files) => Json(uploaded_list(&files)).into_response(),
        Err(error) => {
            tracing::error!(%error, "an editor's files could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /kursy/edytor/pliki/lista`: the trainer's uploaded files.
pub async fn files(
    State(state): State<Arc<WebState>>,
    Extension(Trainer(trainer)): Extension<Trainer>,
) -> Response {
    listed(&state, &trainer).await
}

#[derive(Deserialize)]
pub struct RemovedFile {
    name: String,
}

/// `POST /kursy/edytor/pliki/usun`: forgets one uploaded file.
pub async fn remove_file(
    State(state): State<Arc<WebState>>,
    Extension(Trainer(trainer)): Extension<Trainer>,
    Json(removed): Json<RemovedFile>,
) -> Response {
    if let Err(error) = state.store.remove_editor_files(&trainer, Some(&removed.name)).await {
        tracing::error!(%error, "an editor's file could not be removed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    listed(&state, &trainer).await
}

/// `POST /kursy/edytor/wyloguj`: the session ends.
pub async fn sign_out(State(state): State<Arc<WebState>>, headers: HeaderMap) -> Response {
    if let Some(session) = session_of(&headers) {
        let _ = state.store.close_editor_session(&session).await;
    }
    let mut response =
        notice_page(StatusCode::OK, &text("editor-signed-out-title"), &text("editor-session-ended"));
    let cookie = format!("{COOKIE}=; Path=/kursy/edytor; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
