//! Pure course logic for szpon: course files, GIFT questions, enrolment rules and pacing.
//!
//! Nothing lives here yet; the course engine issue fills it. It stays free of I/O, clocks and
//! randomness, like `bots` and `nlp`.
