-- Team meetings, numbered per room and never renumbered; a cancelled one keeps its row (its
-- number stays taken, and calendars are told it is cancelled). Times are milliseconds since
-- the epoch, in UTC.
CREATE TABLE meetings (
    room_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    organizer TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    -- Where the call is held, once szpon has calls.
    video_link TEXT,
    PRIMARY KEY (room_id, number)
);
CREATE INDEX meetings_by_start ON meetings (room_id, starts_at);

-- Each member's latest answer to a meeting's poll: yes, no or maybe.
CREATE TABLE meeting_answers (
    room_id TEXT NOT NULL,
    number BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, number, user_id)
);
CREATE INDEX meeting_answers_by_user ON meeting_answers (user_id);
