-- The directory: people's attributes that course audiences are chosen by. `source` says where a
-- row came from ("import" for `szpon directory import`), so that an import replaces its own rows
-- and no others.
CREATE TABLE directory (
    user_id TEXT PRIMARY KEY NOT NULL,
    office TEXT,
    department TEXT,
    role TEXT,
    kind TEXT,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
