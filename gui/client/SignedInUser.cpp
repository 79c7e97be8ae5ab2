#include "client/SignedInUser.h"

#include "auth/Permissions.h"

bool SignedInUser::mayAny(const QStringList& wanted) const
{
    if (permissions.contains(QLatin1String(Permissions::kSuperAdmin)))
        return true;
    for (const QString& permission : wanted) {
        if (permissions.contains(permission))
            return true;
    }
    return false;
}
