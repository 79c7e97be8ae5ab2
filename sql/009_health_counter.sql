-- Counts the writes of provider keys' health (a cooldown after a 429, an ejection, an invalid mark), so that every
-- instance adopts what another saw within a second (like change_counter for admin changes).
INSERT INTO settings (key, value, updated_at) VALUES ('health_counter', '0', 0);
