-- The run that last started for the subscription: only it may publish or stamp state. A run still going when
-- another one started (its partition moved to another instance meanwhile) stops at its next step, so it cannot
-- tombstone what the newer run saw.
ALTER TABLE subscription ADD COLUMN current_run_id uuid;
