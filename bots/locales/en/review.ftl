# Reviews of course questions (!review).
review-sitting = Time for a review: { $count } { $count ->
        [one] question
       *[other] questions
    } ({ $courses }). Choose an answer in each poll.{ $more ->
        [0] { "" }
       *[other] { " " }You will get the next ones when you write "!review" again.
    }
review-empty = You have no questions to review. Questions you answer wrongly or only partly right in quizzes will come back here in good time.
review-all-done = All reviewed for today. { $count ->
        [one] 1 question is
       *[other] { $count } questions are
    } in your queue; the next review is { $day }. { $nudges ->
        [on] I will remind you that morning.
       *[off] I send no morning reminders; write “!review on” to have them.
    }
review-nudge = Good morning! { $count ->
        [one] 1 question is
       *[other] { $count } questions are
    } waiting for review, a minute or two. Write "!review" whenever you like. If you would rather not get these reminders, write "!review off".
review-nudges-off = All right, I will not remind you about reviews any more. The questions still wait: just write "!review". "!review on" brings the reminders back.
review-nudges-on = All right, I will remind you in the morning when questions are due.
review-usage = Write "!review" to review the questions waiting, "!review off" to stop the morning reminders, or "!review on" to bring them back.
review-stale = This question is reviewed already. Write "!review" to get the questions waiting now.
review-answered = Answer saved.
review-right-answer = The right answer: { $answers }.
review-learnt = You have learnt this question; it will not come back.
review-again-soon = This question will come back in your next review.
review-comes-back = This question will come back { $day }.
review-sitting-done = That is all for today. Well done!
review-in-private = I am sending the review questions to our private chat.
