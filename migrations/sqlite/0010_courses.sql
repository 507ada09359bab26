-- Published courses: every version kept, as the trainer sent it (learners finish the version
-- they started). The latest version of a course is the one with the highest number.
CREATE TABLE courses (
    course_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    published_by TEXT NOT NULL,
    room_id TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (course_id, version)
);
