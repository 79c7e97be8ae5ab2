#include "service/ServiceContext.h"

#include "storage/AuditLog.h"
#include "storage/Database.h"

Result<qint64> ServiceContext::commit(const Actor& actor, const std::function<Result<AuditEntry>()>& write)
{
    qint64 id = 0;
    auto done = database.transaction([&]() -> Result<void> {
        auto entry = write();
        if (!entry)
            return entry.error();
        id = entry->objectId;
        return audit.record(actor, entry->action, entry->objectType, QString::number(id), entry->details);
    });
    if (!done)
        return done.error();
    routingChanged();
    return id;
}
