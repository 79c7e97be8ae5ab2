#pragma once

#include "common/Actor.h"
#include "common/Result.h"

#include <QJsonArray>
#include <QJsonObject>

#include <functional>

class AuditLog;
class Database;
class PasswordHasher;
class SecretBox;

// What an admin change records: the object it changed and the details of its audit entry (never a secret).
struct AuditEntry
{
    QString action; // "<object>.<verb>", e.g. "pricing.update"
    QString objectType;
    qint64 objectId = 0;
    QJsonObject details;
};

// The audit details of an update: the names of the fields it changed.
inline QJsonObject fieldsChanged(const QStringList& fields)
{
    return {{QStringLiteral("fields"), QJsonArray::fromStringList(fields)}};
}

// What every admin service works with. The REST controllers and the desktop GUI call the same services, so a
// rule (permission, validation, audit entry) lives in one place and both faces obey it.
struct ServiceContext
{
    Database& database;
    const SecretBox& secrets;
    const PasswordHasher& passwords;
    AuditLog& audit;
    // Called after a change that the proxy must see (keys, pools, provider types, users' rights, pricing):
    // the routing snapshot is rebuilt and swapped in.
    std::function<void()> routingChanged;

    // One admin change the proxy must see: `write` makes it and returns its audit entry, which is written in the
    // same transaction (a change is never without its entry, nor an entry without its change); after the commit the
    // routing snapshot is rebuilt. Returns the id of the object changed.
    Result<qint64> commit(const Actor& actor, const std::function<Result<AuditEntry>()>& write);
};
