//! What the engine does between routing and deciding, for tests that hold a desk's data: the
//! view the input's route reads, filled from what the test holds.

use chrono::{DateTime, Utc};
use szpon_bots::{
    ConversationView, Input, OfficeBot, Outcome, Person, View, booking::BookingView, helpdesk::HelpdeskView,
};

/// What a test holds of the store: visits (with a fresh code and token) and tickets.
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub visits: BookingView,
    pub tickets: HelpdeskView,
}

/// Routes `input`, loads what its route reads from `held`, and decides.
pub fn decide(bot: &OfficeBot, input: &Input, person: &Person, held: &Held, now: DateTime<Utc>) -> Outcome {
    let route = bot.route(input, now);
    let view = match View::empty_for(&route) {
        View::Visits(_) => View::Visits(held.visits.clone()),
        View::Helpdesk(_) => View::Helpdesk(held.tickets.clone()),
        View::Conversation(_) => View::Conversation(Box::new(ConversationView {
            visits: held.visits.clone(),
            helpdesk: held.tickets.clone(),
            ..ConversationView::default()
        })),
        empty => empty,
    };
    bot.decide(input, &route, person, &view, now)
}
