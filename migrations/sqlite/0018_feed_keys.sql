-- Calendar feed addresses, one per person and feed, kept only as SHA-256 hashes: a copy of the
-- database opens no calendar. `holder` is whose address it is; each request re-checks that
-- they still may see the feed. At connect, szpon hashes the person feeds' old plain tokens
-- into this table and empties `feed_tokens`; the old shared department and room addresses are
-- not carried over (each person asks `!kalendarz` for their own).
CREATE TABLE feed_keys (
    token_hash TEXT PRIMARY KEY NOT NULL,
    owner_kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    holder TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX feed_keys_holder ON feed_keys (holder, owner_kind, owner);
