-- Who takes which course version, and where they stand. Records stay after a learner leaves.
CREATE TABLE enrolments (
    course_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    origin TEXT NOT NULL,
    progress TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT,
    score BIGINT,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrolments_by_user ON enrolments (user_id);

-- Each person's direct chat with the bot, where their lessons go.
CREATE TABLE direct_rooms (
    user_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL
);

-- Survey answers as counts per option: every option's row is rewritten with each set of
-- answers, so an anonymous respondent's choice cannot be told from which row changed.
CREATE TABLE survey_counts (
    course_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    section BIGINT NOT NULL,
    item BIGINT NOT NULL,
    answer BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (course_id, version, section, item, answer)
);

-- Free-text survey answers, kept sorted in one row per item (a JSON array), so that their order
-- says nothing of who wrote them or when.
CREATE TABLE survey_texts (
    course_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    section BIGINT NOT NULL,
    item BIGINT NOT NULL,
    texts TEXT NOT NULL,
    PRIMARY KEY (course_id, version, section, item)
);

-- The answers of surveys that are not anonymous, by person.
CREATE TABLE survey_answers (
    course_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    section BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    answers TEXT NOT NULL,
    PRIMARY KEY (course_id, version, section, user_id)
);
