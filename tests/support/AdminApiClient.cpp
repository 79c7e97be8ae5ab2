#include "AdminApiClient.h"

#include "storage/Database.h"

#include <QDateTime>
#include <QJsonDocument>

AdminApiClient::AdminApiClient(GatewayHarness& gateway, const QString& username, const QString& password)
    : m_gateway(gateway), m_authorization(gateway.login(username, password))
{}

HttpTestClient::Response AdminApiClient::sendRaw(const QByteArray& method, const QString& path, const QByteArray& body)
{
    QList<QPair<QByteArray, QByteArray>> headers{m_authorization};
    if (!body.isEmpty())
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return m_client.send(method, m_gateway.adminUrl(path), body, headers);
}

HttpTestClient::Response AdminApiClient::get(const QString& path)
{
    return sendRaw("GET", path, {});
}

HttpTestClient::Response AdminApiClient::post(const QString& path, const QJsonObject& body)
{
    return sendRaw("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpTestClient::Response AdminApiClient::patch(const QString& path, const QJsonObject& body)
{
    return sendRaw("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpTestClient::Response AdminApiClient::remove(const QString& path)
{
    return sendRaw("DELETE", path, {});
}

qint64 AdminApiClient::createUser(GatewayHarness& gateway, const QString& username, const QString& password,
                                  const QString& role)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto created = gateway.service().database().exec(
        QStringLiteral(
            "INSERT INTO users (username, display_name, password_hash, role_id, enabled, password_changed_at, "
            "created_at, updated_at) SELECT ?, ?, ?, id, 1, ?, ?, ? FROM roles WHERE name = ? RETURNING id"),
        {username, username, gateway.service().passwords().hash(password), now - 1000, now, now, role});
    if (!created || !created->next()) {
        qWarning("cannot create user %s: %s", qPrintable(username),
                 created ? "no such role" : qPrintable(created.error().message));
        return 0;
    }
    return created->value(0).toLongLong();
}
