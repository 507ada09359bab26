# Video calls in rooms (!video, !join, !end).
calls-in-rooms = A video call is started in the room whose members are to join it: write “!video” there.
calls-link-sent = A video call is already under way in this room. I have sent you your own link in our private chat.
calls-none = No video call is under way in this room. To start one, write “!video”.
calls-end-refused = A call can be ended by the person who started it or by a moderator of the room.
calls-started = { $by } is starting a video call: { $link }
    In Element Web and Desktop, open it from the room's widget. In other apps, write “!join” here and I will send you your own link in our private chat. To end the call, write “!end”.
calls-no-widget = I cannot add the call's widget to this room: I need moderator rights (power level 50). The link works without it.
calls-your-link = Your own link to the video call: { $link }
    It works once, for { $minutes } min. Do not pass it on: it is your own way in. When it expires, write “!join” in the room.
calls-ended-by = { $by } ended the video call. It lasted { $minutes } min.
calls-ended-empty = The video call ended because nobody was in it. It lasted { $minutes } min.
calls-unavailable = I cannot start a video call now: the office's video server does not answer. Try again in a few minutes, and if it happens again, tell the administrator.
calls-not-configured = Video calls are not enabled in this office. The administrator enables them in the configuration (the [calls] section).
calls-widget-name = Video call
