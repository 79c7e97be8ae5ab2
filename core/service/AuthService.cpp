#include "service/AuthService.h"

#include "auth/Jwt.h"
#include "auth/RefreshToken.h"
#include "auth/UserCredentials.h"
#include "common/ApiErrors.h"
#include "common/Logging.h"
#include "crypto/PasswordHasher.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "service/JsonValues.h"
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

AuthService::AuthService(ServiceContext& context)
    : m_context(context), m_throttle(context.database), m_nowMs([] { return QDateTime::currentMSecsSinceEpoch(); })
{}

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
    m_unknownUserHash =
        std::async(std::launch::async, [&hasher = m_context.passwords] { return hasher.hash(Random::token(16)); })
            .share();
    return {};
}

Result<AuthService::Session> AuthService::login(const QString& username, const QString& password,
                                                const QString& clientAddress, int* retryAfterSeconds)
{
    const qint64 nowMs = now();
    Actor attempt;
    attempt.username = username.left(200);
    attempt.clientAddress = clientAddress;
    if (const qint64 wait = m_throttle.addressWaitMs(clientAddress, nowMs); wait > 0) {
        // A locked-out address may spray usernames: its refusals share one audit entry whatever name they tried.
        Actor source = attempt;
        source.username.clear();
        return lockedOut(source, wait, QStringLiteral("address locked out"), retryAfterSeconds);
    }
    // A locked-out password is not checked at all, so the lockout tells nothing about it. The lock holds this
    // address only: the right password from elsewhere still gets in.
    if (const qint64 wait = m_throttle.accountWaitMs(attempt.username, clientAddress, nowMs); wait > 0) {
        auto lifted = passwordSetSinceFailures(attempt.username, clientAddress);
        if (!lifted)
            return lifted.error();
        if (!*lifted)
            return lockedOut(attempt, wait, QStringLiteral("user locked out"), retryAfterSeconds);
    }

    auto found = m_context.database.exec(
        QStringLiteral("SELECT u.id, u.password_hash, u.enabled, r.name FROM users u "
                       "JOIN roles r ON r.id = u.role_id WHERE u.username = ? AND u.deleted_at IS NULL"),
        {username});
    if (!found)
        return found.error();
    if (!found->next()) {
        PasswordHasher::verify(password, m_unknownUserHash.get());
        recordFailure(attempt, QStringLiteral("unknown user"));
        return badCredentials();
    }
    attempt.userId = found->value(0).toLongLong();
    const QString storedHash = found->value(1).toString();
    const bool enabled = found->value(2).toInt() == 1;
    const QString role = found->value(3).toString();
    found->finish();

    const bool passwordOk = PasswordHasher::verify(password, storedHash);
    if (!passwordOk || !enabled) {
        recordFailure(attempt, passwordOk ? QStringLiteral("disabled") : QStringLiteral("wrong password"));
        return badCredentials();
    }
    m_throttle.accountSuccess(attempt.username, clientAddress);
    auto updated = m_context.database.exec(
        QStringLiteral("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?"),
        {nowMs, attempt.userId});
    if (!updated)
        return updated.error();
    // Sessions nobody refreshed in time; rotated tokens stay until they expire, to recognise their reuse.
    if (auto purged =
            m_context.database.exec(QStringLiteral("DELETE FROM refresh_tokens WHERE expires_at < ?"), {nowMs});
        !purged)
        qCWarning(lcAuth).noquote() << "expired refresh tokens not purged:" << purged.error().message;
    (void)m_context.audit.record(attempt, QStringLiteral("auth.login"), QStringLiteral("user"),
                                 QString::number(attempt.userId));
    return issue(attempt.userId, username, role, clientAddress);
}

// A password set after the failures (by an admin, `gatehoused reset-admin-password` or another instance) lifts the
// lockout they caused.
Result<bool> AuthService::passwordSetSinceFailures(const QString& username, const QString& clientAddress)
{
    auto changed = m_context.database.exec(
        QStringLiteral("SELECT password_changed_at FROM users WHERE username = ? AND deleted_at IS NULL"), {username});
    if (!changed)
        return changed.error();
    if (!changed->next() || changed->value(0).toLongLong() <= m_throttle.accountLastFailureMs(username, clientAddress))
        return false;
    m_throttle.forgetAccount(username);
    return true;
}

