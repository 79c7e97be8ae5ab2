-- Counts the admin changes that every gateway instance must see (keys, pools, provider types, users, prices).
-- Every change adds one in its own transaction; each instance reads the counter now and then (and at once when
-- Redis tells it), and rebuilds its routing snapshot when the count moved. A migration that changes such data by
-- hand should add one too.
INSERT INTO settings (key, value, updated_at) VALUES ('change_counter', '0', 0);
