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
