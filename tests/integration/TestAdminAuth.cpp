#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

class TestAdminAuth : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    HttpTestClient m_client;

    HttpTestClient::Response login(const QString& username, const QString& password)
    {
        return m_client.post(
            m_gateway.adminUrl(QStringLiteral("/api/auth/login")),
            QJsonDocument(QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}})
                .toJson());
    }

private slots:
    void initTestCase() { QVERIFY(m_gateway.start()); }

    void firstAdminLogsInAndSeesItself()
    {
        const auto response = login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword));
        QCOMPARE(response.status, 200);
        const QString token = response.json()[QLatin1String("accessToken")].toString();
        QCOMPARE(token.count(QLatin1Char('.')), 2);
        QCOMPARE(response.json()[QLatin1String("user")][QLatin1String("role")].toString(),
                 QStringLiteral("super_admin"));

        const auto me = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/auth/me")),
                                     {{"Authorization", "Bearer " + token.toLatin1()}});
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json()[QLatin1String("username")].toString(), QStringLiteral("admin"));
        QVERIFY(me.json()[QLatin1String("permissions")].toArray().contains(QStringLiteral("super_admin")));
    }

    void wrongPasswordAndUnknownUserLookAlike()
    {
        const auto wrong = login(QStringLiteral("admin"), QStringLiteral("not the password"));
        const auto unknown = login(QStringLiteral("nobody"), QStringLiteral("not the password"));
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.status, 401);
        QCOMPARE(wrong.body, unknown.body);
        QCOMPARE(wrong.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("unauthenticated"));
    }

    void protectedRouteNeedsAToken_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("none") << QByteArray();
        QTest::newRow("not bearer") << QByteArray("Basic YWRtaW46eA==");
        QTest::newRow("garbage") << QByteArray("Bearer abc.def.ghi");
        QTest::newRow("alg none") << QByteArray(
            "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwiZXhwIjo5OTk5OTk5OTk5fQ.");
    }

    void protectedRouteNeedsAToken()
    {
        QFETCH(QByteArray, authorization);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        const auto me = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/auth/me")), headers);
        QCOMPARE(me.status, 401);
        QCOMPARE(me.header("WWW-Authenticate"), QByteArray("Bearer"));
    }

    void firstAdminPasswordIsStoredOnlyAsHash()
    {
        const QByteArray stored = m_gateway.storedBytes();
        QVERIFY(stored.contains("admin")); // the scan sees the users
        QVERIFY(!stored.contains(GatewayHarness::kAdminPassword));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminAuth)
#include "TestAdminAuth.moc"
