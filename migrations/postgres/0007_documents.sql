-- The document register: references to the files (m.file events) shared in rooms. The files
-- stay on the homeserver; a file deleted from its room (redacted) leaves the register.
CREATE TABLE documents (
    room_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    name TEXT NOT NULL,
    mimetype TEXT,
    size BIGINT,
    url TEXT NOT NULL,
    shared_at BIGINT NOT NULL,
    PRIMARY KEY (room_id, event_id)
);
CREATE INDEX documents_newest ON documents (room_id, shared_at DESC);

-- The file a task was added in reply to: its event (in the task's room) and name.
ALTER TABLE tasks ADD COLUMN attachment_event TEXT;
ALTER TABLE tasks ADD COLUMN attachment_name TEXT;

-- The visit a task follows up (added in reply to the bot's notice of it), by code.
ALTER TABLE tasks ADD COLUMN visit_code TEXT;
