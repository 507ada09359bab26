-- A clerk's feed became a person's: the same address now also carries their tasks.
UPDATE feed_tokens SET owner_kind = 'person' WHERE owner_kind = 'clerk';

-- A person's feed reads the tasks assigned to them on every list.
CREATE INDEX tasks_assigned ON tasks (assignee) WHERE assignee IS NOT NULL AND deleted_at IS NULL;
