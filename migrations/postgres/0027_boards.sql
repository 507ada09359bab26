-- Each learner's XP by course, for the courses' leaderboards (`!ranking <kurs>`), kept with the
-- standing. `listed` repeats whether the learner may be shown (their standing's visibility and
-- staff), so that a course's top and the count ahead of the writer read one partial index.
CREATE TABLE learning_course_xp (
    user_id TEXT NOT NULL,
    course_id TEXT NOT NULL,
    xp BIGINT NOT NULL,
    listed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, course_id)
);
CREATE INDEX learning_course_xp_listed ON learning_course_xp (course_id, xp) WHERE listed = 1;

-- A department's leaderboard (`!ranking wydział`) reads its people from the directory.
CREATE INDEX directory_department ON directory (department);

-- Every learner's standing is worked out again by the bot's own rule, which now keeps the XP
-- by course: one standing job each, due at once (the job's JSON as the bot writes it).
INSERT INTO jobs (job_key, job, due_at)
SELECT DISTINCT 'standing:' || user_id || ':course-xp',
       '{"v":1,"data":{"kind":"learning_standing","user_id":"' || user_id || '","after":"course-xp"}}',
       0
FROM learning_events;
