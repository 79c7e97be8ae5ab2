#pragma once

#include "common/Actor.h"
#include "common/Result.h"

#include <QHash>
#include <QJsonObject>

class Database;

// Who did what to which object, when, from where: every create, update, delete, login, failed login, key reveal
// and permission denial. Details never hold a secret.
class AuditLog
{
public:
    explicit AuditLog(Database& database) : m_database(database) {}

    // A failed write is logged here; callers that cannot undo what they record may ignore the result.
    // action: "<object>.<verb>", e.g. "user.create", "provider_key.reveal", "auth.login_failed", "permission.denied".
    Result<void> record(const Actor& actor, const QString& action, const QString& objectType = {},
                        const QString& objectId = {}, const QJsonObject& details = {});

    // Like record(), for what a stranger can repeat at will (refused logins): the same action, actor name, address,
    // object and details within kRepeatWindowMs add to one entry's details "count" instead of a row each, so that
    // refusals cannot grow the log without bound.
    static constexpr qint64 kRepeatWindowMs = 60'000;
    Result<void> recordRepeated(const Actor& actor, const QString& action, const QString& objectType = {},
                                const QString& objectId = {}, const QJsonObject& details = {});

    // Deletes entries created before the cut-off (the audit.retention_days setting); returns how many.
    Result<qint64> purgeOlderThan(qint64 cutoffMs);

    // The one way a refusal is recorded: a "permission.denied" entry (details "action" and "message") and the
    // forbidden error to answer with; `message` defaults to "you may not do <action>".
    Error denied(const Actor& actor, const QString& attemptedAction, const QString& objectType = {},
                 const QString& objectId = {}, const QString& message = {});

private:
    struct Repeated
    {
        qint64 id = 0;
        qint64 firstAtMs = 0;
        qint64 count = 0;
    };

    Result<qint64> insert(const Actor& actor, const QString& action, const QString& objectType, const QString& objectId,
                          const QJsonObject& details, qint64 atMs);

    Database& m_database;
    QHash<QString, Repeated> m_repeated; // by what repeats; entries older than the window are swept
};
