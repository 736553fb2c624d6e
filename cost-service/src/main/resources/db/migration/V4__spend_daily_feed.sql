-- What canopy.spend-daily was last given per spend key (see README "The canopy.spend-daily feed"): written in the
-- transaction that stored the day, together with the outbox row of its SpendDailyTotal. A day replaced with the same
-- tenant, source, line count and totals is not published again; a removed day's row goes with its tombstone.
CREATE TABLE spend_daily_feed (
    subscription_id text        NOT NULL,
    usage_date      date        NOT NULL,
    cost_type       text        NOT NULL,
    tenant_id       text        NOT NULL,
    source          text        NOT NULL,
    line_count      integer     NOT NULL,
    totals          text        NOT NULL,  -- per currency, compared by value: 'EUR 12.5;USD 3' ('' for no spend)
    event_id        uuid        NOT NULL,  -- the SpendDailyTotal that carried them
    occurred_at     timestamptz NOT NULL,
    PRIMARY KEY (subscription_id, usage_date, cost_type)
);
