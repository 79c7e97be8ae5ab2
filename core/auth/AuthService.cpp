#include "auth/AuthService.h"

#include "admin/ApiReply.h"
#include "auth/Jwt.h"
#include "common/Logging.h"
#include "crypto/PasswordHasher.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/SettingsStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

const QString kSecretSetting = QStringLiteral("jwt_secret");
const QByteArray kSecretAssociatedData = "setting:jwt_secret";

Error badCredentials()
{
    return ApiErrors::unauthenticated(QStringLiteral("invalid username or password"));
}

} // namespace

Result<void> AuthService::initialize()
{
    SettingsStore settings(m_context.database);
    // Several instances starting together on one database agree on the first secret written.
    const QByteArray fresh = m_context.secrets.seal(Random::secureBytes(32).view(), kSecretAssociatedData);
    if (auto stored = settings.setValueIfAbsent(kSecretSetting, QString::fromLatin1(fresh)); !stored)
        return stored.error();
    auto sealed = settings.value(kSecretSetting);
    if (!sealed)
        return sealed.error();
    auto secret = m_context.secrets.open(sealed->value_or(QString()).toLatin1(), kSecretAssociatedData);
    if (!secret)
        return Error::make(secret.error().code, QStringLiteral("JWT signing secret: %1").arg(secret.error().message));
    m_jwtSecret = std::move(*secret);
    return {};
}

Result<AuthService::Session> AuthService::login(const QString& username, const QString& password,
                                                const QString& clientAddress)
{
    auto found = m_context.database.exec(
        QStringLiteral("SELECT u.id, u.password_hash, u.enabled, r.name FROM users u JOIN roles r ON r.id = u.role_id "
                       "WHERE u.username = ? AND u.deleted_at IS NULL"),
        {username});
    if (!found)
        return found.error();
    Actor attempt;
    attempt.username = username.left(200);
    attempt.clientAddress = clientAddress;
    if (!found->next()) {
        // Same work as a real check, so response time does not reveal which usernames exist.
        PasswordHasher::verify(password, PasswordHasher::hash(QStringLiteral("not-a-user-password")));
        m_context.audit.record(attempt, QStringLiteral("auth.login_failed"), QStringLiteral("user"), {},
                               {{QStringLiteral("reason"), QStringLiteral("unknown user")}});
        return badCredentials();
    }
    attempt.userId = found->value(0).toLongLong();
    const bool passwordOk = PasswordHasher::verify(password, found->value(1).toString());
    const bool enabled = found->value(2).toInt() == 1;
    const QString role = found->value(3).toString();
    if (!passwordOk || !enabled) {
        m_context.audit.record(attempt, QStringLiteral("auth.login_failed"), QStringLiteral("user"),
                               QString::number(attempt.userId),
                               {{QStringLiteral("reason"), passwordOk ? QStringLiteral("disabled")
                                                                      : QStringLiteral("wrong password")}});
        return badCredentials();
    }
    m_context.database.exec(QStringLiteral("UPDATE users SET last_login_at = ? WHERE id = ?"),
                            {QDateTime::currentMSecsSinceEpoch(), attempt.userId});
    m_context.audit.record(attempt, QStringLiteral("auth.login"), QStringLiteral("user"),
                           QString::number(attempt.userId));
    return issue(attempt.userId, username, role);
}

AuthService::Session AuthService::issue(qint64 userId, const QString& username, const QString& role)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject claims{{QStringLiteral("sub"), QString::number(userId)},
                             {QStringLiteral("role"), role},
                             {QStringLiteral("iat"), now},
                             {QStringLiteral("exp"), now + kAccessTokenSeconds},
                             {QStringLiteral("jti"), Random::token(16)}};
    return Session{QString::fromLatin1(Jwt::sign(claims, m_jwtSecret.view())), kAccessTokenSeconds, userId, username,
                   role};
}

Result<Actor> AuthService::authenticate(QByteArrayView accessToken, const QString& clientAddress)
{
    auto claims = Jwt::verify(accessToken, m_jwtSecret.view(), QDateTime::currentDateTimeUtc());
    if (!claims)
        return ApiErrors::unauthenticated(QStringLiteral("invalid access token: %1").arg(claims.error().message));
    const qint64 userId = claims->value(QLatin1String("sub")).toString().toLongLong();
    const qint64 issuedAtMs = qint64(claims->value(QLatin1String("iat")).toDouble()) * 1000;
    auto found = m_context.database.exec(
        QStringLiteral("SELECT u.username, u.enabled, u.password_changed_at, r.name, r.permissions FROM users u "
                       "JOIN roles r ON r.id = u.role_id WHERE u.id = ? AND u.deleted_at IS NULL"),
        {userId});
    if (!found)
        return found.error();
    if (!found->next() || found->value(1).toInt() != 1)
        return ApiErrors::unauthenticated(QStringLiteral("the user of this token is disabled or deleted"));
    // iat has whole seconds: a token from the same second as a password change still counts as older.
    if (issuedAtMs + 999 < found->value(2).toLongLong())
        return ApiErrors::unauthenticated(QStringLiteral("the password changed since this token was issued"));

    Actor actor;
    actor.userId = userId;
    actor.username = found->value(0).toString();
    actor.role = found->value(3).toString();
    for (const QJsonValue& permission : QJsonDocument::fromJson(found->value(4).toString().toUtf8()).array())
        actor.permissions << permission.toString();
    actor.clientAddress = clientAddress;
    return actor;
}
