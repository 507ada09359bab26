-- Course certificates, one per learner and course, under a code anyone may check on the web
-- (`/certyfikat/<code>`). The learner's name is their display name when the PDF was first sent.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    course_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    minutes BIGINT,
    score BIGINT,
    issued_at BIGINT NOT NULL,
    learner_name TEXT,
    UNIQUE (user_id, course_id)
);
