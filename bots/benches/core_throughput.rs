//! How many events per second the office bot's pure core handles on one core.
//! Run: `cargo bench -p szpon-bots --bench core_throughput`.

use std::hint::black_box;

use chrono::DateTime;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ruma::{OwnedEventId, owned_room_id, owned_user_id};
use szpon_bots::{BotConfig, Input, MessageContent, OfficeBot, Person, RoomKind, UserMessage};

fn inputs() -> Vec<Input> {
    let bodies = ["pomoc", "dzień dobry", "!xyz", "chcę umówić wizytę w sprawie dowodu", "help", "!język en"];
    (0..1000)
        .map(|i| {
            Input::Message(UserMessage {
                event_id: OwnedEventId::try_from(format!("$event{i}")).unwrap(),
                room_id: owned_room_id!("!dm:gmina.example.pl"),
                sender: owned_user_id!("@jan:gmina.example.pl"),
                room_kind: if i % 4 == 0 { RoomKind::Group } else { RoomKind::Direct },
                content: MessageContent::Text { body: bodies[i % bodies.len()].to_owned() },
                sender_power: 0,
                mentions: Vec::new(),
                members_named: Vec::new(),
                room_encrypted: true,
                private_chat: i % 4 != 0,
                in_reply_to: None,
            })
        })
        .collect()
}

fn core_throughput(c: &mut Criterion) {
    let bot = OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:gmina.example.pl"), "Gmina Przykładowo"));
    let inputs = inputs();
    let person = Person::default();
    let now = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    let mut group = c.benchmark_group("office_bot");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("handle_1000_mixed_events", |b| {
        b.iter(|| {
            for input in &inputs {
                black_box(bot.handle(black_box(input), &person, now));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, core_throughput);
criterion_main!(benches);
