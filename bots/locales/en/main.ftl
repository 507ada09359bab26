help =
    Hello! I am the assistant of { $office }.
    I answer in English now; napisz „!język pl”, aby wrócić do polskiego.
    What I can do right now:
    • "help" — this list,
    • "!lang en" or "!lang pl" — change the language of my answers.
    Booking visits, tasks, courses and talking to a person are coming here soon.
greeting = Hello! How can I help? Write "help" and I will show you what I can do.
thanks = You're welcome! If you need anything else, I'm here.
not-understood = I don't understand this message yet. Write "help" and I will show you what I can do.
unknown-command = I don't know the command "{ $command }". Write "help" to see the available commands.
empty-message = This message is empty. Tell me what you need, or write "help" to see the commands.
too-long =
    This message is too long: it has { $length } { $count ->
        [one] character
       *[other] characters
    }, and I accept at most { $limit }. Please write a shorter message.
non-text = For now I only understand text messages. Please describe your matter in words, or write "help".
language-set = All right, from now on I answer in English.
language-unknown = I don't know the language "{ $language }". I can write in Polish ("!lang pl") or English ("!lang en").
invite-refused = This assistant serves only users from these servers: { $servers }.
