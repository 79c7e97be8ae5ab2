#include "service/AccessCheck.h"

#include "common/ApiErrors.h"
#include "storage/AuditLog.h"

#include <QJsonArray>

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
    // A failed audit write is logged by AuditLog; the denial stands either way.
    (void)audit.record(actor, QStringLiteral("permission.denied"), {}, {},
                       {{QStringLiteral("action"), action}, {QStringLiteral("message"), message}});
    return ApiErrors::forbidden(message);
}
