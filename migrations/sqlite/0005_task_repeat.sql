-- How a recurring task comes back: its rule as JSON ({"cron": "0 0 9 * * Mon", "all_day": false,
-- "label": "co poniedziałek o 9"}), or NULL for a task done once.
ALTER TABLE tasks ADD COLUMN repeat TEXT;
