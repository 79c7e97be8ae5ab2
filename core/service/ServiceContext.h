#pragma once

#include "common/Actor.h"
#include "common/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

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
    // the routing snapshot is rebuilt and swapped in, here and (through the change counter) on every instance.
    std::function<void()> routingChanged;
    // Called inside a change's transaction before it seals a secret: fails when the master key was rotated and this
    // instance cannot follow (a secret sealed under the old key would be unreadable).
    std::function<Result<void>()> sealingKeyIsCurrent;

    // Ok when the actor holds any of `permissions`; otherwise a forbidden error, and the denial of `action` is
    // audited ("permission.denied" naming the action).
    Result<void> allow(const Actor& actor, const QString& action, const QStringList& permissions);
    Error deny(const Actor& actor, const QString& action, const QString& message);

    // The row an action is about: allow() as above, then `load` finds it (before a change: as it is before it).
    Result<QJsonObject> allowedRow(const Actor& actor, const QString& action, const QStringList& permissions,
                                   const std::function<Result<QJsonObject>()>& load);

    // One admin change: `write` makes it and returns its audit entry, which is written in the same transaction (a
    // change is never without its entry, nor an entry without its change), as is one more on the change counter;
    // after the commit the routing snapshot is rebuilt. Returns the id of the object changed.
    Result<qint64> commit(const Actor& actor, const std::function<Result<AuditEntry>()>& write);
    // commit(), then the changed row as `read` finds it: what a create or an update answers.
    Result<QJsonObject> commitAndRead(const Actor& actor, const std::function<Result<AuditEntry>()>& write,
                                      const std::function<Result<QJsonObject>(qint64)>& read);
};
