#pragma once

#include "app/GatewayService.h"

#include <QList>
#include <QString>
#include <QUrl>

// Puts provider keys and gateway keys straight into a running GatewayService's database (secrets encrypted, gateway
// keys hashed, as the admin services store them) and reloads its routing, for proxy tests that are not about the
// admin API.
//     GatewayFixture fixture(gateway.service());
//     fixture.pointProviderAt("openai", fakeOpenAi.url());
//     const qint64 key = fixture.addProviderKey("openai", "sk-test-1");
//     const QByteArray gatewayKey = fixture.addGatewayKey("openai", {key});
class GatewayFixture
{
public:
    struct GatewayKeyOptions
    {
        QString strategy = QStringLiteral("round_robin");
        int retryCount = 2;
        int timeoutMs = 30'000;
        qint64 userId = 1; // the first admin
        qint64 rpmLimit = 0;
        qint64 tokensPerDay = 0;
        bool enabled = true;
        qint64 expiresAtMs = 0;
    };

    explicit GatewayFixture(GatewayService& service) : m_service(service) {}

    qint64 pointProviderAt(const QString& providerType, const QUrl& baseUrl);
    qint64 addProviderKey(const QString& providerType, const QString& secret, int weight = 1, qint64 rpmLimit = 0);
    QByteArray addGatewayKey(const QString& providerType, const QList<qint64>& pool, const GatewayKeyOptions& options);
    QByteArray addGatewayKey(const QString& providerType, const QList<qint64>& pool)
    {
        return addGatewayKey(providerType, pool, GatewayKeyOptions());
    }
    qint64 addUser(const QString& username, const QString& role);

    // Rows of the traces table, oldest first, as column -> value.
    QList<QVariantMap> traces();
    // Waits (on the trace writer) until `count` traces are in the database.
    bool waitForTraces(int count, int timeoutMs = 10'000);
    qint64 providerTypeId(const QString& name);

private:

    GatewayService& m_service;
};
