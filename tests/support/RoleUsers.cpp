#include "RoleUsers.h"

#include "HttpTestClient.h"

#include "auth/Permissions.h"

#include <QJsonObject>

QStringList RoleUsers::roles()
{
    QStringList names;
    for (const auto& role : Permissions::builtinRoles())
        names << role.name;
    return names;
}

bool RoleUsers::create(GatewayHarness& gateway, const Header& superAdmin)
{
    HttpTestClient client;
    for (const QString& role : roles()) {
        const auto created =
            client.post(gateway.adminUrl(QStringLiteral("/api/users")),
                        QJsonDocument(QJsonObject{{QStringLiteral("username"), username(role)},
                                                  {QStringLiteral("password"), QLatin1String(kPassword)},
                                                  {QStringLiteral("role"), role}})
                            .toJson(),
                        {superAdmin});
        if (created.status != 201) {
            qWarning("creating the %s user failed: %d %s", qPrintable(role), created.status, created.body.constData());
            return false;
        }
        m_ids.insert(role, created.json()[QLatin1String("id")].toInteger());
        m_headers.insert(role, gateway.login(username(role), QLatin1String(kPassword)));
        if (m_headers.value(role).second == "Bearer ")
            return false;
    }
    return true;
}
