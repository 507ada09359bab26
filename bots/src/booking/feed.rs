//! The addresses of calendar feeds, shared by every `!kalendarz`: a clerk's, a department's, a
//! person's to-dos and a room's tasks.

use super::{Effect, Feed};

/// A feed's address as an answer gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedAddress {
    pub url: String,
    /// The token is new: written by `effect`, which revokes the old one.
    pub effect: Option<Effect>,
}

/// The feed's current address, or a fresh one when asked for (`rotate`) or when it has none.
pub fn feed_address(
    feed: &Feed,
    rotate: bool,
    tokens: &[(Feed, String)],
    new_token: &str,
    web_url: &str,
) -> FeedAddress {
    let current = tokens.iter().find(|(f, _)| f == feed).map(|(_, token)| token.as_str());
    let (token, effect) = match current {
        Some(token) if !rotate => (token, None),
        _ => (new_token, Some(Effect::NewFeedToken { feed: feed.clone(), token: new_token.to_owned() })),
    };
    FeedAddress { url: format!("{}/kalendarz/{token}.ics", web_url.trim_end_matches('/')), effect }
}

/// Whether a `!kalendarz` asks for a new address ("nowy", "new").
pub fn asks_for_new_address(words: &[String]) -> bool {
    words.iter().any(|w| w == "nowy" || w == "nowa" || w == "new")
}

#[cfg(test)]
mod tests {
    use ruma::owned_room_id;

    use super::*;

    #[test]
    fn an_existing_address_is_kept_until_a_new_one_is_asked_for() {
        let feed = Feed::Room(owned_room_id!("!zespol:localhost"));
        let tokens = vec![(feed.clone(), "A".repeat(32))];
        let kept = feed_address(&feed, false, &tokens, &"B".repeat(32), "https://urzad.example/");
        assert_eq!(kept.url, format!("https://urzad.example/kalendarz/{}.ics", "A".repeat(32)));
        assert_eq!(kept.effect, None);
        let rotated = feed_address(&feed, true, &tokens, &"B".repeat(32), "https://urzad.example");
        assert_eq!(rotated.url, format!("https://urzad.example/kalendarz/{}.ics", "B".repeat(32)));
        assert_eq!(rotated.effect, Some(Effect::NewFeedToken { feed: feed.clone(), token: "B".repeat(32) }));
        let first = feed_address(&feed, false, &[], &"C".repeat(32), "https://urzad.example");
        assert!(matches!(first.effect, Some(Effect::NewFeedToken { .. })));
    }
}
