-- The outbox keeps each action's lane (its room; for a message to a person, their known direct
-- chat, else the person), whom a message to a person is for, whether it answers someone who
-- just wrote, and when an administrator last sent it again. The sender then picks due actions
-- in one query: none waits behind another lane's postponed ones, and lanes with an answer go
-- first. An action is given up by age, counted from its creation or its last retry.
ALTER TABLE outbox ADD COLUMN lane TEXT;
ALTER TABLE outbox ADD COLUMN direct_to TEXT;
ALTER TABLE outbox ADD COLUMN urgent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN retried_at BIGINT;
CREATE INDEX outbox_pending_lane ON outbox (lane, id) WHERE done_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_pending_direct ON outbox (direct_to) WHERE done_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
