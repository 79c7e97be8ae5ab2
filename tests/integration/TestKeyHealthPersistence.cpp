#include "FakeOpenAI.h"
#include "GatewayFixture.h"
#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include "health/KeyState.h"
#include "proxy/RoutingStore.h"
#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

// Cooldowns and invalid marks outlive a restart of the gateway on the same data directory: a key the provider
// refused or rate-limited is not handed to clients again just because the process started anew.
class TestKeyHealthPersistence : public QObject
{
    Q_OBJECT

private:
    // Probes off: only the restart may change what the keys' states say.
    GatewayHarness m_gateway{[](Config& config) { config.healthProbeIntervalMs = 0; }};
    HttpTestClient m_client;
    FakeOpenAI m_openai;

    static constexpr const char* kChatBody =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    int chat(const QByteArray& gatewayKey)
    {
        return m_client
            .post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), kChatBody,
                  {{"Authorization", "Bearer " + gatewayKey}, {"Content-Type", "application/json"}})
            .status;
    }

    int chatsWith(const QString& secret) const
    {
        int count = 0;
        for (const FakeHttpRequest& request : m_openai.requests()) {
            if (request.path == QLatin1String("/v1/chat/completions") &&
                request.header("authorization") == "Bearer " + secret.toUtf8())
                ++count;
        }
        return count;
    }

    QString savedStatus(qint64 keyId)
    {
        auto row = m_gateway.service().database().exec(
            QStringLiteral("SELECT health_status FROM provider_keys WHERE id = ?"), {keyId});
        return row && row->next() ? row->value(0).toString() : QString();
    }

    QJsonObject health(qint64 keyId)
    {
        const auto response = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/health")), {m_gateway.login()});
        for (const QJsonValue& key : response.json()[QLatin1String("keys")].toArray()) {
            if (key[QLatin1String("id")].toInteger() == keyId)
                return key.toObject();
        }
        return {};
    }

private slots:
    void cooldownAndInvalidMarkSurviveARestart()
    {
        const QString limited = QStringLiteral("sk-keep-limited"), revoked = QStringLiteral("sk-keep-revoked"),
                      well = QStringLiteral("sk-keep-well");
        for (const QString& secret : {limited, revoked, well})
            m_openai.addApiKey(secret);
        QVERIFY(m_openai.listen());
        QVERIFY(m_gateway.start());
        GatewayFixture fixture(m_gateway.service());
        fixture.pointProviderAt(QStringLiteral("openai"), m_openai.url());
        const qint64 limitedId = fixture.addProviderKey(QStringLiteral("openai"), limited);
        const qint64 revokedId = fixture.addProviderKey(QStringLiteral("openai"), revoked);
        const qint64 wellId = fixture.addProviderKey(QStringLiteral("openai"), well);
        const QByteArray gatewayKey = fixture.addGatewayKey(QStringLiteral("openai"), {limitedId, revokedId, wellId});
        // Only a key's own probe marks it invalid, and probes are off here: the prober's verdict, reported as the
        // prober reports it.
        m_gateway.service().routing().keyStates().value(revokedId)->report(
            KeyOutcome::error(KeyOutcome::Kind::AuthRejected, QStringLiteral("probe: provider answered 401")).asProbe(),
            m_gateway.service().keyClock().now());
        m_openai.setKeyBehavior(limited, FakeBehavior::rateLimited(120));
        for (int i = 0; i < 6 && chatsWith(limited) == 0; ++i)
            QCOMPARE(chat(gatewayKey), 200);
        QCOMPARE(chatsWith(limited), 1);
        QTRY_COMPARE(savedStatus(limitedId), QStringLiteral("cooldown"));
        QTRY_COMPARE(savedStatus(revokedId), QStringLiteral("invalid"));
        QCOMPARE(savedStatus(wellId), QStringLiteral("unknown")); // nothing happened to it

        // The provider would take both keys now: only the saved state keeps them out after the restart.
        m_openai.clearKeyBehavior(limited);
        m_gateway.stop();
        QVERIFY(m_gateway.start());

        const QJsonObject cooling = health(limitedId);
        QCOMPARE(cooling[QLatin1String("status")].toString(), QStringLiteral("cooling_down"));
        const qint64 remainingMs = QDateTime::currentDateTimeUtc().msecsTo(
            QDateTime::fromString(cooling[QLatin1String("cooldownUntil")].toString(), Qt::ISODateWithMs));
        QVERIFY2(remainingMs > 60'000 && remainingMs <= 121'000, qPrintable(QString::number(remainingMs)));
        const QJsonObject invalid = health(revokedId);
        QCOMPARE(invalid[QLatin1String("status")].toString(), QStringLiteral("invalid"));
        QCOMPARE(invalid[QLatin1String("invalidReason")].toString(), QStringLiteral("probe: provider answered 401"));
        QCOMPARE(health(wellId)[QLatin1String("status")].toString(), QStringLiteral("healthy"));

        const int wellBefore = chatsWith(well);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(chat(gatewayKey), 200);
        QCOMPARE(chatsWith(limited), 1);
        QCOMPARE(chatsWith(revoked), 0);
        QCOMPARE(chatsWith(well), wellBefore + 4);
    }
};

GATEHOUSE_TEST_MAIN(TestKeyHealthPersistence)
#include "TestKeyHealthPersistence.moc"
