-- Each learner's review queue (`!powtórka`): the quiz questions they missed or got only partly
-- right, each with where it stands in SM-2 and when it is next due.
CREATE TABLE review_queue (
    user_id TEXT NOT NULL,
    course_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    section BIGINT NOT NULL,
    question BIGINT NOT NULL,
    repetitions BIGINT NOT NULL,
    easiness_milli BIGINT NOT NULL,
    interval_days BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    needs_extra_review BIGINT NOT NULL,
    PRIMARY KEY (user_id, course_id, version, section, question)
);
-- The morning nudge reads who has questions due.
CREATE INDEX review_queue_due ON review_queue (due_at, user_id);

-- Learners who turned the morning nudge off (`!powtórka wyłącz`), or on again.
CREATE TABLE review_settings (
    user_id TEXT PRIMARY KEY NOT NULL,
    nudges BIGINT NOT NULL
);
