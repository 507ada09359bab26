-- The rooms that are a person's private chat with the bot: opened as a direct chat (`is_direct`)
-- by the person, whose invitation the bot accepted, or by the bot itself. Only there does the
-- bot say agendas, queues and personal addresses; a room is not private merely because it has
-- two members.
CREATE TABLE private_chats (
    room_id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL,
    opened_at BIGINT NOT NULL
);
CREATE INDEX private_chats_user ON private_chats (user_id);

-- Direct chats recorded before were known by their member count alone, which is not proof
-- enough: messages for a person now go to a private chat, which the bot opens anew if needed.
DELETE FROM direct_rooms;
