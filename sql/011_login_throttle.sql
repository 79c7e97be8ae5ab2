-- Failed password logins, counted where every instance looks, so that a lockout holds on all of them and survives a
-- restart (auth/LoginThrottle). One row per address and account tried from it ('user:<name>'), and one per address
-- over all its accounts ('*'), which counts in windows from `since` (the failures of this window and the last, for a
-- sliding estimate). Rows are forgotten once their window and lockout are over.
CREATE TABLE login_throttle (
    address TEXT NOT NULL,
    account TEXT NOT NULL,
    failures INTEGER NOT NULL,
    previous_failures INTEGER NOT NULL,
    since BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (address, account)
);
CREATE INDEX login_throttle_account ON login_throttle (account);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_at);
