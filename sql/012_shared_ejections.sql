-- When a provider key's ejection (after failures in a row) ends, saved with the rest of its health so that every
-- instance honours an ejection one of them made, as it does a 429 cooldown.
ALTER TABLE provider_keys ADD COLUMN ejected_until BIGINT;
