# LIVE events (!wydarzenie, !wydarzenia, !pytanie, !pytania).
live-in-rooms = LIVE events are scheduled in the room whose members are to watch: write there, e.g. “!event tomorrow at 10 New admission rules 45 min”.
live-presenters-only = LIVE events are scheduled by trainers, clerks and the room's moderators. If you want to present something, ask one of them.
live-scheduled = LIVE event no. { $number } “{ $title }”: { $when }. Presented by { $presenter }.
    { $reminders ->
        [both] I will remind the room a day before and { $minutes } minutes before the start.
        [soon] I will remind the room { $minutes } minutes before the start.
       *[none] It starts soon.
    } At the start I will post the link to the broadcast here; only the presenter sends video and sound. Ask questions here (“!question …” or simply a sentence ending with a question mark), and support others' with a reaction, e.g. 👍.
live-none = This room has no LIVE events scheduled. Schedule one: “!event tomorrow at 10 New admission rules”.
live-header = This room's LIVE events ({ $count }):
live-line = • no. { $number } “{ $title }” — { $when }, presented by { $presenter }
live-number-needed = Give the event's number, e.g. “!event cancel 2”. “!events” shows the numbers.
live-not-found = This room has no event no. { $number }. “!events” shows the numbers.
live-already-cancelled = Event no. { $number } is already cancelled.
live-already-over = Event no. { $number } has already taken place.
live-not-yours = Event no. { $number } can be cancelled by its presenter or a room moderator.
live-cancelled = LIVE event no. { $number } “{ $title }” ({ $when }) is cancelled.
live-bad-duration = An event may last from 5 minutes to 12 hours, and { $minutes } min was given. Write e.g. “45 min” or “1.5 h”.
live-no-title = An event needs a title, e.g. “!event tomorrow at 10 New admission rules”.
live-no-repeat = For now I schedule single events. Give one time, e.g. “on Thursday at 12”.
live-when-needed = When is the event? Write the day and the hour, e.g. “!event tomorrow at 10 New admission rules”.
live-hour-needed = What time does the event start? Add the hour, e.g. “at 10” or “at 13:30”.
live-tomorrow = Tomorrow: LIVE event no. { $number } “{ $title }” ({ $when }), presented by { $presenter }. I will post the link here at the start.
live-soon = In { $minutes } minutes: LIVE event no. { $number } “{ $title }” ({ $when }). The link will appear here at the start.
live-on-air = 🔴 LIVE: “{ $title }”, presented by { $presenter }. Watch: { $link }
    Watching now: { $viewers }.
    { $widget ->
        [yes] In Element Web and Desktop the broadcast is in the room's widget. In another app write “!join” here and I will send you a personal link in a private chat.
       *[no] To watch, write “!join” here and I will send you a personal link in a private chat.
    } Ask questions in the room; “!questions” lists them, most supported first.
live-in-call-under-way = A video call is already under way in this room, so the event “{ $title }” takes place in it: the presenter got a link in a private chat, and everyone else joins with “!join”.
live-off-air = The broadcast “{ $title }” has ended. It lasted { $minutes } min; most viewers at once: { $viewers }. “!questions” lists the questions asked.
live-no-questions-now = No LIVE event is on now, so there is nowhere to note your question. I take questions from an hour before an event starts until it ends; “!events” shows the times.
live-question-empty = Write your question after “!question”, e.g. “!question Can the application be filed online?”.
live-question-noted = Question noted. Others can support it with a reaction, e.g. 👍; “!questions” shows the queue.
live-no-event = No LIVE event is on in this room or ended in the last day, so there are no questions to show.
live-no-questions = No one has asked a question for event no. { $number } “{ $title }” yet.
live-questions-header = Questions for event no. { $number } “{ $title }” ({ $count }), most supported first:
live-question-line = { $place }. { $text } — { $asker } · { $upvotes ->
        [0] no votes
        [one] { $upvotes } vote
       *[other] { $upvotes } votes
    }
live-help = LIVE events: “!event tomorrow at 10 Title” schedules a broadcast (trainers, clerks, moderators), “!events” lists them, “!question …” asks a question, “!questions” lists them, most supported first.
# The broadcast page (/rozmowa/…), for viewers.
live-page-waiting = Waiting for the presenter to start…
live-page-watching = You are watching the broadcast.
live-page-viewers = Viewers: { $viewers }
live-page-presenting = You are on air. Viewers see and hear only you.
# Courses' live sessions (!live).
live-course-usage = A course's live session is scheduled by a trainer: “!live <course> <when> <topic>”, e.g. “!live rodo on Thursday at 12 Questions and answers 45 min”. It takes place in the course's room, and the course's learners get an invitation and reminders in their private chats.
live-course-trainers-only = Courses' live sessions are scheduled by the office's trainers. If you run trainings, ask the administrator to add you to the [courses] section of the office file.
live-course-not-found = There is no course “{ $course }”. Give the course's short name as “!courses” shows it, e.g. “!live rodo tomorrow at 10 Questions and answers”.
live-course-which = Which course do you mean: { $courses }? Write, for example, “!live { $example } tomorrow at 10 Questions and answers”.
live-course-no-room = The course “{ $course }” has no room, and live sessions take place in the course's room. Add “room: true” to the course file and publish it again.
live-course-scheduled = Live session of the course “{ $course }” (event no. { $number } in the course's room): “{ $title }”, { $when }. You present it. { $learners ->
        [0] The course has no learners yet.
        [one] The invitation went to the course's 1 learner.
       *[other] The invitation went to the course's { $learners } learners.
    } { $reminders ->
        [both] I will remind them a day before and { $minutes } minutes before the start.
        [soon] I will remind them { $minutes } minutes before the start.
       *[none] It starts soon.
    } At the start the link appears in the course's room, and each learner gets their own in a private chat.
live-course-announced = Live session of the course “{ $course }”: “{ $title }”, { $when }. Presented by { $presenter }. The link to the broadcast will appear here at the start. Ask questions here (“!question …” or a sentence ending with a question mark), and support others' with a reaction, e.g. 👍.
live-course-invitation = You are invited to a live session of the course “{ $course }”: “{ $title }”, { $when }. Presented by { $presenter }. At the start I will send you a personal link here; questions can be asked in the course's room.
live-course-tomorrow = Tomorrow: a live session of the course “{ $course }”: “{ $title }” ({ $when }). I will send you a personal link here at the start.
live-course-soon = In { $minutes } minutes: a live session of the course “{ $course }”: “{ $title }” ({ $when }). I will send you a personal link here at the start.
live-course-cancelled = The live session of the course “{ $course }”: “{ $title }” ({ $when }) is cancelled. No link will come; I will tell you when the trainer sets a new time.
live-course-bad-duration = A session may last from 5 minutes to 12 hours, and { $minutes } min was given. Write e.g. “45 min” or “1.5 h”.
live-course-no-title = Give the session's topic, e.g. “!live rodo tomorrow at 10 Questions and answers”.
live-course-no-repeat = For now I schedule single sessions. Give one time, e.g. “on Thursday at 12”.
live-course-when-needed = When is the session? Write the day and the hour, e.g. “!live rodo tomorrow at 10 Questions and answers”.
live-course-hour-needed = What time does the session start? Add the hour, e.g. “at 10” or “at 13:30”.
