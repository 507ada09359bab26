//! LIVE events through the engine on SQLite and PostgreSQL: scheduling by who may, reminders
//! that fire once, the start, and questions ordered by their upvotes (reactions), which a
//! deleted reaction takes back.

use chrono::Duration;
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId};
use szpon_bots::{Clock, Input, Reaction, Redaction};

use super::each_backend;
use super::tasks::{ANNA, EWA, Office, PIOTR, TEAM};

fn reaction(id: &str, who: &str, to: &OwnedEventId) -> Input {
    Input::Reaction(Reaction {
        event_id: OwnedEventId::try_from(id).unwrap(),
        room_id: OwnedRoomId::try_from(TEAM).unwrap(),
        sender: OwnedUserId::try_from(who).unwrap(),
        relates_to: to.clone(),
        key: "👍".to_owned(),
    })
}

impl Office {
    /// Says `body` in the team room and returns the message's event, to react to.
    async fn ask(&self, who: &str, body: &str) -> (OwnedEventId, String) {
        let input = self.message(who, TEAM, 0, body);
        let Input::Message(message) = &input else { unreachable!() };
        let event = message.event_id.clone();
        self.engine.process(&input).await.unwrap();
        (event, self.delivered().await.join("\n---\n"))
    }

    async fn react(&self, input: Input) {
        self.engine.process(&input).await.unwrap();
        assert!(self.delivered().await.is_empty(), "reactions are not answered");
    }

    /// Runs the jobs due until `until`, a quarter of an hour at a time; what was said.
    async fn run_until(&self, until: chrono::DateTime<chrono::Utc>) -> Vec<String> {
        let mut heard = Vec::new();
        while self.clock.now() < until {
            self.clock.advance(Duration::minutes(15));
            self.engine.run_due_jobs().await.unwrap();
            heard.extend(self.delivered().await);
        }
        heard
    }
}

#[tokio::test]
async fn an_event_is_reminded_of_opens_and_its_questions_rise_with_their_upvotes() {
    each_backend(|store| async move {
        let office = Office::new(store);
        let refused = office.team(EWA, "!wydarzenie pojutrze o 10 Nowe zasady naboru").await;
        assert!(refused.contains("planują trenerzy, urzędnicy i moderatorzy"), "{refused}");
        let scheduled = office.says(ANNA, TEAM, 50, "!wydarzenie pojutrze o 10 Nowe zasady naboru 45 min").await;
        assert!(
            scheduled.starts_with("Wydarzenie LIVE nr 1 „Nowe zasady naboru”: czwartek, 26 listopada, 10:00–10:45."),
            "{scheduled}"
        );
        assert_eq!(
            office.team(PIOTR, "!wydarzenia").await,
            "Wydarzenia LIVE tego pokoju (1):\n• nr 1 „Nowe zasady naboru” — czwartek, 26 listopada, 10:00–10:45, \
             prowadzi @anna:localhost"
        );
        let early = office.team(PIOTR, "!pytanie Czy będzie nagranie?").await;
        assert!(early.starts_with("Teraz nie trwa żadne wydarzenie LIVE"), "{early}");
        let (_, unheard) = office.ask(PIOTR, "a czy to w ogóle działa?").await;
        assert!(unheard.is_empty(), "a question said to the room outside an event gets no answer: {unheard}");

        // The day before, a quarter before, and at the start: the broadcast opens (here the
        // office has no video gateway, and the room is told so).
        let start = office.clock.now() + Duration::days(2);
        let heard = office.run_until(start).await;
        assert_eq!(heard.len(), 3, "{heard:?}");
        assert!(heard[0].starts_with("Jutro wydarzenie LIVE nr 1 „Nowe zasady naboru”"), "{heard:?}");
        assert!(heard[1].starts_with("Za 15 minut wydarzenie LIVE nr 1"), "{heard:?}");
        assert!(heard[2].starts_with("W tym urzędzie rozmowy wideo nie są włączone"), "{heard:?}");

        // On air: questions from the room, upvoted by reactions.
        let (ewas, quiet) = office.ask(EWA, "Czy będzie nagranie?").await;
        assert!(quiet.is_empty(), "{quiet}");
        let (piotrs, noted) = office.ask(PIOTR, "!pytanie Do kiedy trwa nabór?").await;
        assert!(noted.starts_with("Pytanie zapisane."), "{noted}");
        let (chat, _) = office.ask(ANNA, "Witam wszystkich").await;
        office.react(reaction("$r1", ANNA, &piotrs)).await;
        office.react(reaction("$r2", EWA, &piotrs)).await;
        office.react(reaction("$r3", ANNA, &ewas)).await;
        office.react(reaction("$r4", EWA, &ewas)).await; // her own: no upvote
        office.react(reaction("$r5", PIOTR, &chat)).await; // no question: nothing
        office.react(reaction("$r2", EWA, &piotrs)).await; // the same event again: once
        assert_eq!(
            office.team(ANNA, "!pytania").await,
            "Pytania do wydarzenia nr 1 „Nowe zasady naboru” (2), od najczęściej popieranych:\n\
             1. Do kiedy trwa nabór? — @piotr:localhost · 2 głosy\n\
             2. Czy będzie nagranie? — @ewa:localhost · 1 głos"
        );

        // A reaction taken back: a tie, the older question first.
        let redaction = Input::Redaction(Redaction {
            event_id: OwnedEventId::try_from("$x1").unwrap(),
            room_id: OwnedRoomId::try_from(TEAM).unwrap(),
            sender: OwnedUserId::try_from(EWA).unwrap(),
            redacts: OwnedEventId::try_from("$r2").unwrap(),
        });
        office.engine.process(&redaction).await.unwrap();
        let listed = office.team(ANNA, "!pytania").await;
        assert!(listed.contains("1. Czy będzie nagranie? — @ewa:localhost · 1 głos\n2. Do kiedy"), "{listed}");

        // Ended: questions are still listed for a day, and none are taken any more.
        office.clock.advance(Duration::minutes(50));
        let late = office.team(PIOTR, "!pytanie A jutro?").await;
        assert!(late.starts_with("Teraz nie trwa żadne wydarzenie LIVE"), "{late}");
        assert!(office.team(ANNA, "!pytania").await.contains("(2)"));
        office.clock.advance(Duration::days(1));
        assert!(office.team(ANNA, "!pytania").await.starts_with("W tym pokoju nie trwa żadne wydarzenie LIVE"));
    })
    .await;
}

