-- Owed tombstones are found and sent per subscription (OwedTombstones): the spend rows of a subscription and the rows
-- of a subscription that still have a published tag snapshot are looked up without scanning the whole table.
CREATE INDEX spend_state_subscription ON spend_state (subscription_id);
CREATE INDEX resource_state_subscription_tagged ON resource_state (subscription_id) WHERE tag_fp IS NOT NULL;
