#include "service/AccessCheck.h"

#include "storage/AuditLog.h"

Result<void> AccessCheck::requireAny(AuditLog& audit, const Actor& actor, const QString& action,
                                     const QStringList& permissions)
{
    for (const QString& permission : permissions) {
        if (actor.has(permission))
            return {};
    }
    return deny(audit, actor, action,
                QStringLiteral("%1 needs the permission %2").arg(action, permissions.join(QStringLiteral(" or "))));
}

Error AccessCheck::deny(AuditLog& audit, const Actor& actor, const QString& action, const QString& message)
{
    return audit.denied(actor, action, {}, {}, message);
}
