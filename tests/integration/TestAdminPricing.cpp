#include "AdminApiClient.h"
#include "GatewayHarness.h"
#include "TestRegistry.h"

#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

// /api/pricing: model prices per provider type; stats:view or stats:own to read, providers:manage to change.
class TestAdminPricing : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    std::unique_ptr<AdminApiClient> m_admin;
    std::unique_ptr<AdminApiClient> m_user;    // role user: stats:own
    std::unique_ptr<AdminApiClient> m_apiOnly; // role api_only: no statistics
    qint64 m_openai = 0;

    static QString errorMessage(const HttpTestClient::Response& response)
    {
        return response.json()[QLatin1String("error")][QLatin1String("message")].toString();
    }

    HttpTestClient::Response createPrice(const QString& pattern, qint64 input = 1000000)
    {
        return m_admin->post(QStringLiteral("/api/pricing"), {{QStringLiteral("providerTypeId"), m_openai},
                                                              {QStringLiteral("modelPattern"), pattern},
                                                              {QStringLiteral("inputMicrosPerMTok"), input},
                                                              {QStringLiteral("outputMicrosPerMTok"), 4000000}});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_gateway.start());
        m_admin = std::make_unique<AdminApiClient>(m_gateway);
        QVERIFY(AdminApiClient::createUser(m_gateway, QStringLiteral("user"), QStringLiteral("user-password-1"),
                                           QStringLiteral("user")) > 0);
        QVERIFY(AdminApiClient::createUser(m_gateway, QStringLiteral("robot"), QStringLiteral("robot-password-1"),
                                           QStringLiteral("api_only")) > 0);
        m_user = std::make_unique<AdminApiClient>(m_gateway, QStringLiteral("user"), QStringLiteral("user-password-1"));
        m_apiOnly =
            std::make_unique<AdminApiClient>(m_gateway, QStringLiteral("robot"), QStringLiteral("robot-password-1"));
        for (const QJsonValue& type :
             m_admin->get(QStringLiteral("/api/provider-types?q=openai")).json()[QLatin1String("items")].toArray())
            m_openai = type[QLatin1String("id")].toInteger();
        QVERIFY(m_openai > 0);
    }

    void seededExamplesAreListed()
    {
        const auto list = m_user->get(QStringLiteral("/api/pricing?providerTypeId=%1&q=gpt-4o").arg(m_openai));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json()[QLatin1String("total")].toInt(), 2); // gpt-4o* and gpt-4o-mini*
        const QJsonObject first = list.json()[QLatin1String("items")][0].toObject();
        QCOMPARE(first[QLatin1String("modelPattern")].toString(), QStringLiteral("gpt-4o*"));
        QCOMPARE(first[QLatin1String("inputMicrosPerMTok")].toInteger(), 2500000);
        QCOMPARE(first[QLatin1String("example")].toBool(), true);
        QCOMPARE(first[QLatin1String("providerType")].toString(), QStringLiteral("openai"));
        QCOMPARE(m_apiOnly->get(QStringLiteral("/api/pricing")).status, 403);
    }

    void createUpdateDelete()
    {
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto created = createPrice(QStringLiteral("gpt-5*"));
        QCOMPARE(created.status, 201);
        QCOMPARE(routing.count(), 1);
        const qint64 id = created.json()[QLatin1String("id")].toInteger();
        QCOMPARE(created.json()[QLatin1String("cacheReadMicrosPerMTok")].toInteger(), 0);
        QCOMPARE(created.json()[QLatin1String("example")].toBool(), false);
        QCOMPARE(createPrice(QStringLiteral("gpt-5*")).status, 409);

        const auto patched = m_admin->patch(QStringLiteral("/api/pricing/%1").arg(id),
                                            {{QStringLiteral("outputMicrosPerMTok"), 8000000},
                                             {QStringLiteral("modelPattern"), QStringLiteral("gpt-5")}});
        QCOMPARE(patched.status, 200);
        QCOMPARE(routing.count(), 2);
        QCOMPARE(patched.json()[QLatin1String("outputMicrosPerMTok")].toInteger(), 8000000);
        QCOMPARE(patched.json()[QLatin1String("modelPattern")].toString(), QStringLiteral("gpt-5"));

        QCOMPARE(m_admin->remove(QStringLiteral("/api/pricing/%1").arg(id)).status, 204);
        QCOMPARE(routing.count(), 3);
        QCOMPARE(m_admin->remove(QStringLiteral("/api/pricing/%1").arg(id)).status, 404);
        QCOMPARE(m_admin->get(QStringLiteral("/api/pricing?q=gpt-5")).json()[QLatin1String("total")].toInt(), 0);
        // The deletion is audited with what the price was.
        auto audit = m_gateway.service().database().exec(
            QStringLiteral("SELECT details FROM audit_log WHERE action = 'pricing.delete' AND object_id = ?"),
            {QString::number(id)});
        QVERIFY(audit && audit->next());
        QVERIFY(audit->value(0).toString().contains(QStringLiteral("8000000")));
        QCOMPARE(createPrice(QStringLiteral("gpt-5")).status, 201);
    }

    void editingAnExampleMakesItOwn()
    {
        const auto list = m_admin->get(QStringLiteral("/api/pricing?q=claude-opus"));
        const qint64 id = list.json()[QLatin1String("items")][0][QLatin1String("id")].toInteger();
        const auto patched = m_admin->patch(QStringLiteral("/api/pricing/%1").arg(id),
                                            {{QStringLiteral("inputMicrosPerMTok"), 14000000}});
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json()[QLatin1String("example")].toBool(), false);
    }

    void onlyProviderManagersChangePrices()
    {
        const auto created =
            m_user->post(QStringLiteral("/api/pricing"), {{QStringLiteral("providerTypeId"), m_openai},
                                                          {QStringLiteral("modelPattern"), QStringLiteral("x")}});
        QCOMPARE(created.status, 403);
        QVERIFY(errorMessage(created).contains(QStringLiteral("providers:manage")));
        const qint64 id = m_admin->get(QStringLiteral("/api/pricing"))
                              .json()[QLatin1String("items")][0][QLatin1String("id")]
                              .toInteger();
        QCOMPARE(m_user->patch(QStringLiteral("/api/pricing/%1").arg(id), {{QStringLiteral("inputMicrosPerMTok"), 1}})
                     .status,
                 403);
        QCOMPARE(m_user->remove(QStringLiteral("/api/pricing/%1").arg(id)).status, 403);
    }

    void badInputIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QString path = QStringLiteral("/api/pricing");
        const auto create = [&](const QString& fields) {
            return QStringLiteral("{\"providerTypeId\":%1%2}").arg(m_openai).arg(fields).toUtf8();
        };
        QTest::newRow("broken json") << QByteArray("POST") << path << QByteArray("{,}") << 400 << "not valid JSON";
        QTest::newRow("star inside") << QByteArray("POST") << path << create(",\"modelPattern\":\"gpt*5\"") << 400
                                     << "'modelPattern'";
        QTest::newRow("space") << QByteArray("POST") << path << create(",\"modelPattern\":\"gpt 5\"") << 400
                               << "'modelPattern'";
        QTest::newRow("negative") << QByteArray("POST") << path
                                  << create(",\"modelPattern\":\"m\",\"inputMicrosPerMTok\":-1") << 400
                                  << "'inputMicrosPerMTok'";
        QTest::newRow("huge") << QByteArray("POST") << path
                              << create(",\"modelPattern\":\"m\",\"outputMicrosPerMTok\":1e18") << 400
                              << "'outputMicrosPerMTok'";
        QTest::newRow("text price") << QByteArray("POST") << path
                                    << create(",\"modelPattern\":\"m\",\"cacheReadMicrosPerMTok\":\"1\"") << 400
                                    << "'cacheReadMicrosPerMTok'";
        QTest::newRow("unknown field") << QByteArray("POST") << path << create(",\"modelPattern\":\"m\",\"usd\":1")
                                       << 400 << "'usd' is not a known field";
        QTest::newRow("duplicate") << QByteArray("POST") << path << create(",\"modelPattern\":\"gpt-4o*\"") << 409
                                   << "already has a price";
        QTest::newRow("no such type") << QByteArray("POST") << path
                                      << QByteArray("{\"providerTypeId\":9999,\"modelPattern\":\"m\"}") << 400
                                      << "'providerTypeId' 9999 is not a provider type";
        QTest::newRow("patch unknown id") << QByteArray("PATCH") << QStringLiteral("/api/pricing/99999")
                                          << QByteArray("{\"inputMicrosPerMTok\":1}") << 404 << "no price";
        QTest::newRow("patch type") << QByteArray("PATCH") << QStringLiteral("/api/pricing/1")
                                    << QByteArray("{\"providerTypeId\":2}") << 400 << "cannot be changed";
    }

    void badInputIsRefusedAndChangesNothing()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        const QByteArray before = m_admin->get(QStringLiteral("/api/pricing?pageSize=500")).body;
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto response = m_admin->sendRaw(method, path, body);
        QCOMPARE(response.status, status);
        QVERIFY2(errorMessage(response).contains(message), qPrintable(errorMessage(response)));
        QCOMPARE(m_admin->get(QStringLiteral("/api/pricing?pageSize=500")).body, before);
        QCOMPARE(routing.count(), 0);
    }
};

GATEHOUSE_TEST_MAIN(TestAdminPricing)
#include "TestAdminPricing.moc"
