-- Revocations every instance honours, kept where every instance looks: the access tokens ended by a logout (until
-- they would expire anyway), and the moment a user's sessions were all ended (a reused refresh token, a disabled
-- or deleted user): access tokens issued before it are refused.
ALTER TABLE users ADD COLUMN sessions_ended_at BIGINT;

CREATE TABLE revoked_access_tokens (
    jti TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
