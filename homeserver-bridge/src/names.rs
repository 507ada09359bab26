//! People shown by their display names in what the bot says. The bots write user IDs (they
//! know nothing else of people); on the way out, each ID becomes the person's name in `body` and
//! a pill (a `matrix.to` link to the ID) in `formatted_body`, as clients write mentions.

use ruma::{OwnedUserId, UserId};

/// At most this many people are looked up for one message.
pub(crate) const MAX_NAMED: usize = 20;
/// A display name longer than this is cut: it is someone's choice, and a line must stay readable.
const MAX_NAME_CHARS: usize = 60;

/// The user IDs written in `text`, each once, in order.
pub(crate) fn user_ids_in(text: &str) -> Vec<OwnedUserId> {
    let mut found: Vec<OwnedUserId> = Vec::new();
    for (_, id) in spans(text) {
        if !found.contains(&id) && found.len() < MAX_NAMED {
            found.push(id);
        }
    }
    found
}

/// A display name as it may be shown: one line, without control characters, not too long.
pub(crate) fn clean_name(name: &str) -> Option<String> {
    let words: Vec<&str> =
        name.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect();
    let name: String = words.join(" ").chars().filter(|c| !is_invisible(*c)).take(MAX_NAME_CHARS).collect();
    let name = name.trim().to_owned();
    (!name.is_empty()).then_some(name)
}

/// Bidirectional overrides and zero-width marks would let a name rearrange the line around it.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// `plain` with each named person's ID replaced by their name.
pub(crate) fn plain_with_names(plain: &str, names: &[(OwnedUserId, String)]) -> String {
    rebuild(plain, names, |_, name, _| name.to_owned())
}

/// `html` with each named person's ID shown as a pill with their name. An ID already inside a
/// link keeps its link and shows the name; one inside a tag (an `href`) is left alone.
pub(crate) fn html_with_names(html: &str, names: &[(OwnedUserId, String)]) -> String {
    rebuild(html, names, |id, name, place| {
        let name = escape(name);
        match place {
            Place::Text => format!("<a href=\"https://matrix.to/#/{id}\">{name}</a>"),
            Place::LinkText => name,
            Place::Tag => id.to_string(),
        }
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Text,
    LinkText,
    Tag,
}

fn rebuild(
    text: &str,
    names: &[(OwnedUserId, String)],
    show: impl Fn(&UserId, &str, Place) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (at, id) in spans(text) {
        let Some((_, name)) = names.iter().find(|(named, _)| *named == id) else { continue };
        out.push_str(&text[copied..at]);
        out.push_str(&show(&id, name, place_at(text, at)));
        copied = at + id.as_str().len();
    }
    out.push_str(&text[copied..]);
    out
}

/// Where in HTML the byte `at` is: inside a tag, inside a link's text, or in plain text.
fn place_at(html: &str, at: usize) -> Place {
    let before = &html[..at];
    if before.rfind('<') > before.rfind('>') {
        return Place::Tag;
    }
    let opened = before.rfind("<a ");
    if opened.is_some() && opened > before.rfind("</a>") { Place::LinkText } else { Place::Text }
}

/// Each user ID written in `text`, with its byte offset. An ID in brackets is left out: the bot
/// wrote it beside a name it already had ("Ewa Zielińska (@ewa:urzad.pl)", from the office file).
fn spans(text: &str) -> Vec<(usize, OwnedUserId)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find('@') {
        let at = from + offset;
        from = at + 1;
        let joined_to_a_word =
            text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || "/#%(".contains(c));
        if joined_to_a_word {
            continue;
        }
        if let Some(id) = id_at(&text[at..]) {
            from = at + id.as_str().len();
            found.push((at, id));
        }
    }
    found
}

