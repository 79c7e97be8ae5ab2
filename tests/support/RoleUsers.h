#pragma once

#include "GatewayHarness.h"

#include <QHash>
#include <QPair>
#include <QStringList>

// One user per built-in role, created through the admin API and logged in, for authorization tests:
//     RoleUsers roles;
//     QVERIFY(roles.create(gateway, gateway.login()));   // as a super_admin
//     client.get(url, {roles.header("read_only")});
// Users are named "<role>-user" and share kPassword.
class RoleUsers
{
public:
    using Header = QPair<QByteArray, QByteArray>;
    static constexpr const char* kPassword = "role-user-password-1";

    // The built-in roles, most powerful first.
    static QStringList roles();

    // Prints what went wrong and returns false when a user could not be created or log in.
    bool create(GatewayHarness& gateway, const Header& superAdmin);

    Header header(const QString& role) const { return m_headers.value(role); }
    qint64 userId(const QString& role) const { return m_ids.value(role); }
    static QString username(const QString& role) { return role + QStringLiteral("-user"); }

private:
    QHash<QString, Header> m_headers;
    QHash<QString, qint64> m_ids;
};
