-- Task lists: a room's shared list ("room:!id") or a person's own ("user:@id"). Numbers are per
-- list and never reused: a deleted task keeps its row, marked deleted. Times are milliseconds
-- since the epoch, in UTC; the deadline is the due day and hour in the office's zone, as an
-- instant, for sorting and for "overdue".
CREATE TABLE tasks (
    list_key TEXT NOT NULL,
    number BIGINT NOT NULL,
    room_id TEXT NOT NULL,
    title TEXT NOT NULL,
    creator TEXT NOT NULL,
    assignee TEXT,
    due_date TEXT,
    due_time TEXT,
    deadline BIGINT,
    -- The deadline, or the largest number for none: lists sort by it from an index, soonest
    -- first and tasks without a deadline last, on SQLite and PostgreSQL alike.
    sort_key BIGINT NOT NULL,
    -- 0 low, 1 normal, 2 high, 3 urgent: sorts as it reads.
    priority INTEGER NOT NULL,
    lang TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    done_at BIGINT,
    done_by TEXT,
    deleted_at BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (list_key, number)
);
CREATE INDEX tasks_open ON tasks (list_key, sort_key, priority DESC, number) WHERE deleted_at IS NULL AND done_at IS NULL;
CREATE INDEX tasks_done ON tasks (list_key, done_at) WHERE deleted_at IS NULL AND done_at IS NOT NULL;
CREATE INDEX tasks_assignee ON tasks (list_key, assignee, sort_key) WHERE deleted_at IS NULL AND done_at IS NULL;

-- A list's settings: the hour of its daily digest ("08:30"), if it has one.
CREATE TABLE task_lists (
    list_key TEXT PRIMARY KEY NOT NULL,
    room_id TEXT NOT NULL,
    digest_at TEXT
);
