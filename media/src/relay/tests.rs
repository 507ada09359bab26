use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

fn admission() -> Admission {
    Admission {
        room: 4242, pin: "pin-secret".to_owned(), display: "Ewa Zielińska".to_owned(), publish: true
    }
}

fn viewer() -> Admission {
    Admission { publish: false, ..admission() }
}

/// A gate that has seen session 1 and handle 2 made.
fn opened_gate() -> Gate {
    let mut gate = Gate::default();
    let admission = admission();
    assert!(matches!(
        gate.admit(r#"{"janus":"create","transaction":"a"}"#, &admission, None),
        Verdict::Forward(_)
    ));
    gate.observe(r#"{"janus":"success","transaction":"a","data":{"id":1}}"#);
    let attach = r#"{"janus":"attach","plugin":"janus.plugin.videoroom","session_id":1,"transaction":"b"}"#;
    assert!(matches!(gate.admit(attach, &admission, None), Verdict::Forward(_)));
    gate.observe(r#"{"janus":"success","transaction":"b","data":{"id":2}}"#);
    gate
}

fn message(body: Value) -> String {
    json!({"janus": "message", "session_id": 1, "handle_id": 2, "transaction": "t", "body": body}).to_string()
}

fn forwarded(verdict: Verdict) -> Value {
    match verdict {
        Verdict::Forward(request) => request,
        Verdict::Refuse(answer) => panic!("refused: {answer}"),
    }
}

fn refused(verdict: Verdict) -> String {
    match verdict {
        Verdict::Refuse(answer) => answer["error"]["reason"].as_str().unwrap_or_default().to_owned(),
        Verdict::Forward(request) => panic!("forwarded: {request}"),
    }
}

#[test]
fn a_join_goes_to_the_admitted_room_with_its_pin_and_the_persons_own_name() {
    let mut gate = opened_gate();
    let join = message(
        json!({"request": "join", "ptype": "publisher", "room": 1, "pin": "guess", "display": "Admin"}),
    );
    let sent = forwarded(gate.admit(&join, &admission(), Some("api")));
    assert_eq!(sent["body"]["room"], 4242);
    assert_eq!(sent["body"]["pin"], "pin-secret");
    assert_eq!(sent["body"]["display"], "Ewa Zielińska");
    assert_eq!(sent["apisecret"], "api");
    let watch =
        message(json!({"request": "join", "ptype": "subscriber", "room": 7, "streams": [{"feed": 9}]}));
    assert_eq!(forwarded(gate.admit(&watch, &admission(), None))["body"]["room"], 4242);
}

#[test]
fn administration_other_plugins_and_other_sessions_are_refused() {
    let mut gate = opened_gate();
    for body in [
        json!({"request": "create", "room": 1}),
        json!({"request": "destroy", "room": 4242}),
        json!({"request": "kick", "room": 4242, "id": 5}),
        json!({"request": "list"}),
        json!({"request": "rtp_forward", "room": 4242}),
        json!({"request": "join", "ptype": "listener", "room": 4242}),
        json!({"request": "configure", "room": 1}),
    ] {
        assert!(
            refused(gate.admit(&message(body.clone()), &admission(), None)).starts_with("Unauthorized"),
            "{body}"
        );
    }
    let streaming =
        r#"{"janus":"attach","plugin":"janus.plugin.streaming","session_id":1,"transaction":"c"}"#;
    assert!(refused(gate.admit(streaming, &admission(), None)).contains("video room plugin"));
    let foreign = json!({"janus": "message", "session_id": 99, "handle_id": 2, "body": {"request": "start"}});
    assert!(refused(gate.admit(&foreign.to_string(), &admission(), None)).contains("session"));
    let claim = json!({"janus": "claim", "session_id": 1});
    assert!(refused(gate.admit(&claim.to_string(), &admission(), None)).contains("not allowed"));
}

#[test]
fn a_browsers_own_secret_is_replaced_by_szpons() {
    let mut gate = Gate::default();
    let create = r#"{"janus":"create","transaction":"a","apisecret":"guess","token":"t"}"#;
    let sent = forwarded(gate.admit(create, &admission(), Some("real")));
    assert_eq!(sent["apisecret"], "real");
    assert!(sent.get("token").is_none());
}

#[test]
fn presence_counts_browsers_and_viewers_until_they_leave() {
    let presence = Presence::default();
    let presenter = presence.enter(1, false);
    let first = presence.enter(1, true);
    let second = presence.enter(1, true);
    assert_eq!((presence.count(1), presence.viewers(1)), (3, 2));
    drop(first);
    assert_eq!((presence.count(1), presence.viewers(1)), (2, 1));
    drop(presenter);
    assert_eq!((presence.count(1), presence.viewers(1)), (1, 1));
    drop(second);
    assert_eq!((presence.count(1), presence.viewers(1)), (0, 0));
}

#[test]
fn a_viewer_of_a_broadcast_may_watch_and_list_but_never_send_video() {
    let mut gate = opened_gate();
    for ptype in ["publisher"] {
        for request in ["join", "joinandconfigure"] {
            let join = message(json!({"request": request, "ptype": ptype, "room": 4242}));
            assert!(refused(gate.admit(&join, &viewer(), None)).contains("only the presenter"), "{request}");
        }
    }
    let watch =
        message(json!({"request": "join", "ptype": "subscriber", "room": 1, "streams": [{"feed": 9}]}));
    let sent = forwarded(gate.admit(&watch, &viewer(), None));
    assert_eq!(
        (sent["body"]["room"].as_u64(), sent["body"]["pin"].as_str()),
        (Some(4242), Some("pin-secret"))
    );
    let list = message(json!({"request": "listparticipants", "room": 7}));
    assert_eq!(
        forwarded(gate.admit(&list, &viewer(), None))["body"]["room"],
        4242,
        "only its own room is listed"
    );
    let presenter = message(json!({"request": "join", "ptype": "publisher", "room": 4242}));
    assert!(matches!(gate.admit(&presenter, &admission(), None), Verdict::Forward(_)));
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![Just(1u64), Just(2), Just(4242), Just(7)].prop_map(Value::from),
        prop_oneof![
            Just("join"),
            Just("publisher"),
            Just("subscriber"),
            Just("message"),
            Just("attach"),
            Just("janus.plugin.videoroom"),
            Just("create"),
            Just("destroy"),
            Just("configure"),
        ]
        .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop::collection::btree_map(
            prop_oneof![
                Just("janus"),
                Just("body"),
                Just("request"),
                Just("room"),
                Just("ptype"),
                Just("plugin"),
                Just("session_id"),
                Just("handle_id"),
                Just("transaction"),
                Just("pin"),
            ]
            .prop_map(str::to_owned),
            inner,
            0..6,
        )
        .prop_map(|map| Value::Object(map.into_iter().collect()))
    })
}

proptest! {
    /// Whatever a browser sends, nothing reaches Janus that names another room, another plugin
    /// or a session this connection did not make, and nothing panics.
    #[test]
    fn nothing_forwarded_leaves_the_admitted_room(request in any_json(), raw in "\\PC{0,64}") {
        let mut gate = opened_gate();
        let _ = gate.admit(&raw, &admission(), None);
        if let Verdict::Forward(sent) = gate.admit(&request.to_string(), &admission(), None) {
            let verb = sent["janus"].as_str().unwrap_or_default();
            prop_assert!(["create", "attach", "message", "trickle", "keepalive", "detach", "hangup", "destroy"].contains(&verb));
            if verb != "create" {
                prop_assert_eq!(sent["session_id"].as_u64(), Some(1));
            }
            if verb == "attach" {
                prop_assert_eq!(sent["plugin"].as_str(), Some("janus.plugin.videoroom"));
            }
            if let Some(room) = sent["body"].get("room") {
                prop_assert_eq!(room.as_u64(), Some(4242));
            }
            if sent["body"]["request"] == "join" {
                prop_assert_eq!(sent["body"]["pin"].as_str(), Some("pin-secret"));
            }
        }
    }
}
