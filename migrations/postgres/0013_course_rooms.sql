-- Each course's room for discussion, created with its first publication that asks for one.
CREATE TABLE course_rooms (
    course_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL
);