#[tokio::test]
async fn cancelling_an_event_silences_its_reminders() {
    each_backend(|store| async move {
        let office = Office::new(store);
        office.says(ANNA, TEAM, 50, "!wydarzenie pojutrze o 12 Dyżur ekspertów").await;
        let refused = office.team(PIOTR, "!wydarzenie odwołaj 1").await;
        assert!(refused.starts_with("Wydarzenie nr 1 może odwołać jego prowadzący"), "{refused}");
        let cancelled = office.team(ANNA, "!wydarzenie odwołaj 1").await;
        assert!(cancelled.starts_with("Odwołano wydarzenie LIVE nr 1 „Dyżur ekspertów”"), "{cancelled}");
        assert!(
            office.team(ANNA, "!wydarzenie odwołaj 1").await.starts_with("Wydarzenie nr 1 jest już odwołane")
        );
        let until = office.clock.now() + Duration::days(3);
        assert!(office.run_until(until).await.is_empty(), "a cancelled event says nothing");
        assert!(office.team(ANNA, "!wydarzenia").await.starts_with("W tym pokoju nie ma zaplanowanych"));
    })
    .await;
}

/// A course's session: `!na-żywo` reads the course with its room, the room's next number and
/// its learners (not those who left); the session's jobs read the learners and the title.
#[tokio::test]
async fn a_course_session_reads_its_room_and_learners_and_its_jobs_read_them_again() {
    use super::courses::{COURSE, enrolment, publication};
    use szpon::store::booking::JobOutcome;
    use szpon_bots::{
        Effect, JobContext, Lang, Outcome,
        courses::CourseChange,
        learning::EnrolmentStatus,
        live::{LiveChange, LiveCommand, LiveEvent, alert_jobs},
    };
    each_backend(|store| async move {
        let now = super::t0();
        let room = ruma::owned_room_id!("!kurs-segregacja:localhost");
        store.apply_effects(&[publication(COURSE)], now).await.unwrap();
        store.record_course_room("segregacja", &room).await.unwrap();
        let gone = szpon_bots::learning::Enrolment { status: EnrolmentStatus::Left, ..enrolment("@piotr:x") };
        let enrolments = [
            Effect::Course(CourseChange::Enrol(enrolment("@anna:x"))),
            Effect::Course(CourseChange::Enrol(enrolment("@ola:x"))),
            Effect::Course(CourseChange::Enrol(gone)),
        ];
        store.apply_effects(&enrolments, now).await.unwrap();

        let command =
            LiveCommand::ForCourse { course: "Segregacja".into(), rest: "jutro o 10 Pytania".into() };
        let trainers_room = ruma::room_id!("!trenerzy:localhost");
        let view = store.live_view(trainers_room, &command, now).await.unwrap();
        let course = view.course.expect("the course is found by a word of its title");
        assert_eq!((course.course_id.as_str(), course.room.as_ref()), ("segregacja", Some(&room)));
        assert_eq!(course.next_number, 1);
        let learners: Vec<&str> = course.learners.iter().map(|(user, _)| user.as_str()).collect();
        assert_eq!(learners, ["@anna:x", "@ola:x"], "not Piotr, who left");

        let start = now + Duration::days(2);
        let event = LiveEvent {
            room_id: room.clone(),
            number: 1,
            title: "Pytania".into(),
            start,
            end: start + Duration::minutes(60),
            presenter: ruma::owned_user_id!("@trenerka:localhost"),
            lang: Lang::Pl,
            created_at: now,
            cancelled_at: None,
            course_id: Some("segregacja".into()),
        };
        let mut effects = vec![Effect::Live(LiveChange::Schedule(event.clone()))];
        effects.extend(alert_jobs(&event, now));
        store.apply_effects(&effects, now).await.unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        store
            .run_due_jobs(start, 10, |_, context| {
                if let JobContext::Live(context) = context {
                    seen.lock().unwrap().push(context.clone());
                }
                JobOutcome { outcome: Outcome::default(), actions: Vec::new() }
            })
            .await
            .unwrap();
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 3, "a day before, 15 minutes before, the start");
        assert_eq!(seen[0].event.as_ref().and_then(|e| e.course_id.as_deref()), Some("segregacja"));
        assert_eq!(seen[0].course_title, "Segregacja odpadów");
        assert_eq!(seen[0].learners.len(), 2);
        let next = store.live_view(trainers_room, &command, now).await.unwrap();
        assert_eq!(next.course.unwrap().next_number, 2, "the room's next event");
        let cancel = store.live_view(&room, &LiveCommand::Cancel(Some(1)), now).await.unwrap();
        assert_eq!(cancel.named.as_ref().map(|e| e.number), Some(1));
        let told = cancel.course.expect("a course session's cancelling reads its learners");
        assert_eq!((told.title.as_str(), told.learners.len()), ("Segregacja odpadów", 2));
    })
    .await;
}
