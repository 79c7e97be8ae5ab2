#include "AdminApiClient.h"
#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "RawHttpClient.h"
#include "TestRegistry.h"

#include "proxy/BodyBudget.h"

#include <QJsonObject>
#include <QTest>

// The admin listener's HTTP behaviour that every endpoint shares: JSON errors, 404, 405 with Allow.
class TestAdminRouting : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway{[](Config& config) { config.limits.maxBodyBytesInFlight = 1024 * 1024; }};
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
        if (m_gateway.config().usesPostgres()) {
            QCOMPARE(user.json()[QLatin1String("database")][QLatin1String("kind")].toString(),
                     QStringLiteral("postgresql"));
        } else {
            QCOMPARE(user.json()[QLatin1String("database")][QLatin1String("kind")].toString(),
                     QStringLiteral("sqlite"));
            QVERIFY(user.json()[QLatin1String("database")][QLatin1String("location")].toString().contains(
                m_gateway.config().dataDir));
        }
    }

    // The server's settings (retention, limits, probe interval) are for those who manage the server.
    void systemInfoShowsSettingsToServerManagersOnly()
    {
        const auto admin = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/system/info")), {m_gateway.login()});
        QCOMPARE(admin.status, 200);
        const QJsonObject settings = admin.json()[QLatin1String("settings")].toObject();
        QCOMPARE(settings.value(QLatin1String("traceRetentionDays")).toInt(), m_gateway.config().traceRetentionDays);
        QCOMPARE(settings.value(QLatin1String("healthProbeIntervalSeconds")).toInt(),
                 m_gateway.config().healthProbeIntervalMs / 1000);
        QCOMPARE(settings[QLatin1String("limits")][QLatin1String("maxBodyBytes")].toInteger(),
                 m_gateway.config().limits.maxBodyBytes);

        AdminApiClient::createUser(m_gateway, QStringLiteral("reader"), QStringLiteral("reader-password-1"),
                                   QStringLiteral("read_only"));
        const auto reader =
            m_client.get(m_gateway.adminUrl(QStringLiteral("/api/system/info")),
                         {m_gateway.login(QStringLiteral("reader"), QStringLiteral("reader-password-1"))});
        QCOMPARE(reader.status, 200);
        QVERIFY(reader.json().object().contains(QLatin1String("version")));
        QVERIFY(!reader.json().object().contains(QLatin1String("settings")));
    }

    // /api on the proxy port is open to strangers, before anyone signed in: a body is held to 1 MiB (it was 32 MiB:
    // 16 connections took 600 MiB), announced or chunked.
    void apiBodiesOnTheProxyPortAreSmall()
    {
        RawHttpClient announced;
        QVERIFY(announced.connectTo(m_gateway.service().proxyPort()));
        announced.send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 1048577\r\n\r\n");
        const auto refused = announced.readResponse();
        QCOMPARE(refused.status, 413);
        QVERIFY(refused.body.contains("payload_too_large"));
        QVERIFY(announced.waitForClosed());

        RawHttpClient chunked;
        QVERIFY(chunked.connectTo(m_gateway.service().proxyPort()));
        chunked.send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
        const QByteArray piece = QByteArray::number(64 * 1024, 16) + "\r\n" + QByteArray(64 * 1024, ' ') + "\r\n";
        for (int i = 0; i < 17; ++i) // 17 x 64 KiB
            chunked.send(piece);
        QCOMPARE(chunked.readResponse().status, 413);

        // At the limit it is an ordinary request.
        const QByteArray login = R"({"username":"nobody","password":"wrong"})";
        const QByteArray padded = login + QByteArray(1024 * 1024 - login.size(), ' ');
        QCOMPARE(m_client.post(m_gateway.proxyUrl(QStringLiteral("/api/auth/login")), padded).status, 401);
    }

    // Many bodies at once, each under every per-request limit, cannot fill the memory either: beyond what all
    // requests together may hold (1 MiB here), a body is refused with 503 until the others are done.
    void bodiesHeldAtOnceAreBounded()
    {
        const BodyBudget& budget = m_gateway.service().bodyBudget();
        // The 1 MiB body the test before sent is given back when its exchange is swept from its worker's loop, which
        // a loaded machine may not have run yet: a body sent meanwhile would be refused, and nothing held.
        QTRY_COMPARE(budget.used(), 0);
        RawHttpClient holder;
        QVERIFY(holder.connectTo(m_gateway.service().proxyPort()));
        holder.send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: 1000000\r\n\r\n" +
                    QByteArray(900'000, ' ')); // and the rest never comes
        QTRY_COMPARE(budget.used(), 900'000);

        const QByteArray login = R"({"username":"nobody","password":"wrong"})";
        const QByteArray padded = login + QByteArray(200'000, ' ');
        const auto refused = m_client.post(m_gateway.proxyUrl(QStringLiteral("/api/auth/login")), padded);
        QCOMPARE(refused.status, 503);
        QCOMPARE(errorCode(refused), QStringLiteral("overloaded"));
        QTRY_COMPARE(budget.used(), 900'000); // the refused body gives back what it took as it ends

        holder.socket().abort();
        QTRY_COMPARE(budget.used(), 0);
        QCOMPARE(m_client.post(m_gateway.proxyUrl(QStringLiteral("/api/auth/login")), padded).status, 401);
    }

    // The desktop app keeps its admin API off the proxy port; a server may let only its admins' networks reach it.
    void theProxyPortServesTheAdminApiOnlyWhereConfigured()
    {
        const QByteArray login = R"({"username":"admin","password":"wrong"})";
        GatewayHarness off([](Config& config) { config.adminOnProxyPort = false; });
        QVERIFY(off.start());
        const auto notServed = m_client.post(off.proxyUrl(QStringLiteral("/api/auth/login")), login);
        QCOMPARE(notServed.status, 404);
        QCOMPARE(errorCode(notServed), QStringLiteral("not_found"));
        QCOMPARE(m_client.post(off.adminUrl(QStringLiteral("/api/auth/login")), login).status, 401);

        GatewayHarness allowlisted([](Config& config) {
            config.adminAllowedSubnets = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.2/32")),
                                          QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8"))};
        });
        QVERIFY(allowlisted.start());
        const auto stranger = m_client.post(allowlisted.proxyUrl(QStringLiteral("/api/auth/login")), login);
        QCOMPARE(stranger.status, 403);
        QCOMPARE(errorCode(stranger), QStringLiteral("forbidden"));
        RawHttpClient allowed;
        QVERIFY(allowed.connectFrom(QHostAddress(QStringLiteral("127.0.0.2")), allowlisted.service().proxyPort()));
        allowed.send("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: " +
                     QByteArray::number(login.size()) + "\r\n\r\n" + login);
        QCOMPARE(allowed.readResponse().status, 401);
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
