#pragma once

#include "auth/LoginThrottle.h"
#include "common/Actor.h"
#include "common/Result.h"
#include "crypto/SecureBytes.h"
#include "service/ServiceContext.h"

#include <QJsonObject>

#include <functional>
#include <future>

// Admin sessions: password login with brute-force limits, short-lived HS256 access tokens (JWT), rotating refresh
// tokens (only their hash stored), logout, password changes, and the Actor behind an access token.
// The signing secret is made on first start and stored encrypted in the settings table.
class AuthService
{
public:
    static constexpr int kAccessTokenSeconds = 15 * 60;
    static constexpr qint64 kRefreshTokenMs = 30LL * 24 * 3600 * 1000;

    struct Session
    {
        QString accessToken;
        qint64 expiresInSeconds = kAccessTokenSeconds;
        QString refreshToken;
        qint64 refreshExpiresInSeconds = kRefreshTokenMs / 1000;
        qint64 userId = 0;
        QString username;
        QString role;
    };

    explicit AuthService(ServiceContext& context);

    // Loads (or on first start creates) the JWT signing secret.
    Result<void> initialize();

    // Milliseconds since the epoch for every decision here (token times, lockouts); tests move it.
    void setClock(std::function<qint64()> nowMs) { m_nowMs = std::move(nowMs); }

    // unauthenticated "invalid username or password" for an unknown user, a wrong password or a disabled user alike;
    // too_many_requests while the user or the address is locked out (the password is then not even checked), with
    // the seconds to wait in *retryAfterSeconds.
    Result<Session> login(const QString& username, const QString& password, const QString& clientAddress,
                          int* retryAfterSeconds = nullptr);

    // A new pair for a valid refresh token, which is revoked. A refresh token presented again after its rotation
    // means it was copied: every session of its user ends (refresh and access tokens) and the audit log says so.
    Result<Session> refresh(const QString& refreshToken, const QString& clientAddress);

    // Ends the caller's session: its refresh token (which must be the caller's) and the access token it sent.
    Result<void> logout(const Actor& actor, const QString& refreshToken, QByteArrayView accessToken);

    // The caller changes their own password; answers a fresh session, as every older token stops working.
    // A wrong current password counts as a failed login.
    Result<Session> changePassword(const Actor& actor, const QString& currentPassword, const QString& newPassword,
                                   int* retryAfterSeconds = nullptr);

    // Stores a new password for a user (policy checked): older access tokens stop working, refresh tokens are
    // revoked, a lockout is lifted. No permission check: callers (this class, UserService) do that.
    Result<void> setPassword(qint64 userId, const QString& newPassword);

    // The Actor for a valid access token of an enabled, existing user whose password did not change since and
    // whose token was not revoked by a logout.
    Result<Actor> authenticate(QByteArrayView accessToken, const QString& clientAddress);

private:
    Result<Session> issue(qint64 userId, const QString& username, const QString& role, const QString& clientAddress);
    Result<QJsonObject> verifiedClaims(QByteArrayView accessToken) const;
    Result<bool> passwordSetSinceFailures(const QString& username, const QString& clientAddress);
    Error lockedOut(const Actor& attempt, qint64 waitMs, const QString& reason, int* retryAfterSeconds);
    void recordFailure(const Actor& attempt, const QString& reason);
    qint64 now() const { return m_nowMs(); }

    ServiceContext& m_context;
    SecureBytes m_jwtSecret;
    // Unknown users are checked against this, so the response time does not reveal which usernames exist. Made on a
    // thread of its own at start (a scrypt hash is half of gatehoused's start-up time otherwise); the first login
    // waits for it if it comes sooner.
    std::shared_future<QString> m_unknownUserHash;
    LoginThrottle m_throttle;
    std::function<qint64()> m_nowMs;
};
