#include "service/ServiceContext.h"

#include "storage/AuditLog.h"
#include "storage/ChangeCounter.h"
#include "storage/Database.h"

Result<void> ServiceContext::allow(const Actor& actor, const QString& action, const QStringList& permissions)
{
    for (const QString& permission : permissions) {
        if (actor.has(permission))
            return {};
    }
    return deny(actor, action,
                QStringLiteral("%1 needs the permission %2").arg(action, permissions.join(QStringLiteral(" or "))));
}

Error ServiceContext::deny(const Actor& actor, const QString& action, const QString& message)
{
    return audit.denied(actor, action, {}, {}, message);
}

Result<QJsonObject> ServiceContext::allowedRow(const Actor& actor, const QString& action,
                                               const QStringList& permissions,
                                               const std::function<Result<QJsonObject>()>& load)
{
    if (auto allowed = allow(actor, action, permissions); !allowed)
        return allowed.error();
    return load();
}

Result<qint64> ServiceContext::commit(const Actor& actor, const std::function<Result<AuditEntry>()>& write)
{
    qint64 id = 0;
    auto done = database.transaction([&]() -> Result<void> {
        auto entry = write();
        if (!entry)
            return entry.error();
        id = entry->objectId;
        if (auto recorded = audit.record(actor, entry->action, entry->objectType, QString::number(id), entry->details);
            !recorded)
            return recorded;
        return ChangeCounter(database).add(); // so that every instance sees it
    });
    if (!done)
        return done.error();
    routingChanged();
    return id;
}

Result<QJsonObject> ServiceContext::commitAndRead(const Actor& actor, const std::function<Result<AuditEntry>()>& write,
                                                  const std::function<Result<QJsonObject>(qint64)>& read)
{
    auto id = commit(actor, write);
    if (!id)
        return id.error();
    return read(*id);
}
