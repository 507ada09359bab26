-- Stored rows this version of szpon could not read (written by a newer one, or damaged), set
-- aside with the reason rather than dropped: the row as it was, where it was kept, and whose.
CREATE TABLE unreadable_rows (
    id BIGSERIAL PRIMARY KEY,
    kept_in TEXT NOT NULL,
    owner TEXT NOT NULL,
    row_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    set_aside_at BIGINT NOT NULL
);
