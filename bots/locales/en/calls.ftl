# Video calls in rooms (!video, !join, !end).
calls-in-rooms = A video call is started in the room whose members are to join it: write “!video” there.
calls-link-sent = A video call is already under way in this room. I have sent you your own link in our private chat.
calls-link-sent-live = A live broadcast is on in this room. I have sent you your own link to it in our private chat.
calls-none = No video call is under way in this room. To start one, write “!video”.
calls-end-refused = A call can be ended by the person who started it or by a moderator of the room.
calls-end-refused-live = A broadcast can be ended by its presenter or by a moderator of the room.
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
# The call page (/rozmowa/…).
calls-page-title = Video call
calls-page-connecting = Connecting to the call…
calls-page-joined = You are in the call.
calls-page-refused = Could not join the call.
calls-page-disconnected = The connection to the call was lost. To come back, reload this page or write “!join” in the room.
calls-page-left = You left the call. To come back, reload this page or write “!join” in the room.
calls-page-no-camera = I cannot use your camera or microphone: others do not see or hear you, but you see and hear them.
calls-page-outside-widget = This page opens the call in the room's widget in Element Web and Desktop. In other apps, write “!join” in the room and I will send you your own link in our private chat.
calls-page-you = You
calls-page-participant = Participant
calls-page-media-error = Could not receive one participant's video.
calls-page-participants = Participants
calls-page-mute = Mute microphone
calls-page-camera = Turn camera off
calls-page-leave = Leave the call
calls-page-link-refused-title = This link does not work
calls-page-link-refused = This call link was used already or has expired, or the call has ended. Write “!join” in the room and I will send you a new one.
calls-page-enter = This is your own link to the video call. Your browser will ask to use your camera and microphone.
calls-page-enter-button = Join the call
calls-page-not-member = Only members of the call's room may join it.
calls-page-ended = This call has ended.
calls-page-unavailable = Video calls are unavailable right now. Try again in a moment.
calls-help = Video calls: “!video” (or “!meeting now”) starts a call in this room, “!join” sends you your own link, “!end” ends the call.
calls-visit-started = Your online visit is starting (code { $code }). The clerk has their own link; you join here: { $link }
    In Element Web and Desktop, open the call from this chat's widget. I have sent you your own link for a browser separately.
