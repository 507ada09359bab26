# Points, streaks, badges and leaderboards (!progress, !ranking).
gamification-badge-awarded = Congratulations! { $count ->
        [one] You earned the badge { $badges }.
       *[other] You earned the badges { $badges }.
    }{ $xp ->
        [0] { "" }
       *[other] { " " }You have { $xp } XP now, level: { $level }.
    }
gamification-badge-first-course = First course finished
gamification-badge-perfect = Flawless: { $course }
gamification-badge-streak7 = 7 days of learning in a row
gamification-badge-streak30 = 30 days of learning in a row
gamification-mine-in-private = Your progress is shown in our private chat: write “!progress” there.
gamification-nothing-yet = You have no points yet. Join a course (“!courses” lists them): every lesson and right answer earns XP.
gamification-mine = You have { $xp } XP, level: { $level }. This week: { $week } XP.
gamification-next-level = { $missing } XP to the level “{ $level }”.
gamification-no-streak = You have no streak of learning days now. One lesson a day starts a new one.
gamification-streak = Streak: { $days } { $days ->
        [one] day
       *[other] days
    } of learning in a row.{ $freeze ->
        [yes] { " " }One missed day will not break it.
       *[no] { "" }
    }
gamification-streak-at-risk = Streak: { $days } { $days ->
        [one] day
       *[other] days
    } of learning in a row. No learning yet today: one lesson keeps it going.
gamification-badges = Badges: { $badges }.
gamification-hidden = You are not shown on leaderboards. To appear on them, write “!ranking show”.
gamification-shown = You are shown on leaderboards, with your points. To hide, write “!ranking hide”.
gamification-ranking-usage = Write “!ranking” to see the office’s best learners, “!ranking department” your department’s, or “!ranking <course>” one course’s (such as “!ranking rodo”). “!ranking hide” keeps you off the leaderboards, and “!ranking show” puts you on them.
gamification-ranking-empty = Nobody is on the leaderboard yet. It shows only those who agreed to it (“!ranking show”).
gamification-ranking-header = Leaderboard of the courses’ learners:
gamification-ranking-course-header = Leaderboard of the course “{ $course }”:
gamification-ranking-department-header = Leaderboard of your department ({ $department }):
gamification-ranking-no-course = There is no course “{ $course }”. “!courses” shows the courses’ short names; write “!ranking” and one of them.
gamification-ranking-which-course = Which course do you mean: { $courses }? Write, for example, “!ranking { $example }”.
gamification-ranking-no-department = A department’s leaderboard is for staff whose department the office’s directory gives, and yours is not in it. “!ranking” shows the whole office’s leaderboard.
gamification-ranking-place = Your place: { $place } ({ $xp } XP{ $board ->
        [course] { " " }in this course
       *[other] { "" }
    }).
gamification-ranking-no-xp = { $board ->
        [course] You have no points in this course yet, so you are not on its leaderboard.
       *[other] You have no points yet, so you are not on the leaderboard.
    }
gamification-ranking-hidden = You are not shown on the leaderboard. To appear on it, write “!ranking show”.
gamification-streak-reminder = Your streak of { $days } { $days ->
        [one] day
       *[other] days
    } of learning ends at midnight tonight. One lesson or one question keeps it: write “next”.
gamification-weekly = Your week of learning ({ $from } – { $to }): { $xp } XP. Lessons: { $lessons }, right answers: { $answers }, courses finished: { $courses }. In all you have { $total } XP, level: { $level }.{ $streak ->
        [0] { "" }
        [one] { " " }Streak: 1 day of learning in a row.
       *[other] { " " }Streak: { $streak } days of learning in a row.
    } Good luck this week!
