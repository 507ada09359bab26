-- "!zadania wszystkie" counts a list's tasks that are not deleted: this index counts them alone.
CREATE INDEX tasks_live ON tasks (list_key) WHERE deleted_at IS NULL;
