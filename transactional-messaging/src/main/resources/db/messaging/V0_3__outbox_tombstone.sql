-- A row may be a tombstone: a record with a null value under a key of a compacted topic (what the key stood for is
-- gone). It has no event type and no payload; an event has both.
ALTER TABLE outbox_event ALTER COLUMN event_type DROP NOT NULL;
ALTER TABLE outbox_event ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE outbox_event ADD CONSTRAINT outbox_event_tombstone_has_neither
    CHECK ((event_type IS NULL) = (payload IS NULL));
