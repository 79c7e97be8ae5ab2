#pragma once

#include "auth/Actor.h"
#include "common/Result.h"

#include <QJsonObject>

class Database;

// Who did what to which object, when, from where: every create, update, delete, login, failed login, key reveal
// and permission denial. Details never hold a secret.
class AuditLog
{
public:
    explicit AuditLog(Database& database) : m_database(database) {}

    // action: "<object>.<verb>", e.g. "user.create", "provider_key.reveal", "auth.login_failed", "permission.denied".
    Result<void> record(const Actor& actor, const QString& action, const QString& objectType = {},
                        const QString& objectId = {}, const QJsonObject& details = {});

private:
    Database& m_database;
};
