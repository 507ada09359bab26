help =
    Hello! I am the assistant of { $office }.
    I answer in English now; napisz „!język pl”, aby wrócić do polskiego.
    What I can do right now:
    • "book" or "I'd like to book a visit" — book a visit at the office,
    • "my visits" — your visits; "cancel" or "reschedule" with the visit code,
    • questions about the office's matters, e.g. "where can I dispose of electronics?",
    • "!courses" — the office's courses and training; "next" — a course's next part,
    • "!progress" — your points, learning streak and badges; "!ranking" — the best learners (also "!ranking department" and "!ranking <course>"),
    • "!review" — go over the quiz questions you found hard,
    • "help" — this list,
    • "!lang en" or "!lang pl" — change the language of my answers.
greeting = Hello! How can I help? Write "help" and I will show you what I can do.
thanks = You're welcome! If you need anything else, I'm here.
not-understood = I don't understand this message yet. Write "help" and I will show you what I can do.
unknown-command = I don't know the command "{ $command }". Write "help" to see the available commands.
turn-failed = Sorry, something went wrong with this message, and we are on it. Please try again in a moment, or put it differently.
empty-message = This message is empty. Tell me what you need, or write "help" to see the commands.
too-long =
    This message is too long: it has { $length } { $count ->
        [one] character
       *[other] characters
    }, and I accept at most { $limit }. Please write a shorter message.
non-text = For now I only understand text messages. Please describe your matter in words, or write "help".
unreadable = I can't read your last message: the key it was encrypted with never reached me. Please send it again. If this happens again, start a new chat with me.
language-set = All right, from now on I answer in English.
language-unknown = I don't know the language "{ $language }". I can write in Polish ("!lang pl") or English ("!lang en").
invite-refused = This assistant serves only users from these servers: { $servers }.

## Booking visits
booking-unavailable = This office does not take bookings by chat yet. Please call or visit the front desk.
booking-choose-service =
    What would you like to book a visit for? Write the number or the name:
    { $list }
booking-service-unclear =
    I'm not sure which service you mean. Write the number:
    { $list }
booking-offers =
    { $service } — the earliest free times:
    { $list }
    Write the number of a time. You can also narrow it down, e.g. "tomorrow", "friday", "after 14" or "other times".
booking-no-times = Sorry, there are no free times for "{ $service }" in the next { $days ->
        [one] day
       *[other] { $days } days
    }. Please try again in a few days — new times open every day.
booking-no-times-filtered = There are no free times for "{ $service }" that match. Try another day or hour (e.g. "monday", "after 10") or "other times".
booking-closed-day = The office is closed { $day }.
booking-number-out-of-range = There is no number { $number }. { $max ->
        [1] There is only one: write "yes" to choose it.
       *[other] Choose a number from 1 to { $max }.
    }
booking-hint-service = { $max ->
        [1] Write "yes" to choose this service, or the name of another.
       *[other] Write the number of the service (1 to { $max }) or its name.
    } To stop, write "cancel".
booking-hint-time = { $max ->
        [1] Write "yes" to book this time, "other times"
       *[other] Write the number of a time (1 to { $max }), "other times"
    } or e.g. "tomorrow after 12". To stop, write "cancel".
booking-hint-visit = { $max ->
        [1] Write "yes" to choose this visit, or its code.
       *[other] Write the number of the visit (1 to { $max }) or its code.
    } To stop, write "cancel".
