-- Learning that counts (a lesson, a right answer, a finished course), each kept once by its key:
-- XP, streaks and badges are worked out again from these, never kept as running totals.
CREATE TABLE learning_events (
    user_id TEXT NOT NULL,
    event_key TEXT NOT NULL,
    at BIGINT NOT NULL,
    activity TEXT NOT NULL,
    PRIMARY KEY (user_id, event_key)
);

-- Badges awarded, each once: a second award of the same badge fails its whole commit.
CREATE TABLE learning_badges (
    user_id TEXT NOT NULL,
    badge TEXT NOT NULL,
    awarded_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, badge)
);

-- Each learner's standing as the events made it when last worked out, for leaderboards; and
-- whether they chose to appear on them (`default`: citizens do not, staff do).
CREATE TABLE learning_standings (
    user_id TEXT PRIMARY KEY NOT NULL,
    xp BIGINT NOT NULL DEFAULT 0,
    streak_days BIGINT NOT NULL DEFAULT 0,
    last_day TEXT,
    staff BIGINT NOT NULL DEFAULT 0,
    visibility TEXT NOT NULL DEFAULT 'default',
    updated_at BIGINT NOT NULL
);
-- Leaderboards read only those who may be shown, by XP: the top ten, and how many are ahead
-- of the writer, from this index alone (the condition is the one the queries repeat).
CREATE INDEX learning_standings_listed ON learning_standings (xp)
    WHERE visibility = 'shown' OR (visibility = 'default' AND staff = 1);
