-- Event ids this service has already handled. A consumer inserts the id in the same transaction as the effects of
-- the event, so a redelivered event (Kafka delivers at least once) is recognised and skipped.
CREATE TABLE processed_event (
    event_id     uuid        PRIMARY KEY,
    topic        text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
