-- Cost-export imports (POST /imports, see README "Imports" and ADR 0008). The spend an import brings is in
-- spend_day/spend_fact like any other (source COST_EXPORT, collection_run_id = the import's id), written through
-- SpendLedger; this table records each import, and makes a second upload of the same bytes a no-op.

CREATE TABLE cost_import (
    id                  uuid        PRIMARY KEY,
    tenant_id           text        NOT NULL,
    format              text        NOT NULL CHECK (format IN ('FOCUS_1_0', 'EA', 'MCA')),
    -- The cost types imported, in the order ACTUAL, AMORTIZED: part of the idempotency key, since the same EA file
    -- may be imported once as ACTUAL and once as AMORTIZED (its headers cannot tell).
    cost_types          text[]      NOT NULL,
    body_sha256         text        NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
    body_bytes          bigint      NOT NULL,
    rows_read           bigint      NOT NULL,
    rows_imported       bigint      NOT NULL,
    rows_skipped        bigint      NOT NULL,
    skipped_by_provider jsonb       NOT NULL,  -- {"AWS": 942, …}: rows of other providers in a FOCUS file
    days_replaced       integer     NOT NULL,  -- (subscription, usage day, cost type) keys replaced
    first_day           date,                  -- null for an import without rows
    last_day            date,
    totals              jsonb       NOT NULL,  -- {"ACTUAL": [{"currency": "USD", "amount": "1.25"}], …}, amounts as strings
    created_at          timestamptz NOT NULL,
    created_by          text        NOT NULL,  -- the caller's token subject
    UNIQUE (tenant_id, body_sha256, cost_types)
);
CREATE INDEX cost_import_tenant_created ON cost_import (tenant_id, created_at DESC);

-- The tenant guard of an import looks subscriptions up here (spend_day has them first in its primary key).
CREATE INDEX resource_dim_subscription ON resource_dim (subscription_id);
