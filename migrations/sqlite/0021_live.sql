-- LIVE events: broadcasts scheduled in a room, numbered per room and never renumbered; a
-- cancelled one keeps its row. The broadcast itself is a call (a Janus room) with a presenter.
CREATE TABLE live_events (
    room_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    presenter TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    PRIMARY KEY (room_id, number)
);
CREATE INDEX live_events_by_end ON live_events (room_id, ends_at);

-- Questions asked in the room during an event, by the message that asked them (reactions to
-- that message are its upvotes; deleting it withdraws it).
CREATE TABLE live_questions (
    event_id TEXT PRIMARY KEY NOT NULL,
    room_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    asker TEXT NOT NULL,
    text TEXT NOT NULL,
    asked_at BIGINT NOT NULL
);
CREATE INDEX live_questions_by_event ON live_questions (room_id, number);

-- One row per reaction to a question; a person's upvote counts once however many reactions.
CREATE TABLE live_upvotes (
    reaction_event TEXT PRIMARY KEY NOT NULL,
    question_event TEXT NOT NULL,
    voter TEXT NOT NULL
);
CREATE INDEX live_upvotes_by_question ON live_upvotes (question_event);

-- A call that is a broadcast: its presenter (the only one who may send video), its title, the
-- announcement that keeps the viewer count (edited), and the counts shown and reached.
ALTER TABLE calls ADD COLUMN presenter TEXT;
ALTER TABLE calls ADD COLUMN title TEXT;
ALTER TABLE calls ADD COLUMN status_event TEXT;
ALTER TABLE calls ADD COLUMN viewers_shown BIGINT;
ALTER TABLE calls ADD COLUMN viewers_most BIGINT NOT NULL DEFAULT 0;