/// The user ID at the start of `text`, without the punctuation that ends a sentence after it.
fn id_at(text: &str) -> Option<OwnedUserId> {
    let localpart = text[1..].find(|c: char| !(c.is_ascii_alphanumeric() || "._=-/+".contains(c)))? + 1;
    if localpart == 1 || !text[localpart..].starts_with(':') {
        return None;
    }
    let server_from = localpart + 1;
    let server_len = text[server_from..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || ".-:".contains(c)))
        .unwrap_or(text.len() - server_from);
    let candidate = text[..server_from + server_len].trim_end_matches(['.', '-', ':']);
    UserId::parse(candidate).ok()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ewa() -> Vec<(OwnedUserId, String)> {
        vec![(OwnedUserId::try_from("@ewa:urzad.pl").unwrap(), "Ewa Zielińska".to_owned())]
    }

    #[test]
    fn ids_in_a_sentence_are_found_without_its_punctuation() {
        let found = user_ids_in(
            "Zgłoszenie nr 3 od @ewa:urzad.pl. Prowadzi @jan.kowalski:urzad.pl:8448, a nie @ewa:urzad.pl",
        );
        let found: Vec<&str> = found.iter().map(|id| id.as_str()).collect();
        assert_eq!(found, ["@ewa:urzad.pl", "@jan.kowalski:urzad.pl:8448"]);
        assert!(user_ids_in("napisz na ewa@urzad.pl albo @ albo @:x albo @ewa").is_empty());
        // Beside a name the bot had already, the ID stays as written.
        assert!(user_ids_in("Kierownictwo zespołu: Ewa Zielińska (@ewa:urzad.pl)").is_empty());
    }

    #[test]
    fn the_body_says_the_name_and_the_html_links_it() {
        let plain = "• nr 3 — czeka od 9:00 — podatki — @ewa:urzad.pl";
        assert_eq!(plain_with_names(plain, &ewa()), "• nr 3 — czeka od 9:00 — podatki — Ewa Zielińska");
        let html = "<li>nr 3 — <b>podatki</b> — @ewa:urzad.pl</li>";
        assert_eq!(
            html_with_names(html, &ewa()),
            "<li>nr 3 — <b>podatki</b> — <a href=\"https://matrix.to/#/@ewa:urzad.pl\">Ewa Zielińska</a></li>"
        );
        let linked = "<a href=\"https://matrix.to/#/@ewa:urzad.pl\">@ewa:urzad.pl</a>, zobacz";
        assert_eq!(
            html_with_names(linked, &ewa()),
            "<a href=\"https://matrix.to/#/@ewa:urzad.pl\">Ewa Zielińska</a>, zobacz"
        );
        assert_eq!(plain_with_names("@ewa:urzad.plx i @ola:x", &ewa()), "@ewa:urzad.plx i @ola:x");
    }

    #[test]
    fn a_hostile_name_is_one_escaped_line() {
        let name = clean_name("  <b>Ewa</b>\n\u{202e}Ziel\u{200b}ińska\t&  ").unwrap();
        assert_eq!(name, "<b>Ewa</b> Zielińska &");
        let names = vec![(OwnedUserId::try_from("@ewa:urzad.pl").unwrap(), name)];
        assert_eq!(
            html_with_names("@ewa:urzad.pl", &names),
            "<a href=\"https://matrix.to/#/@ewa:urzad.pl\">&lt;b&gt;Ewa&lt;/b&gt; Zielińska &amp;</a>"
        );
        assert_eq!(clean_name(" \u{200b}\n "), None);
        assert_eq!(clean_name(&"ż".repeat(500)).unwrap().chars().count(), MAX_NAME_CHARS);
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_named_without_panicking(text in "(@[a-z]{1,4}:[a-z.]{1,4}|<a |</a>|<|>|\\PC{0,6}){0,40}") {
            let named: Vec<_> = user_ids_in(&text).into_iter().map(|id| (id, "Ewa".to_owned())).collect();
            let _ = plain_with_names(&text, &named);
            let _ = html_with_names(&text, &named);
        }
    }
}