booking-stopped = All right, I've stopped. Write "book" whenever you want to come back to it.
visit-confirm-cancel = Cancel your visit { $when } — { $service } ({ $code })? Write "yes" to cancel it, or "no" to keep it.
booking-hint-confirm = Write "yes" to cancel this visit, or "no" to keep it.
booking-stopped-cancel = All right, I'm not cancelling anything: your visits stay as they are.
booking-stopped-move = All right, the time stays as it is.
booking-nothing-open = There is no open question right now, so there is nothing to stop. To cancel a visit, write "cancel visit"; "my visits" lists them.
booking-expired = The booking conversation has expired because there was no answer for a while. Nothing was booked. Write "book" whenever you like and we'll start again.
booking-expired-note = (The previous booking conversation had expired, so I'm starting again.)
booking-time-passed = That time has already passed.
booking-limit-reached =
    You already have { $max ->
        [one] a booked visit
       *[other] { $max } booked visits
    }, as many as the office lets one person hold at once:
    { $list }
    To book another, cancel one of them ("cancel" and its code) or move it ("reschedule" and its code).
booking-taken = Sorry, that time has just been taken by someone else.
booking-documents =
    Please bring:
    { $list }
booking-confirmed =
    Done! Your visit is booked.
    • Service: { $service }
    • Time: { $when }
    • Place: { $desk }
    • Visit code: { $code }
    { $documents }
    When you arrive, enter the code at the ticket machine or give it at the desk. I'll remind you before the visit. To change or cancel it, write "my visits".
booking-moved =
    Done! Your visit has been moved.
    • Service: { $service }
    • New time: { $when }
    • Place: { $desk }
    • Visit code (unchanged): { $code }
    { $documents }
booking-reminder =
    Reminder: you have a visit at { $office } { $when } — { $service }, { $desk }. Visit code: { $code }.
    { $documents }
    If you can't come, write "cancel { $code }" so that someone else can have the time.
visits-none = You have no visits booked. To book one, write "book".
visits-list =
    Your booked visits:
    { $list }
    To cancel a visit, write "cancel" and its code; to move it, "reschedule" and the code.
visit-choose-cancel =
    Which visit should I cancel? Write the number:
    { $list }
visit-choose-move =
    Which visit would you like to move? Write the number:
    { $list }
visit-unknown-code = I found none of your booked visits with the code { $code }. Write "my visits" to see yours.
visit-service-gone = Visit { $code } can't be changed by chat, because the service is no longer offered. Please contact the office.
visit-moving = Moving your visit { $when }.
visit-cancelled = Your visit { $when } ({ $service }, code { $code }) has been cancelled. Thank you for letting us know — someone else can have the time.

## Citizens, told of what clerks did
citizen-checked-in = Thank you, you are in the queue. We will call you with a message in this chat.
citizen-called = Please go to { $desk } — { $clerk }. Visit code: { $code }.
citizen-no-show = You did not come to your visit { $when } (code { $code }), so it has lapsed. To book a new one, write "book".
citizen-visit-affected =
    Sorry, your visit { $when } ({ $service }, code { $code }) cannot take place then — the clerk will be away. We apologise!
    Free times:
    { $list }
    Write the number of a new time, or "cancel { $code }" if you no longer need the visit.
citizen-visit-affected-no-times = Sorry, your visit { $when } ({ $service }, code { $code }) cannot take place then — the clerk will be away. We apologise! There are no free times yet; write "reschedule { $code }" in a few days or contact the office.

# Free text, as the NLU understood it.
clarify = I am not sure what you mean: { $first } or { $second }? Please write it again in other words.
out-of-scope = I can't help with that; I help with the office's matters: visits, documents, waste, taxes and more. Write “help” to see what I can do.
human-not-yet = Handing a chat over to a clerk does not work yet. You can talk to a clerk at a visit (write “book a visit”) or by phone; the departments' numbers are on the office's website.
intent-label = { $intent ->
    [book_visit] booking a visit
    [move_visit] moving a visit
    [cancel_visit] cancelling a visit
    [my_visits] your visits
    [tasks] task lists
    [courses] courses and training
    [help] help with this chat
    [human] talking to a clerk
    [callback] a phone call from the office
    [greet] a greeting
    [thanks] thanks
    [out_of_scope] something outside the office's work
    [faq-dowod_osobisty] getting an ID card
    [faq-dowod_utrata] a lost ID card
    [faq-meldunek_staly] registering your address
    [faq-meldunek_czasowy] temporary registration
    [faq-wymeldowanie] deregistration
    [faq-akt_urodzenia] civil status certificates
    [faq-slub] a civil wedding
    [faq-zgon] registering a death
    [faq-segregacja] sorting waste
    [faq-odbior_odpadow] waste collection
    [faq-elektrosmieci] electronic waste
    [faq-gabaryty] bulky waste
    [faq-oplata_smieci] the waste fee
    [faq-podatek_nieruchomosci] property tax
    [faq-platnosci] paying fees
    [faq-pozwolenie_budowa] building permits
    [faq-warunki_zabudowy] zoning and development conditions
    [faq-godziny_otwarcia] opening hours
    [faq-adres_dojazd] address and directions
    [faq-kontakt] contacting the office
    [faq-profil_zaufany] the trusted profile and mObywatel
    [faq-prawo_jazdy] driving licences
    [faq-rejestracja_pojazdu] vehicle registration
    [faq-karta_duzej_rodziny] the Large Family Card
    [faq-dzialalnosc_gospodarcza] running a business
    [faq-pomoc_spoleczna] social assistance
    [faq-wycinka_drzew] felling trees
    [faq-paszport] passports
    [faq-wybory] voting in elections
    [faq-zezwolenie_alkohol] alcohol permits
    [faq-psy] animals and the shelter
    [faq-oplata_psy] the dog fee
    [faq-zmiana_nazwiska] changing your surname
    [faq-drogi_awarie] reporting a road or street-light fault
    [faq-pojazd_sprowadzony] registering an imported car
    [faq-swiadczenie_800] the 800+ benefit
   *[other] something else
}

# Helpdesk: what citizens read (staff messages are in Polish).
helpdesk-did-it-help = Did this help? If not, write "didn't help" and I will pass the conversation to a member of staff.
helpdesk-not-understood = I don't understand this message. Try other words, or write "human" and I will pass the conversation to a member of staff.
helpdesk-handed-over = I am passing the conversation to a member of staff — this is ticket no. { $id }. Someone from the support team will join this conversation, usually within a quarter of an hour. You can add details here.
helpdesk-handed-over-closed = I am passing the conversation to a member of staff — this is ticket no. { $id }. The support team is outside its working hours and will be back { $back }. The ticket waits in the queue; I will let you know when someone takes it.
helpdesk-handed-over-away = I am passing the conversation to a member of staff — this is ticket no. { $id }. The ticket waits in the queue; I will let you know when someone takes it.
helpdesk-callback-added = I have added your callback request to ticket no. { $id }: { $phone }{ $when }. The support team knows.
helpdesk-already-waiting = Your ticket no. { $id } is already waiting for a member of staff. I will let you know when someone takes it; you can add details here.
helpdesk-write-directly = To talk to a member of staff, write "human" to me in a private chat.
helpdesk-agent-joins = { $agent } from the support team is joining us. Write as usual — they will answer here.
helpdesk-closed = The member of staff has ended the conversation; ticket no. { $id } is closed. If you need anything else, just write.
helpdesk-back-to-queue = The member of staff has left the conversation, and ticket no. { $id } goes back to the queue — someone else from the support team will answer.
helpdesk-back-to-bot = The member of staff has left the conversation. I, the office's assistant, will help from here; if you need a person, write "human".
help-helpdesk =
    • "human" — talk to a member of staff (the support team joins this chat),
    • "!tickets" — your tickets.
slow-down = You are writing faster than I can read. I will answer further messages in half a minute — it helps to put everything in one message.
helpdesk-own-tickets-empty = You have no tickets. To talk to a member of staff, write "human".
helpdesk-own-tickets =
    Your tickets:
    { $tickets }
helpdesk-own-ticket-line = { $state ->
    [pending] • no. { $id } — waiting for a member of staff (opened { $date })
    [open] • no. { $id } — { $agent } is handling it (opened { $date })
    [resolved] • no. { $id } — closed (opened { $date })
   *[bot] • no. { $id } — back with the assistant (opened { $date })
}
helpdesk-callback-number = We will gladly call you. Please give your phone number and the best time to call, e.g. "600 123 456, tomorrow after 2pm".
helpdesk-callback-taken = I have your callback request — ticket no. { $id }. We will call { $phone }{ $when }. I will let you know when someone from the support team takes it.
helpdesk-callback-taken-closed = I have your callback request — ticket no. { $id }. We will call { $phone }{ $when }. The support team will be back { $back }.
helpdesk-callback-agent-calls = { $agent } from the support team will call you on { $phone }.
helpdesk-callback-closed = Your callback request (ticket no. { $id }) is closed. If you need anything else, just write.
helpdesk-when = , { $when }
helpdesk-rating-question = How would you rate the help with ticket no. { $id }?
helpdesk-rating-answer = { $score ->
    [1] 1 — very poor
    [2] 2 — poor
    [3] 3 — fair
    [4] 4 — good
   *[5] 5 — very good
}
helpdesk-rating-thanks = Thank you for your rating — it helps us do better.

## Task lists
tasks-help =
    Tasks (in a room: the room's shared list; in a chat with me: your own):
    • "!task Title [@person] [due] [!urgent]" — a new task, e.g. "!task Quarterly report @ewa:urzad.pl by friday !urgent",
    • "!tasks [mine|overdue|all]" — the list,
    • "!done N", "!assign N @person", "!due N tomorrow at 12", "!delete N" — changes,
    • recurring tasks: "every monday at 9", "every weekday at 8", "on the 1st of every month" or "cron 0 9 * * 1" in the title or in "!due N …"; "!done N" moves them to the next time,
    • "!digest 8:30" — a daily digest at that hour ("!digest off" to stop it),
    • "!calendar" — the tasks with deadlines in your calendar (Outlook, Thunderbird, phone),
    • "!documents" — the files shared in the room,
    • "!meeting tomorrow at 10 Team meeting 45 min" — a meeting with an attendance poll ("!meetings" lists them, "!meeting cancel N").
tasks-unknown-filter = I don't know the list "{ $filter }". Write "!tasks", "!tasks mine", "!tasks overdue" or "!tasks all".
tasks-number-needed = Give the task's number, e.g. "!done 3". "!tasks" shows the numbers.
tasks-personal-no-assignee = Your personal list is yours alone, so its tasks are not assigned to others. Add shared tasks in your team's room.
tasks-added = Task { $number } added:
tasks-header-room = This room's open tasks ({ $count }):
tasks-header-personal = Your to-do list ({ $count }):
tasks-header-mine = Tasks assigned to you ({ $count }):
tasks-header-overdue = Overdue tasks ({ $count }):
tasks-header-all = All tasks, done ones too ({ $count }):
tasks-empty = The task list is empty. Add the first: "!task Title [@person] [due] [!urgent]".
tasks-empty-mine = No open tasks are assigned to you.
tasks-empty-overdue = No task is overdue.
tasks-more = … and { $count ->
    [one] one more task
   *[other] { $count } more tasks
    }. Narrow the list: "!tasks mine" or "!tasks overdue".
tasks-not-found = This list has no task { $number }. "!tasks" shows the numbers.
tasks-not-yours = Task { $number } can be changed by its author, its assignee or a room moderator.
tasks-already-done = Task { $number } is already done.
tasks-done = Done: { $number } "{ $title }". Thank you!
tasks-bad-user = "{ $user }" does not look like a Matrix ID. Write it in full, e.g. "@ewa:urzad.pl", or "nobody" to unassign.
tasks-assigned = Task { $number } is assigned to { $user }.
tasks-not-a-member = { $user } is not a member of this room, so they cannot be given its task. Invite them to the room, or assign the task to one of its members.
tasks-unassigned = Task { $number } is no longer assigned to anyone.
tasks-due-set = Task { $number } is due { $due }.
tasks-due-cleared = Task { $number } has no deadline any more.
tasks-done-next = Done: { $number } "{ $title }". Thank you! Next time: { $due }.
tasks-repeat-set = Task { $number } repeats { $rule }. Next due: { $due }.
tasks-repeat-stopped = Task { $number } no longer repeats; its deadline stays.
tasks-not-repeating = Task { $number } does not repeat anyway.
tasks-repeat-bad-cron = I don't understand the rule "{ $rule }". A cron rule has five fields: minute, hour, day of month, month, weekday, e.g. "cron 0 9 * * 1" (Mondays at 9). You can also write "every monday at 9".
tasks-repeat-never = That rule never comes round (e.g. 30 February), so the task would have no deadline. Give another.
tasks-repeat-too-often = A task can repeat at most once a day, e.g. "every day at 8".
tasks-repeat-mark = ↻ { $rule }
tasks-deleted = Task { $number } "{ $title }" deleted. Its number will not go to another task.
tasks-digest-moderators = A room moderator sets the hour of the room's digest.
tasks-digest-off = The daily task digest is off.
tasks-digest-bad-hour = I don't understand the hour "{ $text }". Write e.g. "!digest 8:30", or "!digest off".
tasks-digest-set = Every day at { $hour } I will post the open tasks here.
tasks-bad-date = I don't understand the deadline "{ $text }". Write e.g. "tomorrow", "on friday at 12", "in 3 days" or "31.12"; "none" removes the deadline.
tasks-date-past = That time has passed. Give one in the future, e.g. "tomorrow at 12".
tasks-no-title = A task needs a title, e.g. "!task Prepare the room for the session tomorrow".
tasks-title-too-long = The title has { $length } characters; { $limit } at most. Shorten it and write the details in the room.
tasks-due = due { $due }
tasks-overdue-mark = overdue
tasks-done-mark = done { $day }
tasks-alert-soon = Reminder: task { $number } "{ $title }" is due soon ({ $due }). { $user }
tasks-alert-overdue = Task { $number } "{ $title }" is overdue ({ $due }). { $user }, when it's ready, write "!done { $number }".
tasks-digest = Digest for { $day }: { $count } open, { $overdue } overdue.
feed-whose-clerk = your visits and tasks
feed-whose-personal = your tasks
feed-whose-room = this room's tasks
feed-address =
    The calendar ({ $whose }) to subscribe to in Outlook, Thunderbird or your phone:
    { $url }
    This address is yours alone and secret — do not share it. Save it now: for security it is not kept, so I cannot show it again. "!calendar new" makes a new address, and the previous one stops working.
feed-address-room =
    The calendar ({ $whose }) to subscribe to in Outlook, Thunderbird or your phone:
    { $url }
    This address is yours alone and works while you are a member of this room — do not share it. Save it now: for security it is not kept, so I cannot show it again. "!calendar new" makes a new address, and the previous one stops working.
feed-address-held = You already have your address of the calendar ({ $whose }). For security it is not kept, so I cannot show it again. If you no longer have it, write "!calendar new": you get a new address, and the previous one stops working.
feed-rotated =
    The new address of the calendar ({ $whose }):
    { $url }
    The previous address no longer works. Save this one now — I cannot show it again.

## The document register (files shared in a room)
documents-header = Documents shared in this room ({ $count }):
documents-empty = Nobody has shared a file in this room yet. Send a file and it joins the register; reply to it with "!task …" to attach it to a task.
documents-more = … and { $count ->
        [one] one older
       *[other] { $count } older
    }.
documents-recorded = The file "{ $name }" is in this chat's documents ("!documents"). To attach it to a task, reply to it with "!task …".
tasks-visit-follow-up = Follow-up of visit { $code }
tasks-visit-mark = ↪ visit { $code }
tasks-attachment-mark = 📎 { $name }

## Team meetings
meetings-in-rooms = Meetings are scheduled in a team's room: write there, e.g. "!meeting tomorrow at 10 Team meeting 45 min".
meetings-scheduled = Meeting no. { $number } "{ $title }": { $when }. Answer the poll below to say if you will come. I'll remind you { $minutes } minutes before it starts.
meetings-poll-question = Will you attend "{ $title }" ({ $when })?
meetings-yes = yes
meetings-no = no
meetings-maybe = maybe
meetings-none = This room has no meetings scheduled. Schedule one: "!meeting tomorrow at 10 Team meeting 45 min".
meetings-header = This room's meetings ({ $count }):
meetings-counts = yes: { $yes } · no: { $no } · maybe: { $maybe }
meetings-number-needed = Give the meeting's number, e.g. "!meeting cancel 2". "!meetings" shows the numbers.
meetings-not-found = This room has no meeting no. { $number }. "!meetings" shows the numbers.
meetings-already-cancelled = Meeting no. { $number } is already cancelled.
meetings-not-yours = Meeting no. { $number } can be cancelled by the person who scheduled it or a room moderator.
meetings-cancelled = Meeting no. { $number } "{ $title }" ({ $when }) is cancelled.
meetings-bad-duration = A meeting lasts from 5 minutes to 12 hours, and { $minutes } min was given. Write e.g. "45 min" or "1.5 h".
meetings-no-title = A meeting needs a subject, e.g. "!meeting tomorrow at 10 Team meeting".
meetings-no-repeat = For now I schedule single meetings. Give one time, e.g. "on monday at 9".
meetings-when-needed = When is the meeting? Write the day and hour, e.g. "!meeting tomorrow at 10 Team meeting".
meetings-hour-needed = At what time is the meeting? Add the hour, e.g. "at 10" or "at 13:30".
meetings-soon = In { $minutes } minutes: meeting no. { $number } "{ $title }" ({ $when }).
meetings-start = Meeting no. { $number } "{ $title }" ({ $when }) is starting.
meetings-video-link = Join the video call: { $link }

## Courses, the trainers' side
courses-trainers-only = Courses are published by the office's trainers. If you run trainings, ask the administrator to add you to the [courses] section of the office file.
courses-usage = To publish a course, send its file (.md, or a .zip package with its lessons' pictures and files) and reply to it with "!course publish". "!course export <course>" sends a course back for editing, "!course editor" gives a link to the editor, and "!live <course> <when> <topic>" schedules a live session in the course's room.
courses-reply-to-file = Reply with "!course publish" to the message with the course file (.md, or a .zip package), and I'll check and publish it.
courses-not-a-course-file = That is not a course file: reply to a text file (.md, up to 1 MB) that starts with a header between "---" lines, or to a .zip package (up to 20 MB) with such a file.
courses-file-unavailable = The file could not be fetched from the Matrix server just now. Try again in a moment: reply to the file with "!course publish".
courses-invalid = The course was not published: line { $line }: { $error }. Fix the file and send it again.
courses-invalid-package = The course was not published: { $error }. Fix the package and send it again.
courses-exported = The course "{ $title }" (version { $version }) is in the file below: Markdown with its questions in GIFT{ $package ->
        [yes] , in a .zip package with its lessons' pictures and files
       *[no] {""}
    }. You can edit it and publish it as a new version.
courses-published = Published the course "{ $title }" ({ $id }): { $lessons ->
        [one] 1 lesson
       *[other] { $lessons } lessons
    }, { $questions ->
        [one] 1 question
       *[other] { $questions } questions
    }, { $surveys ->
        [one] 1 survey
       *[other] { $surveys } surveys
    }.

## Courses, the learners' side
learning-how = You take the office's courses here, in the chat. Write "!courses" to see them and "!enrol <course>" to join one.
learning-in-direct-chat = I handle courses in a private chat: write to me directly.
learning-courses-header = Courses for you:
learning-course-line = • { $id } — "{ $title }" { $status ->
        [active] (in progress)
        [finished] (finished)
        [left] (left; "!enrol { $id }" to come back)
       *[none] ("!enrol { $id }" to join)
    }
learning-no-courses = There are no courses you can join right now.
learning-enrol-usage = Write "!enrol" and the course's name or a part of it, e.g. "!enrol segregacja". "!courses" lists them.
learning-which-course =
    Several courses fit — please write the short name of the one you mean:
    { $list }
learning-unknown-course = I do not know the course "{ $id }". "!courses" lists them.
learning-not-in-audience = This course is meant for another group of people, so I cannot enrol you.
learning-already-enrolled = You are already taking this course. Write "next" for its next part.
learning-already-finished = You have already finished this course.
learning-nothing-to-leave = You are not taking such a course now.
learning-leave-which = You are taking several courses: write "!leave" and the course's short name.
learning-left = You have left the course "{ $title }". Your results so far are kept.
learning-released = The course "{ $title }" is no longer meant for your group, so you have been unenrolled. Your results are kept.
learning-pace-on-demand = You get each next part when you write "next".
learning-pace-next = The first lesson comes on { $when }.
learning-welcome = You are enrolled in "{ $title }" ({ $id }): { $sections ->
        [one] 1 part
       *[other] { $sections } parts
    }. { $pace } To leave, write "!leave { $id }".
learning-lesson = Lesson { $number } of { $total }: { $title }
learning-quiz-started = Quiz "{ $title }": { $questions ->
        [one] 1 question
       *[other] { $questions } questions
    }, attempt { $attempt } of { $attempts }. Answer questions with options in the poll; your latest answer counts until the quiz closes.
learning-type-answer = Answer by writing a message.
learning-type-number = Answer with a number, e.g. 5 or 2.5.
learning-type-matching = Answer by pairing numbers with letters, e.g. "1b 2a 3c".
learning-unreadable = I do not understand this answer. Please try again.
learning-right = Right!
learning-partly = Partly right ({ $score }%).
learning-wrong = Not quite.
learning-received = Thank you, your answer is saved. The trainer will read it.
learning-quiz-closed = The quiz is over: { $score }%{ $passed ->
        [yes] { " " }— passed.
       *[no] , and { $pass }% is needed to pass. { $left ->
            [0] You have no attempts left.
            [one] You have 1 attempt left: write "retry" to try again or "next" to go on.
           *[other] You have { $left } attempts left: write "retry" to try again or "next" to go on.
        }
    }
learning-poll-closed = The quiz is closed. Score: { $score }%{ $passed ->
        [yes] , passed.
       *[no] .
    }
learning-survey-poll-ended = The survey is closed — thank you for your answers.
learning-survey-started = Survey "{ $title }": { $items ->
        [one] 1 question
       *[other] { $items } questions
    }.{ $anonymous ->
        [yes] { " " }It is anonymous: answers are kept without your name.
       *[no] {""}
    }
learning-survey-sent = Thank you for answering the survey!
learning-completed = Course finished{ $score ->
        [-1] .
       *[other] : score { $score }%{ $passed ->
            [yes] , passed.
           *[no] , not passed.
        }
    } Thank you for taking part!
learning-answer-first = Please answer the last question first.
learning-closed = This quiz or survey is closed; the answer was not saved.
learning-not-enrolled-vote = You are not taking this course, so the answer was not saved.
learning-nothing-to-retry = There is no quiz to retry.
learning-nothing-more = That was every part of the course.
learning-nothing-to-continue = You are not taking a course now. Write "!courses" to see them.

## Courses, the trainers' reports
courses-report-usage = Give the course's short name, e.g. "!results segregacja" or "!survey segregacja".
courses-id-needed = Name the course, e.g. "!course { $verb } segregacja".
courses-results = Results of "{ $title }": { $enrolled } enrolled, { $active } in progress, { $finished } finished, { $left } left. { $passed } passed{ $average ->
        [-1] .
       *[other] , average score { $average }%.
    } Details in the CSV file.
courses-score-chart = Scores: { $title }
courses-learners-label = People
courses-score-chart-caption = Chart: people per score band (10% each).
courses-survey-results = Survey results of "{ $title }":
courses-anonymous = { " " }(anonymous)
courses-answers-label = Answers
courses-survey-chart-caption = Chart: answers to the survey's first question.
courses-no-surveys = This course has no surveys.
courses-migrated = Moved to version { $version } of "{ $title }": { $count ->
        [one] 1 person
       *[other] { $count } people
    }. Each continues from the same part.
learning-migrated = The course "{ $title }" has a new version: you continue in it from the same part.
learning-room-name = Course: { $title }
learning-room-topic = Talk about the course ({ $id }). Lessons, quizzes and surveys come in a private chat with the office's bot.
learning-room-left = You have left the course "{ $title }".
learning-not-your-poll = You answer a course's questions in our private chat; this answer was not saved.
courses-editor-sent = I have sent you a link to the course editor in our private chat.
private-reply-sent = { $person }, I have sent the answer to our private, encrypted chat: it holds data for you alone.
courses-editor-link = The course editor: { $link }
    The link works for 15 minutes and only once; do not pass it on. "!course editor" gives a new one.

## A course file's errors (the line is said before them)
course-error-too-large = the file has { $bytes } bytes; at most { $max } are taken
course-error-no-front-matter = the file must start with front matter between two "---" lines
course-error-front-matter = the front matter cannot be read: { $detail }
course-error-bad-id = the short name "{ $id }" may only have lowercase letters, digits and dashes
course-error-audience = the audience rule (character { $column }): { $detail }
course-error-bad-pacing = the pacing "{ $pacing }" is neither "on demand" nor a cron schedule such as "0 9 * * 1-5"
course-error-bad-pass-score = the pass score { $score } is over 100
course-error-bad-hours = the hours "{ $hours }" are not a number between 0 and 1000, such as 2 or 1.5
course-error-badges-too-many = a course may have at most { $max } badges, not { $count }
course-error-badge-name = the badge name "{ $name }" must have 1 to { $max } characters
course-error-badge-same-name = two badges are named "{ $name }"
course-error-badge-rule = "{ $rule }" does not say what earns the badge; write "finished", "perfect", "score 90" or "lesson 2"
course-error-badge-no-quiz = the badge "{ $name }" is for a score, but the course has no quiz
course-error-badge-no-lesson = the badge "{ $name }" is for lesson { $number }, but the course has { $lessons ->
        [one] one lesson
       *[other] { $lessons } lessons
    }
course-error-unknown-section = "{ $heading }" is not a section; a heading starts with "Lekcja:", "Test:" or "Ankieta:"
course-error-text-before-sections = text before the first section
course-error-no-sections = the course has no sections
course-error-unclosed-block = a ``` block is never closed
course-error-missing-block = the section "{ $section }" has no ```{ $block } block
course-error-question = a quiz question: { $detail }
course-error-quiz-description = a quiz has only questions, not a description
course-error-bad-survey-item = "{ $item }" is not a survey item; write "skala: …", "wybór: … | … | …" or "tekst: …"
course-error-aiken-question = an Aiken question: { $detail }
course-error-remote-image = the picture "{ $url }" is on the web, and chat clients show only pictures sent with the message; put it in the course's .zip package
course-error-bad-file-name = "{ $name }" must be the path of a file in the course's package, without ".."
course-error-missing-file = the course's package has no file "{ $name }"; send the course as a .zip package with the course file (.md) and every picture and file of its lessons
course-error-not-an-image = "{ $name }" is not a picture (PNG, JPEG, GIF or WebP)
aiken-error-too-few-options = a question needs at least two options, "A. …" and "B. …"
aiken-error-no-answer = the question has no "ANSWER: <letter>" line
aiken-error-unknown-answer = the answer "{ $answer }" is none of the options' letters
aiken-error-unexpected = "{ $text }" is neither an option ("A. …") nor the answer ("ANSWER: A")
package-error-too-large = the package has { $bytes } bytes; at most { $max } are taken
package-error-not-zip = the file is not a .zip package
package-error-no-course-file = the package has no course file (.md) outside its folders
package-error-several-course-files = the package has several course files ({ $names }); it must have one
package-error-file-too-large = the file "{ $name }" has { $bytes } bytes unpacked; at most { $max } are taken
package-error-unpacks-too-large = the package unpacks to more than { $max } bytes
package-error-too-many-files = the package has more than { $max } files
package-error-not-text = the package's course file is not UTF-8 text
gift-error-unclosed = an answer block opened with "{"{"}" is never closed
gift-error-unopened = a "{"}"}" closes no answer block
gift-error-several-blocks = a question has one answer block; this one has more
gift-error-no-text = the question has no text
gift-error-unclosed-title = a title opened with "::" is never closed
gift-error-bad-answers = the answers "{ $block }" cannot be read
gift-error-no-right-answer = no answer is right (one needs "=" or a positive weight)
gift-error-bad-weight = the weight "{ $weight }" is not a percentage from -100 to 100
gift-error-bad-number = "{ $number }" is not a number
gift-error-too-few-pairs = a matching question needs at least two pairs "left -> right"
gift-error-empty-answer = an answer is empty
rule-error-unknown-attribute = unknown attribute "{ $name }"; known are office, department, role, kind and audience
rule-error-unknown-audience = unknown audience "{ $name }"; known are all-citizens, all-staff and everyone
rule-error-expected = expected { $expected }, found "{ $found }"
rule-error-unclosed = a quoted value is never closed
rule-error-empty = the rule is empty
