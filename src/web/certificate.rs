//! The certificate check page, `/certyfikat/<code>`: anyone holding a certificate's code sees
//! that it is genuine, with what the certificate itself says and nothing more. One page of
//! plain HTML with its styles inline and no script; each client address may check a few codes
//! a second at most, so that codes cannot be guessed by trying.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use super::editor::escape;
use axum::{
    body::Body,
    extract::{ConnectInfo, Path, State},
    http::{Request, Response, StatusCode, header},
    response::IntoResponse,
};
use szpon_bots::{
    Lang,
    certificates::{Certificate, normalize_code},
    message, message_with,
};
use tower_governor::{
    GovernorError, GovernorLayer, governor::GovernorConfigBuilder, key_extractor::KeyExtractor,
};

use super::WebState;

/// Checks a client may make in a burst, and how often one more comes back.
const BURST: u32 = 20;
const REFILL: Duration = Duration::from_millis(500);

/// The client's address, as the connection shows it: behind a reverse proxy, everyone shares
/// the proxy's (a limit for all, which is what guessing needs). Without one (a test's request),
/// all share one key.
#[derive(Debug, Clone, Copy)]
pub(super) struct ClientAddress;

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<Self::Key, GovernorError> {
        let peer =
            request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(address)| address.ip());
        Ok(peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }
}

/// How often the limiter forgets the clients whose checks have all come back.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The rate limit of the check page.
pub(super) fn rate_limit() -> GovernorLayer<ClientAddress, governor::middleware::NoOpMiddleware, Body> {
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientAddress)
        .period(REFILL)
        .burst_size(BURST)
        .finish()
        .expect("the period and the burst are not zero");
    prune_while_used(config.limiter());
    GovernorLayer::new(config).error_handler(|_| {
        page(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("<p>{}</p>", message(Lang::Pl, "certificate-page-too-many")),
        )
    })
}

/// The check page's limiter, keyed by client address.
type Limiter = tower_governor::governor::SharedRateLimiter<IpAddr, governor::middleware::NoOpMiddleware>;

/// Keeps the limiter's memory to the clients seen lately: without it, every address that ever
/// checked a code would stay in memory. Stops once the router (and so the limiter) is gone.
fn prune_while_used(limiter: &Limiter) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    let limiter = Arc::downgrade(limiter);
    runtime.spawn(async move {
        loop {
            tokio::time::sleep(PRUNE_EVERY).await;
            let Some(limiter) = limiter.upgrade() else { break };
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
}

pub(super) async fn check(State(state): State<Arc<WebState>>, Path(typed): Path<String>) -> Response<Body> {
    let not_found = || {
        let shown: String = typed.chars().take(40).collect();
        let text = message_with(Lang::Pl, "certificate-page-not-found", &[("code", shown.into())]);
        page(StatusCode::NOT_FOUND, &format!("<p>{}</p>", escape(&text)))
    };
    let Some(code) = normalize_code(&typed) else { return not_found() };
    match state.store.certificate(&code).await {
        Ok(Some(certificate)) => {
            let office = state.office.as_deref().map(|office| office.office.name.clone()).unwrap_or_default();
            page(StatusCode::OK, &genuine(&certificate, &office, state.office.as_deref()))
        }
        Ok(None) => not_found(),
        Err(error) => {
            tracing::error!(%error, "the certificate check could not read the store");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn genuine(
    certificate: &Certificate,
    office: &str,
    office_file: Option<&szpon_bots::booking::Office>,
) -> String {
    let zone = office_file.map_or(chrono_tz::Europe::Warsaw, |office| office.time_zone());
    let date = szpon_bots::booking::format::full_date(
        certificate.issued_at.with_timezone(&zone).date_naive(),
        Lang::Pl,
    );
    let mut rows = vec![
        ("certificate-page-learner", certificate.name().to_owned()),
        ("certificate-page-course", certificate.title.clone()),
        ("certificate-page-date", date),
    ];
    rows.extend(certificate.hours().map(|hours| ("certificate-page-hours", hours)));
    rows.extend(certificate.score.map(|score| ("certificate-page-score", format!("{score}%"))));
    rows.push(("certificate-page-code", certificate.printed_code()));
    let list: String = rows
        .iter()
        .map(|(key, value)| format!("<dt>{}</dt><dd>{}</dd>", escape(&message(Lang::Pl, key)), escape(value)))
        .collect();
    let verdict = message_with(Lang::Pl, "certificate-page-genuine", &[("office", office.to_owned().into())]);
    format!("<p class=\"ok\">{}</p><dl>{list}</dl>", escape(&verdict))
}

fn page(status: StatusCode, body: &str) -> Response<Body> {
    let title = escape(&message(Lang::Pl, "certificate-page-title"));
    let html = format!(
        "<!doctype html><html lang=\"pl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    );
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::HeaderName::from_static("x-robots-tag"), "noindex"),
    ];
    (status, headers, html).into_response()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f4f6fa;color:#1b1f24}\
main{max-width:40rem;margin:3rem auto;padding:2rem;background:#fff;border-top:6px solid #1f3a68}\
h1{font-size:1.6rem;color:#1f3a68;margin-top:0}.ok{font-weight:600;color:#14532d}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1.5rem}dt{font-weight:600}dd{margin:0}";
