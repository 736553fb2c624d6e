-- A customer tenant Canopy was onboarded to. Ids are lower-cased GUIDs, as on the topics.
CREATE TABLE tenant (
    id                          text        PRIMARY KEY,
    service_principal_object_id text        NOT NULL,  -- Canopy's service principal in that tenant
    state                       text        NOT NULL,  -- active | offboarded
    onboarded_by                text        NOT NULL,  -- object id of the consenting Azure admin
    onboarded_at                timestamptz NOT NULL,
    offboarded_at               timestamptz
);

-- Every subscription an onboarding saw, with what Canopy may do there.
CREATE TABLE subscription (
    id                     text        PRIMARY KEY,
    tenant_id              text        NOT NULL REFERENCES tenant (id),
    display_name           text        NOT NULL,
    state                  text        NOT NULL,  -- onboarding | active | skipped | access-lost | offboarded
    state_reason           text,                  -- why skipped / access lost
    policy                 text,                  -- a SyncPolicy name; null while Canopy has no access
    cost_management_reader boolean     NOT NULL DEFAULT false,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX subscription_tenant ON subscription (tenant_id);

-- One consent round trip. It never holds a token: the delegated token lives in memory for the run only.
CREATE TABLE onboarding_session (
    id                 uuid        PRIMARY KEY,
    kind               text        NOT NULL,  -- onboard | add-subscriptions
    created_by         text        NOT NULL,  -- platform user (token subject) who opened it
    allowed_tenant_ids text        NOT NULL,  -- space-separated: tenants the creator administers; the consent must come from one
    state              text        NOT NULL,  -- awaiting-consent | running | completed | failed
    tenant_id          text,                  -- from the verified id token's tid, once consented
    detail             text,                  -- outcome summary or the failure
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- The outcome per subscription of one session.
CREATE TABLE onboarding_outcome (
    session_id      uuid NOT NULL REFERENCES onboarding_session (id),
    subscription_id text NOT NULL,
    display_name    text NOT NULL,
    outcome         text NOT NULL,  -- assigned | skipped | failed
    reason          text,           -- skipped: why; failed: Azure's error code and message
    PRIMARY KEY (session_id, subscription_id)
);
