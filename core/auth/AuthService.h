#pragma once

#include "app/AdminContext.h"
#include "auth/Actor.h"
#include "common/Result.h"
#include "crypto/SecureBytes.h"

// Admin sessions: password login, short-lived HS256 access tokens (JWT) and the Actor behind a token.
// The signing secret is made on first start and stored encrypted in the settings table.
class AuthService
{
public:
    static constexpr int kAccessTokenSeconds = 15 * 60;

    struct Session
    {
        QString accessToken;
        qint64 expiresInSeconds = kAccessTokenSeconds;
        qint64 userId = 0;
        QString username;
        QString role;
    };

    explicit AuthService(AdminContext& context) : m_context(context) {}

    // Loads (or on first start creates) the JWT signing secret.
    Result<void> initialize();

    // unauthenticated "invalid username or password" for an unknown user, a wrong password or a disabled user alike.
    Result<Session> login(const QString& username, const QString& password, const QString& clientAddress);

    // The Actor for a valid access token of an enabled, existing user whose password did not change since.
    Result<Actor> authenticate(QByteArrayView accessToken, const QString& clientAddress);

private:
    Session issue(qint64 userId, const QString& username, const QString& role);

    AdminContext& m_context;
    SecureBytes m_jwtSecret;
};
