#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include <QJsonObject>
#include <QTest>

// The admin listener's HTTP behaviour that every endpoint shares: JSON errors, 404, 405 with Allow.
class TestAdminRouting : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    HttpTestClient m_client;

    static QString errorCode(const HttpTestClient::Response& response)
    {
        return response.json()[QLatin1String("error")][QLatin1String("code")].toString();
    }

private slots:
    void initTestCase() { QVERIFY(m_gateway.start()); }

    // A stranger learns the version and that the gateway answers, not where its data lives or how it listens.
    void systemInfoShowsStrangersOnlyTheVersion()
    {
        const auto stranger = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/system/info")));
        QCOMPARE(stranger.status, 200);
        QCOMPARE(stranger.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(stranger.json().object().keys(),
                 (QStringList{QStringLiteral("name"), QStringLiteral("status"), QStringLiteral("version")}));
        QCOMPARE(stranger.json()[QLatin1String("version")].toString(), QStringLiteral(GATEHOUSE_VERSION));
        QVERIFY(!stranger.body.contains(m_gateway.config().dataDir.toUtf8()));

        const auto forged = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/system/info")),
                                         {{"Authorization", "Bearer not-a-token"}});
        QCOMPARE(forged.status, 401);

        const auto user = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/system/info")), {m_gateway.login()});
        QCOMPARE(user.status, 200);
        QCOMPARE(user.json()[QLatin1String("database")][QLatin1String("kind")].toString(), QStringLiteral("sqlite"));
        QVERIFY(user.json()[QLatin1String("database")][QLatin1String("location")].toString().contains(
            m_gateway.config().dataDir));
    }

    void unknownPathIsJson404()
    {
        const auto response = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/nothing/here")));
        QCOMPARE(response.status, 404);
        QCOMPARE(errorCode(response), QStringLiteral("not_found"));
        QVERIFY(!response.json()[QLatin1String("error")][QLatin1String("message")].toString().isEmpty());
    }

    void wrongMethodIs405WithAllow()
    {
        const auto response = m_client.post(m_gateway.adminUrl(QStringLiteral("/api/system/info")), "{}");
        QCOMPARE(response.status, 405);
        QCOMPARE(errorCode(response), QStringLiteral("method_not_allowed"));
        QCOMPARE(response.header("Allow"), QByteArray("GET"));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminRouting)
#include "TestAdminRouting.moc"
