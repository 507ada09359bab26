-- A course's LIVE session (`!na-żywo`) is an event of the course's room that knows its course,
-- so that its learners are reminded in their direct chats and sent their links at the start.
ALTER TABLE live_events ADD COLUMN course_id TEXT;
