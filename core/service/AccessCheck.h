#pragma once

#include "common/Actor.h"
#include "common/Result.h"

#include <QStringList>

class AuditLog;

// Permission checks of the admin services. A denial is a forbidden error and a "permission.denied" audit entry
// naming the action that was attempted.
class AccessCheck
{
public:
    // Ok when the actor holds any of `permissions`.
    static Result<void> requireAny(AuditLog& audit, const Actor& actor, const QString& action,
                                   const QStringList& permissions);
    static Error deny(AuditLog& audit, const Actor& actor, const QString& action, const QString& message);
};
