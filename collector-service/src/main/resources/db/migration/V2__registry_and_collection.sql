-- The subscription registry, rebuilt from canopy.tenants and canopy.subscription-policies. registry_partition is
-- the canopy.tenants partition the subscription's tenant lives on: the instance that owns that partition collects it.
CREATE TABLE subscription (
    subscription_id      text        PRIMARY KEY,
    tenant_id            text        NOT NULL,
    display_name         text        NOT NULL,
    cost_reader          boolean     NOT NULL,
    active               boolean     NOT NULL,
    policy               text,
    registry_partition   integer     NOT NULL,
    next_run_at          timestamptz NOT NULL,
    run_requested        boolean     NOT NULL DEFAULT false
);
CREATE INDEX subscription_tenant ON subscription (tenant_id);

-- What the collector last published per resource (or resource group): the fingerprints decide whether a new
-- snapshot is owed; a row whose last_run_id is not the latest complete run is a resource that vanished.
CREATE TABLE resource_state (
    resource_id      text PRIMARY KEY,
    subscription_id  text NOT NULL,
    tenant_id        text NOT NULL,
    display_id       text NOT NULL,
    resource_fp      text,
    tag_fp           text,
    last_run_id      uuid NOT NULL
);
CREATE INDEX resource_state_subscription ON resource_state (subscription_id);

-- The fingerprint of the last SpendSnapshot published per key (subscription/day/cost type).
CREATE TABLE spend_state (
    spend_key        text PRIMARY KEY,
    subscription_id  text NOT NULL,
    fingerprint      text NOT NULL
);

-- One row per collection run, for GET /collections and the audit of partial and access-lost runs.
CREATE TABLE collection_run (
    run_id           uuid        PRIMARY KEY,
    subscription_id  text        NOT NULL,
    tenant_id        text        NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    state            text        NOT NULL,
    reason           text,
    pages_done       bigint      NOT NULL DEFAULT 0,
    resources_seen   bigint      NOT NULL DEFAULT 0,
    snapshots_published bigint   NOT NULL DEFAULT 0,
    tombstones_published bigint  NOT NULL DEFAULT 0,
    spend_state      text,
    spend_reason     text,
    spend_snapshots_published bigint NOT NULL DEFAULT 0
);
CREATE INDEX collection_run_subscription ON collection_run (subscription_id, started_at DESC);