Error AuthService::lockedOut(const Actor& attempt, qint64 waitMs, const QString& reason, int* retryAfterSeconds)
{
    const int seconds = int((waitMs + 999) / 1000);
    if (retryAfterSeconds)
        *retryAfterSeconds = seconds;
    (void)m_context.audit.recordRepeated(attempt, QStringLiteral("auth.login_failed"), QStringLiteral("user"),
                                         attempt.userId > 0 ? QString::number(attempt.userId) : QString(),
                                         {{QStringLiteral("reason"), reason}});
    return ApiErrors::tooMany(QStringLiteral("too many failed logins; try again in %1 seconds").arg(seconds));
}

void AuthService::recordFailure(const Actor& attempt, const QString& reason)
{
    const qint64 nowMs = now();
    const QString userId = attempt.userId > 0 ? QString::number(attempt.userId) : QString();
    (void)m_context.audit.recordRepeated(attempt, QStringLiteral("auth.login_failed"), QStringLiteral("user"), userId,
                                         {{QStringLiteral("reason"), reason}});
    if (m_throttle.addressFailure(attempt.clientAddress, nowMs)) {
        LogLine(lcAuth(), QtWarningMsg, u"login lockout").field("address", attempt.clientAddress);
        (void)m_context.audit.record(
            attempt, QStringLiteral("auth.lockout"), QStringLiteral("address"), attempt.clientAddress,
            {{QStringLiteral("until"), JsonValues::time(nowMs + m_throttle.policy().lockoutMs)}});
    }
    const qint64 lockedUntilMs = m_throttle.accountFailure(attempt.username, attempt.clientAddress, nowMs);
    if (attempt.userId > 0) {
        // For the admin view: failures since the last successful login, and the latest lockout they caused.
        auto counted = m_context.database.exec(
            QStringLiteral("UPDATE users SET failed_logins = failed_logins + 1, locked_until = CASE WHEN ? > "
                           "COALESCE(locked_until, 0) THEN ? ELSE locked_until END WHERE id = ?"),
            {lockedUntilMs, lockedUntilMs, attempt.userId});
        if (!counted)
            LogLine(lcAuth(), QtCriticalMsg, u"failed login not counted")
                .field("user_id", attempt.userId)
                .field("error", counted.error().message);
    }
    if (lockedUntilMs > 0) {
        LogLine(lcAuth(), QtWarningMsg, u"login lockout")
            .field("user", attempt.username)
            .field("address", attempt.clientAddress);
        (void)m_context.audit.record(attempt, QStringLiteral("auth.lockout"), QStringLiteral("user"), userId,
                                     {{QStringLiteral("until"), JsonValues::time(lockedUntilMs)},
                                      {QStringLiteral("address"), attempt.clientAddress}});
    }
}

Result<AuthService::Session> AuthService::issue(qint64 userId, const QString& username, const QString& role,
                                                const QString& clientAddress)
{
    const qint64 nowMs = now();
    // iat in milliseconds (a NumericDate may have a fraction): a token issued right after a password change in the
    // same second must be told apart from one issued right before it.
    const QJsonObject claims{{QStringLiteral("sub"), QString::number(userId)},
                             {QStringLiteral("role"), role},
                             {QStringLiteral("iat"), double(nowMs) / 1000.0},
                             {QStringLiteral("exp"), nowMs / 1000 + kAccessTokenSeconds},
                             {QStringLiteral("jti"), Random::token(16)}};
    const QString refreshToken = RefreshToken::generate();
    auto stored = m_context.database.exec(
        QStringLiteral("INSERT INTO refresh_tokens (user_id, token_hash, created_at, expires_at, client_address) "
                       "VALUES (?, ?, ?, ?, ?)"),
        {userId, RefreshToken::hash(refreshToken), nowMs, nowMs + kRefreshTokenMs, clientAddress});
    if (!stored)
        return stored.error();
    Session session;
    session.accessToken = QString::fromLatin1(Jwt::sign(claims, m_jwtSecret.view()));
    session.refreshToken = refreshToken;
    session.userId = userId;
    session.username = username;
    session.role = role;
    return session;
}

