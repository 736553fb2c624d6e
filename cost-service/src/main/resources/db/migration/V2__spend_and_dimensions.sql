-- cost-service's copy of canopy.spend, canopy.resources and canopy.tags (see README "Data model"). Every id column
-- holding an ARM id is the normalized (lower-case) id, the topics' key and the only join key; the original spelling
-- is kept beside it for display. Versions 0.x (db/messaging) are the shared outbox and processed-event tables.

-- One row per key of canopy.spend (subscription, usage day, cost type): the snapshot whose lines are in spend_fact.
-- A later snapshot of the same key replaces the row and, through the cascade, all of its facts.
CREATE TABLE spend_day (
    subscription_id   text        NOT NULL,
    usage_date        date        NOT NULL,
    cost_type         text        NOT NULL CHECK (cost_type IN ('ACTUAL', 'AMORTIZED')),
    tenant_id         text        NOT NULL,
    source            text        NOT NULL,
    event_id          uuid        NOT NULL,
    collection_run_id uuid        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    line_count        integer     NOT NULL,
    PRIMARY KEY (subscription_id, usage_date, cost_type)
);

-- One spend line. Amounts are NUMERIC without precision or scale: exactly the decimal the event carried, summed
-- exactly; never a float. Amounts of different currencies are never added.
CREATE TABLE spend_fact (
    id                  bigserial PRIMARY KEY,
    subscription_id     text    NOT NULL,
    usage_date          date    NOT NULL,
    cost_type           text    NOT NULL,
    tenant_id           text    NOT NULL,
    resource_id         text,             -- null for a charge without a resource
    display_resource_id text,
    resource_group      text,             -- as the cost source spelled it
    resource_group_id   text,             -- /subscriptions/{s}/resourcegroups/{rg}: the key of the group's tags
    service_name        text,
    meter_category      text,
    amount              numeric NOT NULL,
    currency            text    NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    FOREIGN KEY (subscription_id, usage_date, cost_type)
        REFERENCES spend_day (subscription_id, usage_date, cost_type) ON DELETE CASCADE
);
-- Every query is one tenant, one cost type and a day range.
CREATE INDEX spend_fact_tenant_type_day ON spend_fact (tenant_id, cost_type, usage_date);
-- The cascade from spend_day.
CREATE INDEX spend_fact_day_key ON spend_fact (subscription_id, usage_date, cost_type);

-- The latest ResourceSnapshot per resource or resource group; a ResourceDeleted or a tombstone deletes the row (the
-- spend stays: it is not tied to this table).
CREATE TABLE resource_dim (
    resource_id     text        PRIMARY KEY,
    display_id      text        NOT NULL,
    tenant_id       text        NOT NULL,
    subscription_id text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('RESOURCE', 'RESOURCE_GROUP')),
    name            text        NOT NULL,
    resource_type   text        NOT NULL,
    location        text        NOT NULL,  -- lower-cased: Azure compares regions ignoring case
    resource_group  text,                  -- as Azure spells it
    observed_at     timestamptz NOT NULL
);

-- The latest TagSnapshot per resource, resource group or subscription; a tombstone deletes it and its tags.
CREATE TABLE tag_set (
    resource_id     text        PRIMARY KEY,
    display_id      text        NOT NULL,
    tenant_id       text        NOT NULL,
    subscription_id text        NOT NULL,
    observed_at     timestamptz NOT NULL
);

-- The tags of a tag set in Azure's order. name_key is the lower-cased name: grouping by a tag ignores the key's case,
-- as Azure does, while name keeps the spelling found.
CREATE TABLE tag_entry (
    resource_id text    NOT NULL REFERENCES tag_set (resource_id) ON DELETE CASCADE,
    position    integer NOT NULL,
    name        text    NOT NULL,
    name_key    text    NOT NULL,
    value       text    NOT NULL,
    PRIMARY KEY (resource_id, position)
);
CREATE INDEX tag_entry_name_key ON tag_entry (name_key, resource_id);
