-- Every tag edit the API accepted, from acceptance to its one terminal outcome: the audit trail. Written with the
-- TagEditRequested outbox row in one transaction, so an accepted edit is never lost.
CREATE TABLE tag_edit (
    edit_id             uuid        PRIMARY KEY,
    seq                 bigserial   NOT NULL UNIQUE,  -- acceptance order: list order and paging cursor
    batch_id            uuid,                         -- the bulk request, null for a single edit
    tenant_id           text        NOT NULL,
    subscription_id     text        NOT NULL,
    resource_id         text        NOT NULL,         -- normalized (lower-case) ARM id
    display_resource_id text        NOT NULL,         -- Azure's casing, used for the Tags API call
    operation           text        NOT NULL,         -- MERGE | REPLACE | DELETE
    tags                text        NOT NULL,         -- JSON object as text: jsonb would reorder the names
    requested_by        text        NOT NULL,         -- the platform user (token subject)
    requested_at        timestamptz NOT NULL,
    state               text        NOT NULL,         -- PENDING | WRITING | DONE
    outcome             text,                         -- TagEditOutcome.Outcome once DONE
    policy_seen         text,
    reason              text,
    azure_request       text,                         -- the Tags API request sent (method, url, body)
    azure_tags          text,                         -- the tags Azure held afterwards, as read back
    attempts            integer     NOT NULL DEFAULT 0,
    sent_at             timestamptz,
    decided_at          timestamptz
);
CREATE INDEX tag_edit_resource ON tag_edit (resource_id, seq);
CREATE INDEX tag_edit_batch ON tag_edit (batch_id, seq) WHERE batch_id IS NOT NULL;
CREATE INDEX tag_edit_tenant ON tag_edit (tenant_id, seq);
CREATE INDEX tag_edit_open ON tag_edit (state) WHERE state <> 'DONE';

-- Tags kept in Canopy only (policy READ_TAGS_ONLY): one row per resource and tag name (matched case-insensitively).
CREATE TABLE platform_tag (
    resource_id text        NOT NULL,
    name_folded text        NOT NULL,  -- the name in lower case: Azure treats names case-insensitively
    name        text        NOT NULL,
    value       text        NOT NULL,
    edit_id     uuid        NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (resource_id, name_folded)
);

-- The value Canopy last wrote to Azure per resource and tag name, to notice when Azure's value changes afterwards.
CREATE TABLE written_tag (
    resource_id   text        NOT NULL,
    name_folded   text        NOT NULL,
    name          text        NOT NULL,
    value         text        NOT NULL,
    edit_id       uuid        NOT NULL,
    written_at    timestamptz NOT NULL,
    drifted_to    text,                  -- Azure's value when drift was reported (reported once per change)
    drift_seen_at timestamptz,
    PRIMARY KEY (resource_id, name_folded)
);
