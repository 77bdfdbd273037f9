-- A sender's messages of the last hour, counted on every message (FLOOD_PER_HOUR,
-- inbound.service.ts: beyond five, no answer and no urgency). On (channel, sender) alone the
-- count read every message the sender ever sent that is still kept: a bot's 100,000 messages
-- made each new one cost 21 ms on PostgreSQL (a sequential scan) and held the embedded
-- database's one connection as long. With received_at in the key it reads the hour's rows
-- only (0.3 ms). The new index serves every (channel, sender) lookup the old one did.
CREATE INDEX inbound_messages_sender_recent_idx ON inbound_messages (channel, sender, received_at);
DROP INDEX inbound_messages_sender_idx;
