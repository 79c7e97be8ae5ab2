#pragma once

#include <QString>
#include <QStringList>

// Who is asking: the authenticated admin-API caller (or the desktop user) on whose behalf a service acts.
// Services check permissions on it and write it to the audit log.
struct Actor
{
    qint64 userId = 0;
    QString username;
    QString role;
    QStringList permissions;
    QString clientAddress;

    // super_admin holds every permission; "proxy:*" every "proxy:<type>".
    bool has(const QString& permission) const
    {
        if (permissions.contains(QLatin1String("super_admin")) || permissions.contains(permission))
            return true;
        return permission.startsWith(QLatin1String("proxy:")) && permissions.contains(QLatin1String("proxy:*"));
    }
};
