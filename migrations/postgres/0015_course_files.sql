-- The pictures and files a course version's lessons name, kept with the version (a new version
-- that does not send a file again keeps the one before's). Read whole on delivery.
CREATE TABLE course_files (
    course_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (course_id, version, name)
);
