-- Pictures and files a trainer uploaded in the web editor for the course they are writing,
-- until a publication takes them into the course's version (or the trainer removes them).
CREATE TABLE editor_files (
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, name)
);
