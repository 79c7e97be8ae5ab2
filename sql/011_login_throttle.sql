-- Failed password logins, counted where every instance looks, so that a lockout holds on all of them and survives a
-- restart (auth/LoginThrottle). One row per address and account tried from it, and one per address over all its
-- accounts (account '*'; an account's rows are 'user:<name>'). Rows are forgotten once their window and lockout are over.
CREATE TABLE login_throttle (
    address TEXT NOT NULL,
    account TEXT NOT NULL,
    failures INTEGER NOT NULL,
    since BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (address, account)
);
CREATE INDEX login_throttle_account ON login_throttle (account);
