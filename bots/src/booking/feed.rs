//! The addresses of calendar feeds, shared by every `!kalendarz`: a clerk's, a department's, a
//! person's to-dos and a room's tasks.

use ruma::UserId;

use super::{BookingChange, Effect, Feed};

/// A feed's address as an answer gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedAddress {
    /// A new address, shown once: `effect` stores only its hash and revokes the person's old one.
    New { url: String, effect: Box<Effect> },
    /// The person already has an address, which szpon cannot show again (it keeps only its
    /// hash): a new one is one `!kalendarz nowy` away.
    Held,
}

/// `holder`'s own address of the feed: a new one when asked for (`rotate`) or when they hold
/// none (`held` lists the feeds they hold an address of).
pub fn feed_address(
    feed: &Feed,
    holder: &UserId,
    rotate: bool,
    held: &[Feed],
    new_token: &str,
    web_url: &str,
) -> FeedAddress {
    if held.contains(feed) && !rotate {
        return FeedAddress::Held;
    }
    FeedAddress::New {
        url: format!("{}/kalendarz/{new_token}.ics", web_url.trim_end_matches('/')),
        effect: Box::new(Effect::Booking(BookingChange::NewFeedToken {
            feed: feed.clone(),
            holder: holder.to_owned(),
            token: new_token.to_owned(),
        })),
    }
}

/// Whether a `!kalendarz` asks for a new address ("nowy", "new").
pub fn asks_for_new_address(words: &[String]) -> bool {
    words.iter().any(|w| w == "nowy" || w == "nowa" || w == "new")
}

#[cfg(test)]
mod tests {
    use ruma::{owned_room_id, owned_user_id};

    use super::*;

    #[test]
    fn an_address_is_shown_once_and_replaced_on_request() {
        let feed = Feed::Room(owned_room_id!("!zespol:localhost"));
        let ewa = owned_user_id!("@ewa:localhost");
        let first = feed_address(&feed, &ewa, false, &[], &"C".repeat(32), "https://urzad.example/");
        let FeedAddress::New { url, effect } = first else { panic!("a first address") };
        assert_eq!(url, format!("https://urzad.example/kalendarz/{}.ics", "C".repeat(32)));
        assert_eq!(
            *effect,
            Effect::Booking(BookingChange::NewFeedToken {
                feed: feed.clone(),
                holder: ewa.clone(),
                token: "C".repeat(32)
            })
        );
        let held = [feed.clone()];
        assert_eq!(feed_address(&feed, &ewa, false, &held, &"D".repeat(32), "https://u"), FeedAddress::Held);
        let rotated = feed_address(&feed, &ewa, true, &held, &"B".repeat(32), "https://urzad.example");
        assert!(
            matches!(rotated, FeedAddress::New { url, .. } if url.ends_with(&format!("{}.ics", "B".repeat(32))))
        );
    }
}
