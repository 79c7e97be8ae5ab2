#include "auth/UserCredentials.h"

#include "common/ApiErrors.h"
#include "storage/Database.h"

namespace UserCredentials {

Result<QString> storePassword(Database& database, qint64 userId, const QString& passwordHash, qint64 nowMs)
{
    auto updated = database.exec(
        QStringLiteral("UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, "
                       "locked_until = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NULL RETURNING username"),
        {passwordHash, nowMs, nowMs, userId});
    if (!updated)
        return updated.error();
    if (!updated->next())
        return ApiErrors::notFound(QStringLiteral("no user with id %1").arg(userId));
    const QString username = updated->value(0).toString();
    updated->finish();
    if (auto ended = endSessions(database, userId, nowMs); !ended)
        return ended.error();
    return username;
}

Result<void> endSessions(Database& database, qint64 userId, qint64 nowMs)
{
    auto deleted =
        database.exec(QStringLiteral("DELETE FROM refresh_tokens WHERE user_id = ? AND revoked_at IS NULL"), {userId});
    if (!deleted)
        return deleted.error();
    auto ended = database.exec(QStringLiteral("UPDATE users SET sessions_ended_at = ? WHERE id = ?"), {nowMs, userId});
    if (!ended)
        return ended.error();
    return {};
}

} // namespace UserCredentials
