//! Mentions as Element, FluffyChat and nheko make them: a "pill" is the person's display name in
//! `body` and a `matrix.to` link in `formatted_body`. Commands read people from `body`, so each
//! pill's name there is put back as the user ID it stands for.

use ruma::{
    OwnedUserId,
    html::{
        Html, NodeRef, SanitizerConfig,
        matrix::{AnchorUri, MatrixElement},
    },
    matrix_uri::MatrixId,
};

/// The people a message's HTML links to, each with the text its link shows, in order; the
/// quoted reply fallback (`<mx-reply>`) is left out, since its links name someone else.
pub(crate) fn pills(formatted_body: &str) -> Vec<(OwnedUserId, String)> {
    // The HTML tree is built, walked and dropped recursively: thousands of nested tags would
    // overflow the stack. A message with pills has a handful of tags; one with hundreds is
    // read for typed IDs only.
    if formatted_body.len() > MAX_HTML_BYTES || formatted_body.matches('<').count() > MAX_TAGS {
        return Vec::new();
    }
    let html = Html::parse(formatted_body);
    html.sanitize_with(&SanitizerConfig::compat().remove_reply_fallback().max_depth(MAX_DEPTH));
    let mut found = Vec::new();
    for node in html.children() {
        collect(&node, &mut found, 0);
    }
    found
}

const MAX_HTML_BYTES: usize = 16 * 1024;
const MAX_TAGS: usize = 400;

/// How deep a message's HTML is walked: a pill is never nested deeper in a real message.
const MAX_DEPTH: u32 = 32;

fn collect(node: &NodeRef, found: &mut Vec<(OwnedUserId, String)>, depth: u32) {
    if depth > MAX_DEPTH || found.len() >= 20 {
        return;
    }
    if let Some(user) = node.as_element().and_then(|element| linked_user(&element.to_matrix().element)) {
        found.push((user, text_of(node)));
        return;
    }
    for child in node.children() {
        collect(&child, found, depth + 1);
    }
}

fn linked_user(element: &MatrixElement) -> Option<OwnedUserId> {
    let MatrixElement::A(anchor) = element else { return None };
    let id = match anchor.href.as_ref()? {
        AnchorUri::MatrixTo(uri) => uri.id(),
        AnchorUri::Matrix(uri) => uri.id(),
        _ => return None,
    };
    match id {
        MatrixId::User(user) => Some(user.clone()),
        _ => None,
    }
}

fn text_of(node: &NodeRef) -> String {
    if let Some(text) = node.as_text() {
        return text.borrow().to_string();
    }
    node.children().map(|child| text_of(&child)).collect()
}

/// `body` with each pill's shown name replaced by its user ID, where the name is in it and not
/// already the ID: "!zadanie Sprawdzić wnioski Ewa Zielińska do środy" becomes
/// "!zadanie Sprawdzić wnioski @ewa:urzad.pl do środy".
pub(crate) fn with_user_ids(body: &str, pills: &[(OwnedUserId, String)]) -> String {
    let mut body = body.to_owned();
    for (user, shown) in pills {
        let shown = shown.trim();
        if shown.is_empty() || shown == user.as_str() {
            continue;
        }
        if let Some(at) = body.find(shown) {
            body.replace_range(at..at + shown.len(), user.as_str());
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_element_pill_becomes_the_user_id_in_the_command() {
        let html = "!zadanie Sprawdzić wnioski <a href=\"https://matrix.to/#/@ewa:urzad.pl\">Ewa Zielińska</a> do środy";
        let found = pills(html);
        assert_eq!(found, [(OwnedUserId::try_from("@ewa:urzad.pl").unwrap(), "Ewa Zielińska".to_owned())]);
        let body = with_user_ids("!zadanie Sprawdzić wnioski Ewa Zielińska do środy", &found);
        assert_eq!(body, "!zadanie Sprawdzić wnioski @ewa:urzad.pl do środy");
    }

    #[test]
    fn matrix_uris_and_ids_shown_as_such_work_and_the_reply_fallback_is_ignored() {
        let html = "<mx-reply><blockquote><a href=\"https://matrix.to/#/@jan:x\">Jan</a></blockquote></mx-reply>\
                    !przypisz 3 <a href=\"matrix:u/ola:x\">@ola:x</a> <b><a href=\"https://matrix.to/#/%40piotr%3Ax\">Piotr</a></b>";
        let found: Vec<String> = pills(html).into_iter().map(|(user, _)| user.to_string()).collect();
        assert_eq!(found, ["@ola:x", "@piotr:x"]);
        let body = with_user_ids("!przypisz 3 @ola:x Piotr", &pills(html));
        assert_eq!(body, "!przypisz 3 @ola:x @piotr:x");
    }

    #[test]
    fn rooms_and_web_links_are_not_people_and_odd_html_does_no_harm() {
        assert!(
            pills("<a href=\"https://matrix.to/#/#pokoj:x\">pokój</a> <a href=\"https://gov.pl\">gov</a>")
                .is_empty()
        );
        assert!(pills(&"<b>".repeat(10_000)).is_empty());
        let deep = format!("{}<a href=\"https://matrix.to/#/@ewa:x\">Ewa</a>", "<b>".repeat(MAX_TAGS - 1));
        assert!(pills(&deep).len() <= 1, "as deep as is read, and no deeper than the walk goes");
        assert!(pills("<a href=\"https://matrix.to/#/@ewa:x\">").len() <= 1);
        assert_eq!(
            with_user_ids("bez nazwy", &pills("<a href=\"https://matrix.to/#/@ewa:x\">Ewa</a>")),
            "bez nazwy"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_html_a_client_sends_is_read_without_panicking(
            html in "(<a href=\"https://matrix.to/#/@[a-z]{1,5}:x\">|</a>|<b>|</b>|<mx-reply>|</mx-reply>|\\PC{0,8}){0,60}",
            body in "\\PC{0,80}",
        ) {
            let found = pills(&html);
            let _ = with_user_ids(&body, &found);
        }
    }
}
