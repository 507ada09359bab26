use axum::{body::Body, http::Request};
use ruma::owned_user_id;
use tower::ServiceExt;

use super::*;

async fn app(ready: bool) -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("w.db").display())).await.unwrap();
    let (_tx, rx) = watch::channel(ready);
    let state = Arc::new(WebState {
        metrics: Metrics::new(),
        store,
        homeserver_ready: rx,
        hs_token: SecretString::from("hs-secret"),
        bot_user_id: owned_user_id!("@urzad:localhost"),
    });
    (router(state), dir)
}

async fn call(app: Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn transaction(auth: Option<&str>) -> Request<Body> {
    let mut request =
        Request::put("/_matrix/app/v1/transactions/t1").header("content-type", "application/json");
    if let Some(token) = auth {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(Body::from(r#"{"events":[]}"#)).unwrap()
}

#[tokio::test]
async fn health_reflects_the_homeserver() {
    let (status, body) =
        call(app(false).await.0, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains(r#""homeserver":"unreachable""#), "{body}");
    let (status, body) = call(app(true).await.0, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#""status":"ok""#), "{body}");
}

#[tokio::test]
async fn metrics_are_prometheus_text() {
    let (status, body) = call(app(true).await.0, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    for name in [
        "szpon_events_handled_total",
        "szpon_replies_sent_total",
        "szpon_reply_latency_seconds",
        "szpon_outbox_pending",
    ] {
        assert!(body.contains(name), "{name} missing:\n{body}");
    }
}

#[tokio::test]
async fn appservice_pushes_need_the_homeserver_token() {
    let (app, _dir) = app(true).await;
    let (status, body) = call(app.clone(), transaction(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("M_UNAUTHORIZED"));
    let (status, _) = call(app.clone(), transaction(Some("wrong"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = call(app.clone(), transaction(Some("hs-secret"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "{}");
    let legacy = Request::put("/_matrix/app/v1/transactions/t2?access_token=hs-secret")
        .body(Body::from(r#"{"events":[]}"#))
        .unwrap();
    assert_eq!(call(app, legacy).await.0, StatusCode::OK);
}

#[tokio::test]
async fn malformed_transactions_are_refused_without_internals() {
    let (app, _dir) = app(true).await;
    let request = Request::put("/_matrix/app/v1/transactions/t1")
        .header("authorization", "Bearer hs-secret")
        .body(Body::from("{not json"))
        .unwrap();
    let (status, body) = call(app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("M_BAD_JSON"), "{body}");
}

#[tokio::test]
async fn user_queries_know_only_the_bot() {
    let (app, _dir) = app(true).await;
    let get = |user: &str| {
        Request::get(format!("/_matrix/app/v1/users/{user}"))
            .header("authorization", "Bearer hs-secret")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(call(app.clone(), get("@urzad:localhost")).await.0, StatusCode::OK);
    assert_eq!(call(app, get("@szpon_x:localhost")).await.0, StatusCode::NOT_FOUND);
}
