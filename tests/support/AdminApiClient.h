#pragma once

#include "GatewayHarness.h"
#include "HttpTestClient.h"

#include <QJsonObject>

// Calls the admin API of a GatewayHarness as one logged-in user:
//     AdminApiClient admin(gateway);                       // as the first admin
//     const auto created = admin.post("/api/provider-keys", QJsonObject{{"name", "a"}, ...});
class AdminApiClient
{
public:
    explicit AdminApiClient(GatewayHarness& gateway, const QString& username = QStringLiteral("admin"),
                            const QString& password = QLatin1String(GatewayHarness::kAdminPassword));

    HttpTestClient::Response get(const QString& path);
    HttpTestClient::Response post(const QString& path, const QJsonObject& body = {});
    HttpTestClient::Response patch(const QString& path, const QJsonObject& body);
    HttpTestClient::Response remove(const QString& path);
    // Any method with a body as given (broken JSON, wrong content).
    HttpTestClient::Response sendRaw(const QByteArray& method, const QString& path, const QByteArray& body);

    // Creates a user directly in the database (the users API belongs to another area) with the named built-in role.
    static qint64 createUser(GatewayHarness& gateway, const QString& username, const QString& password,
                             const QString& role);

private:
    GatewayHarness& m_gateway;
    QPair<QByteArray, QByteArray> m_authorization;
    HttpTestClient m_client;
};