Result<AuthService::Session> AuthService::refresh(const QString& refreshToken, const QString& clientAddress)
{
    const qint64 nowMs = now();
    auto found = m_context.database.exec(
        QStringLiteral("SELECT t.id, t.user_id, t.expires_at, t.revoked_at, u.username, u.enabled, u.deleted_at, "
                       "r.name FROM refresh_tokens t JOIN users u ON u.id = t.user_id JOIN roles r ON r.id = u.role_id "
                       "WHERE t.token_hash = ?"),
        {RefreshToken::hash(refreshToken)});
    if (!found)
        return found.error();
    if (!found->next())
        return ApiErrors::unauthenticated(QStringLiteral("invalid refresh token; log in again"));
    const qint64 tokenId = found->value(0).toLongLong();
    const qint64 userId = found->value(1).toLongLong();
    const qint64 expiresAt = found->value(2).toLongLong();
    const bool rotated = !found->value(3).isNull();
    Actor owner;
    owner.userId = userId;
    owner.username = found->value(4).toString();
    owner.clientAddress = clientAddress;
    const bool live = found->value(5).toInt() == 1 && found->value(6).isNull();
    const QString role = found->value(7).toString();
    found->finish();

    if (rotated) {
        // Only a copy can still hold a rotated token: the thief or the owner, whoever refreshed second, is shut out,
        // and so is the other one.
        LogLine(lcAuth(), QtWarningMsg, u"refresh token reuse")
            .field("user_id", userId)
            .field("address", clientAddress);
        if (auto revoked = UserCredentials::endSessions(m_context.database, userId, nowMs); !revoked)
            return revoked.error();
        (void)m_context.audit.record(owner, QStringLiteral("auth.refresh_reuse"), QStringLiteral("user"),
                                     QString::number(userId), {{QStringLiteral("refreshTokenId"), tokenId}});
        return ApiErrors::unauthenticated(
            QStringLiteral("this refresh token was already used; every session of its user has been ended"));
    }
    if (expiresAt <= nowMs)
        return ApiErrors::unauthenticated(QStringLiteral("the refresh token has expired; log in again"));
    if (!live)
        return ApiErrors::unauthenticated(QStringLiteral("the user of this token is disabled or deleted"));

    Result<Session> session = Error{};
    auto rotatedNow = m_context.database.transaction([&]() -> Result<void> {
        auto revoked = m_context.database.exec(
            QStringLiteral("UPDATE refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
            {nowMs, tokenId});
        if (!revoked)
            return revoked.error();
        if (revoked->numRowsAffected() != 1) // rotated meanwhile by a concurrent request
            return ApiErrors::unauthenticated(QStringLiteral("invalid refresh token; log in again"));
        session = issue(userId, owner.username, role, clientAddress);
        return session ? Result<void>() : Result<void>(session.error());
    });
    if (!rotatedNow)
        return rotatedNow.error();
    return session;
}

Result<void> AuthService::logout(const Actor& actor, const QString& refreshToken, QByteArrayView accessToken)
{
    auto found =
        m_context.database.exec(QStringLiteral("SELECT id FROM refresh_tokens WHERE token_hash = ? AND user_id = ?"),
                                {RefreshToken::hash(refreshToken), actor.userId});
    if (!found)
        return found.error();
    if (!found->next())
        return ApiErrors::invalid(QStringLiteral("'refreshToken' is not a session of the calling user"));
    const qint64 tokenId = found->value(0).toLongLong();
    found->finish();
    auto claims = verifiedClaims(accessToken);
    if (!claims)
        return claims.error();
    if (auto deleted = m_context.database.exec(QStringLiteral("DELETE FROM refresh_tokens WHERE id = ?"), {tokenId});
        !deleted)
        return deleted.error();

    // The access token too, on every instance, until it would expire anyway (then its row goes).
    const qint64 nowMs = now();
    if (auto purged =
            m_context.database.exec(QStringLiteral("DELETE FROM revoked_access_tokens WHERE expires_at < ?"), {nowMs});
        !purged)
        return purged.error();
    if (auto revoked =
            m_context.database.exec(QStringLiteral("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?)"),
                                    {claims->value(QLatin1String("jti")).toString(),
                                     qint64(claims->value(QLatin1String("exp")).toDouble()) * 1000});
        !revoked)
        return revoked.error();
    (void)m_context.audit.record(actor, QStringLiteral("auth.logout"), QStringLiteral("user"),
                                 QString::number(actor.userId));
    return {};
}

Result<AuthService::Session> AuthService::changePassword(const Actor& actor, const QString& currentPassword,
                                                         const QString& newPassword, int* retryAfterSeconds)
{
    if (auto policy = PasswordHasher::checkPolicy(newPassword); !policy)
        return ApiErrors::invalid(QStringLiteral("'newPassword' %1").arg(policy.error().message));
    if (const qint64 wait = m_throttle.accountWaitMs(actor.username, actor.clientAddress, now()); wait > 0)
        return lockedOut(actor, wait, QStringLiteral("user locked out"), retryAfterSeconds);
    auto found = m_context.database.exec(
        QStringLiteral("SELECT password_hash FROM users WHERE id = ? AND deleted_at IS NULL"), {actor.userId});
    if (!found)
        return found.error();
    if (!found->next())
        return ApiErrors::unauthenticated(QStringLiteral("the user of this token is disabled or deleted"));
    const QString storedHash = found->value(0).toString();
    found->finish();
    if (!PasswordHasher::verify(currentPassword, storedHash)) {
        recordFailure(actor, QStringLiteral("wrong current password"));
        return ApiErrors::forbidden(QStringLiteral("the current password is wrong"));
    }
    if (auto stored = setPassword(actor.userId, newPassword); !stored)
        return stored.error();
    (void)m_context.audit.record(actor, QStringLiteral("user.password_change"), QStringLiteral("user"),
                                 QString::number(actor.userId));
    return issue(actor.userId, actor.username, actor.role, actor.clientAddress);
}

Result<void> AuthService::setPassword(qint64 userId, const QString& newPassword)
{
    if (auto policy = PasswordHasher::checkPolicy(newPassword); !policy)
        return ApiErrors::invalid(QStringLiteral("'password' %1").arg(policy.error().message));
    auto username =
        UserCredentials::storePassword(m_context.database, userId, m_context.passwords.hash(newPassword), now());
    if (!username)
        return username.error();
    m_throttle.forgetAccount(*username); // a new password lifts every lockout of the user
    return {};
}

Result<QJsonObject> AuthService::verifiedClaims(QByteArrayView accessToken) const
{
    auto claims = Jwt::verify(accessToken, m_jwtSecret.view(), QDateTime::fromMSecsSinceEpoch(now(), Qt::UTC));
    if (!claims)
        return ApiErrors::unauthenticated(QStringLiteral("invalid access token: %1").arg(claims.error().message));
    return claims;
}

Result<Actor> AuthService::authenticate(QByteArrayView accessToken, const QString& clientAddress)
{
    auto claims = verifiedClaims(accessToken);
    if (!claims)
        return claims.error();
    const qint64 userId = claims->value(QLatin1String("sub")).toString().toLongLong();
    // Our tokens always carry iat; one without it counts as issued at the epoch, before every password change.
    const qint64 issuedAtMs = qRound64(claims->value(QLatin1String("iat")).toDouble() * 1000);
    // Revocations live in the database, so that one made through any instance holds on all of them.
    auto found = m_context.database.exec(
        QStringLiteral("SELECT u.username, u.enabled, u.password_changed_at, r.name, r.permissions, "
                       "u.sessions_ended_at, (SELECT COUNT(*) FROM revoked_access_tokens WHERE jti = ?) FROM users u "
                       "JOIN roles r ON r.id = u.role_id WHERE u.id = ? AND u.deleted_at IS NULL"),
        {claims->value(QLatin1String("jti")).toString(), userId});
    if (!found)
        return found.error();
    if (!found->next() || found->value(1).toInt() != 1)
        return ApiErrors::unauthenticated(QStringLiteral("the user of this token is disabled or deleted"));
    if (found->value(6).toInt() > 0)
        return ApiErrors::unauthenticated(QStringLiteral("this access token was revoked by a logout"));
    if (issuedAtMs < found->value(5).toLongLong())
        return ApiErrors::unauthenticated(QStringLiteral("the sessions of this user were ended"));
    if (issuedAtMs < found->value(2).toLongLong())
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
