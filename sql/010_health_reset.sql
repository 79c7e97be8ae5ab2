-- When an admin last reset a provider key's health (cooldown, ejection, invalid mark cleared): every instance that
-- still holds a mark from before clears it too (RoutingStore::adoptHealth).
ALTER TABLE provider_keys ADD COLUMN health_reset_at BIGINT;
