-- Events waiting to be published. Each row is written in the same transaction as the state change it describes,
-- and a relay publishes it afterwards, so an event is neither lost after a commit nor sent for a rollback.
CREATE TABLE outbox_event (
    id           uuid        PRIMARY KEY,  -- the event id, also its CloudEvents ce_id
    seq          bigserial,                -- publication order: rows of one transaction share created_at
    topic        text        NOT NULL,
    kafka_key    text        NOT NULL,
    event_type   text        NOT NULL,     -- CloudEvents type, e.g. canopy.tenant.onboarded
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);

CREATE INDEX outbox_event_unpublished_seq ON outbox_event (seq) WHERE published_at IS NULL;
