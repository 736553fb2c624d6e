-- The read-side views of tag-sync-service, each rebuilt from its topic (see README "Views").

-- How far each view has applied its topic: per partition, the offset after the last record applied, dead-lettered or
-- skipped as a duplicate. Written in the same transaction as the record's effect, so the views and their positions
-- never disagree; consumers seek here on partition assignment (an empty table rebuilds the views from the start).
CREATE TABLE view_position (
    topic            text    NOT NULL,
    kafka_partition  integer NOT NULL,
    next_offset      bigint  NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);

-- The latest SubscriptionPolicyChanged per subscription (canopy.subscription-policies). No row = no policy seen =
-- write nothing.
CREATE TABLE subscription_policy (
    subscription_id text        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    policy          text        NOT NULL,
    changed_at      timestamptz NOT NULL,  -- the event's occurredAt: when consent-service acknowledged it
    event_id        uuid        NOT NULL
);

-- Tenants named on canopy.tenants, and whether the newest of their events offboarded them.
CREATE TABLE known_tenant (
    tenant_id   text        PRIMARY KEY,
    offboarded  boolean     NOT NULL,
    changed_at  timestamptz NOT NULL
);

-- The tenant each subscription belongs to. assigned_at is the occurredAt of the event that named the tenant: events of
-- two tenants sit on different partitions, so a moved subscription follows the newer event, not the reading order.
CREATE TABLE known_subscription (
    subscription_id text        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    assigned_at     timestamptz NOT NULL
);
CREATE INDEX known_subscription_tenant ON known_subscription (tenant_id);

-- The latest TagSnapshot per resource (canopy.tags); a tombstone deletes the row. tags is a JSON array of
-- [name, value] pairs: jsonb keeps array order but not object key order, and Azure's order is kept.
CREATE TABLE collected_tag_set (
    resource_id     text        PRIMARY KEY,  -- normalized (lower-case) ARM id, the Kafka key
    display_id      text        NOT NULL,
    subscription_id text        NOT NULL,
    tenant_id       text        NOT NULL,
    tags            jsonb       NOT NULL,
    observed_at     timestamptz NOT NULL
);
CREATE INDEX collected_tag_set_subscription ON collected_tag_set (subscription_id);
