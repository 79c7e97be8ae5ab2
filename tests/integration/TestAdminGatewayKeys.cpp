#include "AdminApiClient.h"
#include "GatewayHarness.h"
#include "TestRegistry.h"

#include "auth/GatewayKeyCodec.h"
#include "storage/Database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

// /api/gateway-keys: the key shown once and stored as a hash, regenerate, one active key per user and provider type,
// pool validation, own-versus-all visibility, strict input.
class TestAdminGatewayKeys : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    std::unique_ptr<AdminApiClient> m_admin;
    std::unique_ptr<AdminApiClient> m_alice;  // role user: own keys only
    std::unique_ptr<AdminApiClient> m_bob;    // role user
    std::unique_ptr<AdminApiClient> m_viewer; // role read_only: sees all, changes nothing
    qint64 m_aliceId = 0;
    qint64 m_bobId = 0;
    qint64 m_viewerId = 0;
    qint64 m_openai = 0;
    qint64 m_anthropic = 0;
    QList<qint64> m_openaiKeys;
    qint64 m_anthropicKey = 0;
    QStringList m_issuedKeys;

    static QString errorMessage(const HttpTestClient::Response& response)
    {
        return response.json()[QLatin1String("error")][QLatin1String("message")].toString();
    }

    static qint64 idOf(const HttpTestClient::Response& response)
    {
        return response.json()[QLatin1String("id")].toInteger();
    }

    qint64 typeId(const QString& name)
    {
        const auto types = m_admin->get(QStringLiteral("/api/provider-types?q=") + name);
        for (const QJsonValue& type : types.json()[QLatin1String("items")].toArray()) {
            if (type[QLatin1String("name")].toString() == name)
                return type[QLatin1String("id")].toInteger();
        }
        return 0;
    }

    qint64 providerKey(const QString& name, qint64 type)
    {
        return idOf(m_admin->post(QStringLiteral("/api/provider-keys"),
                                  {{QStringLiteral("name"), name},
                                   {QStringLiteral("providerTypeId"), type},
                                   {QStringLiteral("secret"), QStringLiteral("sk-provider-secret-") + name}}));
    }

    static QJsonArray ids(const QList<qint64>& values)
    {
        QJsonArray array;
        for (qint64 value : values)
            array.append(value);
        return array;
    }

    HttpTestClient::Response createKey(AdminApiClient& as, QJsonObject fields)
    {
        if (!fields.contains(QLatin1String("providerTypeId")))
            fields.insert(QStringLiteral("providerTypeId"), m_openai);
        const auto response = as.post(QStringLiteral("/api/gateway-keys"), fields);
        if (response.status == 201)
            m_issuedKeys << response.json()[QLatin1String("key")].toString();
        return response;
    }

    QByteArray storedHash(qint64 id)
    {
        auto row =
            m_gateway.service().database().exec(QStringLiteral("SELECT key_hash FROM gateway_keys WHERE id = ?"), {id});
        return row && row->next() ? row->value(0).toString().toLatin1() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_gateway.start());
        m_admin = std::make_unique<AdminApiClient>(m_gateway);
        m_aliceId = AdminApiClient::createUser(m_gateway, QStringLiteral("alice"), QStringLiteral("alice-password-1"),
                                               QStringLiteral("user"));
        m_bobId = AdminApiClient::createUser(m_gateway, QStringLiteral("bob"), QStringLiteral("bob-password-1"),
                                             QStringLiteral("user"));
        m_viewerId = AdminApiClient::createUser(m_gateway, QStringLiteral("viewer"),
                                                QStringLiteral("viewer-password-1"), QStringLiteral("read_only"));
        QVERIFY(m_aliceId > 0 && m_bobId > 0 && m_viewerId > 0);
        m_alice =
            std::make_unique<AdminApiClient>(m_gateway, QStringLiteral("alice"), QStringLiteral("alice-password-1"));
        m_bob = std::make_unique<AdminApiClient>(m_gateway, QStringLiteral("bob"), QStringLiteral("bob-password-1"));
        m_viewer =
            std::make_unique<AdminApiClient>(m_gateway, QStringLiteral("viewer"), QStringLiteral("viewer-password-1"));
        m_openai = typeId(QStringLiteral("openai"));
        m_anthropic = typeId(QStringLiteral("anthropic"));
        m_openaiKeys = {providerKey(QStringLiteral("oa-1"), m_openai), providerKey(QStringLiteral("oa-2"), m_openai)};
        m_anthropicKey = providerKey(QStringLiteral("an-1"), m_anthropic);
        QVERIFY(m_openaiKeys.at(0) > 0 && m_openaiKeys.at(1) > 0 && m_anthropicKey > 0);
    }

    void createReturnsTheKeyOnce()
    {
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto created =
            createKey(*m_admin, {{QStringLiteral("name"), QStringLiteral("laptop")},
                                 {QStringLiteral("userId"), m_aliceId},
                                 {QStringLiteral("pool"), ids(m_openaiKeys)},
                                 {QStringLiteral("strategy"), QStringLiteral("weighted")},
                                 {QStringLiteral("retryCount"), 3},
                                 {QStringLiteral("timeoutMs"), 60000},
                                 {QStringLiteral("rpmLimit"), 30},
                                 {QStringLiteral("costPerDayLimitMicros"), 5000000},
                                 {QStringLiteral("expiresAt"), QStringLiteral("2099-01-31T12:00:00Z")}});
        QCOMPARE(created.status, 201);
        QCOMPARE(routing.count(), 1);
        const QJsonObject key = created.json().object();
        const QString secret = key[QLatin1String("key")].toString();
        QVERIFY(GatewayKeyCodec::looksLikeGatewayKey(secret));
        QCOMPARE(key[QLatin1String("keyPrefix")].toString(), GatewayKeyCodec::prefix(secret));
        QCOMPARE(key[QLatin1String("userId")].toInteger(), m_aliceId);
        QCOMPARE(key[QLatin1String("username")].toString(), QStringLiteral("alice"));
        QCOMPARE(key[QLatin1String("providerType")].toString(), QStringLiteral("openai"));
        QCOMPARE(key[QLatin1String("strategy")].toString(), QStringLiteral("weighted"));
        QCOMPARE(key[QLatin1String("retryCount")].toInt(), 3);
        QCOMPARE(key[QLatin1String("rpmLimit")].toInt(), 30);
        QVERIFY(key[QLatin1String("rpdLimit")].isNull());
        QCOMPARE(key[QLatin1String("costPerDayLimitMicros")].toInteger(), 5000000);
        QCOMPARE(key[QLatin1String("expiresAt")].toString(), QStringLiteral("2099-01-31T12:00:00.000Z"));
        QCOMPARE(key[QLatin1String("enabled")].toBool(), true);
        QCOMPARE(key[QLatin1String("pool")].toArray(), ids(m_openaiKeys));
        QCOMPARE(storedHash(idOf(created)), GatewayKeyCodec::hash(secret.toLatin1()));

        const auto again = m_alice->get(QStringLiteral("/api/gateway-keys/%1").arg(idOf(created)));
        QCOMPARE(again.status, 200);
        QVERIFY(!again.json().object().contains(QLatin1String("key")));
        QVERIFY(!again.body.contains(secret.toLatin1()));
        QVERIFY(!m_admin->get(QStringLiteral("/api/gateway-keys")).body.contains(secret.toLatin1()));
    }

    void regenerateReplacesTheHash()
    {
        const auto created = createKey(*m_bob, {{QStringLiteral("name"), QStringLiteral("ci")}});
        QCOMPARE(created.status, 201);
        const qint64 id = idOf(created);
        const QString old = created.json()[QLatin1String("key")].toString();
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto regenerated = m_bob->post(QStringLiteral("/api/gateway-keys/%1/regenerate").arg(id));
        QCOMPARE(regenerated.status, 200);
        QCOMPARE(routing.count(), 1);
        const QString fresh = regenerated.json()[QLatin1String("key")].toString();
        m_issuedKeys << fresh;
        QVERIFY(GatewayKeyCodec::looksLikeGatewayKey(fresh));
        QVERIFY(fresh != old);
        QCOMPARE(regenerated.json()[QLatin1String("keyPrefix")].toString(), GatewayKeyCodec::prefix(fresh));
        QCOMPARE(storedHash(id), GatewayKeyCodec::hash(fresh.toLatin1()));
        auto stale =
            m_gateway.service().database().exec(QStringLiteral("SELECT COUNT(*) FROM gateway_keys WHERE key_hash = ?"),
                                                {QString::fromLatin1(GatewayKeyCodec::hash(old.toLatin1()))});
        QVERIFY(stale && stale->next());
        QCOMPARE(stale->value(0).toInt(), 0);
    }

    void oneActiveKeyPerUserAndType()
    {
        // alice holds an active openai key (createReturnsTheKeyOnce).
        const auto second = createKey(*m_alice, {{QStringLiteral("name"), QStringLiteral("second")}});
        QCOMPARE(second.status, 409);
        QVERIFY(errorMessage(second).contains(QStringLiteral("at most one")));
        const auto disabled = createKey(
            *m_alice, {{QStringLiteral("name"), QStringLiteral("spare")}, {QStringLiteral("enabled"), false}});
        QCOMPARE(disabled.status, 201);
        const qint64 spare = idOf(disabled);
        QCOMPARE(m_alice->patch(QStringLiteral("/api/gateway-keys/%1").arg(spare), {{QStringLiteral("enabled"), true}})
                     .status,
                 409);
        // Another provider type is another slot.
        QCOMPARE(createKey(*m_alice, {{QStringLiteral("providerTypeId"), m_anthropic}}).status, 201);

        const auto list = m_alice->get(QStringLiteral("/api/gateway-keys?q=laptop"));
        const qint64 laptop = list.json()[QLatin1String("items")][0][QLatin1String("id")].toInteger();
        QCOMPARE(
            m_alice->patch(QStringLiteral("/api/gateway-keys/%1").arg(laptop), {{QStringLiteral("enabled"), false}})
                .status,
            200);
        QCOMPARE(m_alice->patch(QStringLiteral("/api/gateway-keys/%1").arg(spare), {{QStringLiteral("enabled"), true}})
                     .status,
                 200);
        QCOMPARE(m_alice->patch(QStringLiteral("/api/gateway-keys/%1").arg(laptop), {{QStringLiteral("enabled"), true}})
                     .status,
                 409);
        // Deleting the active one frees the slot.
        QCOMPARE(m_alice->remove(QStringLiteral("/api/gateway-keys/%1").arg(spare)).status, 204);
        QCOMPARE(m_alice->patch(QStringLiteral("/api/gateway-keys/%1").arg(laptop), {{QStringLiteral("enabled"), true}})
                     .status,
                 200);
    }

    void poolMustHoldLiveKeysOfTheSameType()
    {
        const auto missing = createKey(*m_admin, {{QStringLiteral("pool"), ids({m_openaiKeys.at(0), 777777})}});
        QCOMPARE(missing.status, 400);
        QCOMPARE(errorMessage(missing),
                 QStringLiteral("'pool': provider key 777777 is not a live key of this gateway key's provider type"));
        // The same words for a key that exists, so that the answer does not tell which ids do.
        const auto foreign = createKey(*m_admin, {{QStringLiteral("pool"), ids({m_anthropicKey})}});
        QCOMPARE(foreign.status, 400);
        QCOMPARE(errorMessage(foreign),
                 errorMessage(missing).replace(QStringLiteral("777777"), QString::number(m_anthropicKey)));

        const qint64 doomed = providerKey(QStringLiteral("oa-doomed"), m_openai);
        const auto created = createKey(*m_admin, {{QStringLiteral("pool"), ids({m_openaiKeys.at(0), doomed})}});
        QCOMPARE(created.status, 201);
        QCOMPARE(m_admin->remove(QStringLiteral("/api/provider-keys/%1").arg(doomed)).status, 204);
        // A deleted provider key leaves the pool and cannot be put back.
        const auto after = m_admin->get(QStringLiteral("/api/gateway-keys/%1").arg(idOf(created)));
        QCOMPARE(after.json()[QLatin1String("pool")].toArray(), ids({m_openaiKeys.at(0)}));
        const auto readd = m_admin->patch(QStringLiteral("/api/gateway-keys/%1").arg(idOf(created)),
                                          {{QStringLiteral("pool"), ids({doomed})}});
        QCOMPARE(readd.status, 400);
        QVERIFY(errorMessage(readd).contains(QString::number(doomed)));
        const auto replaced = m_admin->patch(QStringLiteral("/api/gateway-keys/%1").arg(idOf(created)),
                                             {{QStringLiteral("pool"), ids(m_openaiKeys)}});
        QCOMPARE(replaced.status, 200);
        QCOMPARE(replaced.json()[QLatin1String("pool")].toArray(), ids(m_openaiKeys));
    }

    void usersSeeAndChangeOnlyTheirOwnKeys()
    {
        const auto alices = m_alice->get(QStringLiteral("/api/gateway-keys?pageSize=500"));
        QCOMPARE(alices.status, 200);
        QVERIFY(alices.json()[QLatin1String("total")].toInt() >= 2);
        for (const QJsonValue& key : alices.json()[QLatin1String("items")].toArray())
            QCOMPARE(key[QLatin1String("userId")].toInteger(), m_aliceId);
        const qint64 alicesKey = alices.json()[QLatin1String("items")][0][QLatin1String("id")].toInteger();

        // To bob, alice's keys do not exist.
        QCOMPARE(m_bob->get(QStringLiteral("/api/gateway-keys/%1").arg(alicesKey)).status, 404);
        QCOMPARE(m_bob
                     ->patch(QStringLiteral("/api/gateway-keys/%1").arg(alicesKey),
                             {{QStringLiteral("name"), QStringLiteral("x")}})
                     .status,
                 404);
        QCOMPARE(m_bob->post(QStringLiteral("/api/gateway-keys/%1/regenerate").arg(alicesKey)).status, 404);
        QCOMPARE(m_bob->remove(QStringLiteral("/api/gateway-keys/%1").arg(alicesKey)).status, 404);
        QCOMPARE(m_bob->get(QStringLiteral("/api/gateway-keys?userId=%1").arg(m_aliceId))
                     .json()[QLatin1String("total")]
                     .toInt(),
                 0);
        const auto forAlice =
            m_bob->post(QStringLiteral("/api/gateway-keys"),
                        {{QStringLiteral("providerTypeId"), m_anthropic}, {QStringLiteral("userId"), m_aliceId}});
        QCOMPARE(forAlice.status, 403);

        // Admins and viewers see everyone's; viewers change nothing.
        const auto all = m_admin->get(QStringLiteral("/api/gateway-keys?pageSize=500"));
        QVERIFY(all.json()[QLatin1String("total")].toInt() > alices.json()[QLatin1String("total")].toInt());
        QCOMPARE(
            m_admin->get(QStringLiteral("/api/gateway-keys?userId=%1").arg(m_aliceId)).json()[QLatin1String("total")],
            alices.json()[QLatin1String("total")]);
        QCOMPARE(m_viewer->get(QStringLiteral("/api/gateway-keys/%1").arg(alicesKey)).status, 200);
        QCOMPARE(
            m_viewer->patch(QStringLiteral("/api/gateway-keys/%1").arg(alicesKey), {{QStringLiteral("enabled"), false}})
                .status,
            403);
        QCOMPARE(m_viewer->post(QStringLiteral("/api/gateway-keys/%1/regenerate").arg(alicesKey)).status, 403);
        QCOMPARE(m_viewer->remove(QStringLiteral("/api/gateway-keys/%1").arg(alicesKey)).status, 403);
        QCOMPARE(
            m_viewer->post(QStringLiteral("/api/gateway-keys"), {{QStringLiteral("providerTypeId"), m_openai}}).status,
            403);
        const auto renamed = m_admin->patch(QStringLiteral("/api/gateway-keys/%1").arg(alicesKey),
                                            {{QStringLiteral("name"), QStringLiteral("renamed by admin")}});
        QCOMPARE(renamed.status, 200);
        QCOMPARE(renamed.json()[QLatin1String("name")].toString(), QStringLiteral("renamed by admin"));
    }

    void ownerNeedsTheProxyPermission()
    {
        const auto response = createKey(*m_admin, {{QStringLiteral("userId"), m_viewerId}});
        QCOMPARE(response.status, 400);
        QVERIFY2(errorMessage(response).contains(QStringLiteral("proxy:openai")), qPrintable(errorMessage(response)));
        const auto forBob = createKey(*m_admin, {{QStringLiteral("userId"), m_bobId},
                                                 {QStringLiteral("providerTypeId"), m_anthropic},
                                                 {QStringLiteral("pool"), ids({m_anthropicKey})}});
        QCOMPARE(forBob.status, 201);
        QCOMPARE(forBob.json()[QLatin1String("userId")].toInteger(), m_bobId);
    }

    void badInputIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const auto create = [&](const QString& fields) {
            return QStringLiteral("{\"providerTypeId\":%1,\"enabled\":false%2}").arg(m_openai).arg(fields).toUtf8();
        };
        const QString path = QStringLiteral("/api/gateway-keys");
        QTest::newRow("broken json") << QByteArray("POST") << path << QByteArray("{\"providerTypeId\":1,") << 400
                                     << "not valid JSON";
        QTest::newRow("empty body") << QByteArray("POST") << path << QByteArray() << 400 << "must be a JSON object";
        QTest::newRow("strategy") << QByteArray("POST") << path << create(",\"strategy\":\"random\"") << 400
                                  << "'strategy' must be one of";
        QTest::newRow("retry count") << QByteArray("POST") << path << create(",\"retryCount\":11") << 400
                                     << "'retryCount' must be a whole number from 0 to 10";
        QTest::newRow("timeout type") << QByteArray("POST") << path << create(",\"timeoutMs\":\"60s\"") << 400
                                      << "'timeoutMs'";
        QTest::newRow("fraction") << QByteArray("POST") << path << create(",\"rpmLimit\":1.5") << 400 << "'rpmLimit'";
        QTest::newRow("huge") << QByteArray("POST") << path << create(",\"tokensPerDayLimit\":1e30") << 400
                              << "'tokensPerDayLimit'";
        QTest::newRow("expiry text") << QByteArray("POST") << path << create(",\"expiresAt\":\"tomorrow\"") << 400
                                     << "'expiresAt' must be an ISO 8601 time";
        QTest::newRow("expiry past") << QByteArray("POST") << path << create(",\"expiresAt\":\"2001-01-01T00:00:00Z\"")
                                     << 400 << "'expiresAt' must be in the future";
        QTest::newRow("unknown field") << QByteArray("POST") << path << create(",\"keyHash\":\"00\"") << 400
                                       << "'keyHash' is not a known field";
        QTest::newRow("pool type") << QByteArray("POST") << path << create(",\"pool\":\"1,2\"") << 400 << "'pool'";
        QTest::newRow("no such user") << QByteArray("POST") << path << create(",\"userId\":555555") << 400
                                      << "'userId' 555555 is not a user";
        QTest::newRow("no such type") << QByteArray("POST") << path
                                      << QByteArray("{\"providerTypeId\":555555,\"enabled\":false}") << 400
                                      << "'providerTypeId' 555555 is not a provider type";
        QTest::newRow("long name") << QByteArray("POST") << path
                                   << create(QStringLiteral(",\"name\":\"%1\"").arg(QString(201, u'n'))) << 400
                                   << "'name' must be at most 200";
        // Issue 15: a key without provider keys can only answer 403 empty_pool; whoever may fill its pool must.
        QTest::newRow("manager without a pool")
            << QByteArray("POST") << path << QByteArray("{\"providerTypeId\":1,\"enabled\":false}") << 400
            << "'pool' must hold at least one provider key";
        QTest::newRow("pool emptied") << QByteArray("PATCH") << QStringLiteral("/api/gateway-keys/1")
                                      << QByteArray("{\"pool\":[]}") << 400 << "to stop the key, disable it";
        QTest::newRow("patch owner") << QByteArray("PATCH") << QStringLiteral("/api/gateway-keys/1")
                                     << QByteArray("{\"userId\":2}") << 400 << "'userId' cannot be changed";
        QTest::newRow("patch unknown id") << QByteArray("PATCH") << QStringLiteral("/api/gateway-keys/999999")
                                          << QByteArray("{\"name\":\"x\"}") << 404 << "no gateway key with id 999999";
        QTest::newRow("regenerate unknown id")
            << QByteArray("POST") << QStringLiteral("/api/gateway-keys/999999/regenerate") << QByteArray() << 404
            << "no gateway key";
        QTest::newRow("delete unknown id") << QByteArray("DELETE") << QStringLiteral("/api/gateway-keys/999999")
                                           << QByteArray() << 404 << "no gateway key";
    }

    void badInputIsRefusedAndChangesNothing()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        const QByteArray before = m_admin->get(QStringLiteral("/api/gateway-keys?pageSize=500")).body;
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto response = m_admin->sendRaw(method, path, body);
        QCOMPARE(response.status, status);
        QVERIFY2(errorMessage(response).contains(message), qPrintable(errorMessage(response)));
        QCOMPARE(m_admin->get(QStringLiteral("/api/gateway-keys?pageSize=500")).body, before);
        QCOMPARE(routing.count(), 0);
    }

    void limitsAndExpiryCanBeCleared()
    {
        const auto list = m_alice->get(QStringLiteral("/api/gateway-keys?q=laptop"));
        const qint64 id = list.json()[QLatin1String("items")][0][QLatin1String("id")].toInteger();
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto cleared =
            m_admin->patch(QStringLiteral("/api/gateway-keys/%1").arg(id), {{QStringLiteral("rpmLimit"), QJsonValue()},
                                                                            {QStringLiteral("expiresAt"), QJsonValue()},
                                                                            {QStringLiteral("rpdLimit"), 1000}});
        QCOMPARE(cleared.status, 200);
        QVERIFY(cleared.json()[QLatin1String("rpmLimit")].isNull());
        QVERIFY(cleared.json()[QLatin1String("expiresAt")].isNull());
        QCOMPARE(cleared.json()[QLatin1String("rpdLimit")].toInt(), 1000);
        QCOMPARE(routing.count(), 1);
    }

    // alice holds the key an admin gave her with limits, a budget, an expiry and a pool. Lifting any of them, or
    // adding a provider key to her pool, is the admin's to do; she may rename it and switch it off and on.
    void anOwnerCannotLiftWhatAnAdminSet_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("rpm limit") << "rpmLimit" << QJsonValue();
        QTest::newRow("request budget") << "rpdLimit" << QJsonValue(1'000'000);
        QTest::newRow("token budget") << "tokensPerDayLimit" << QJsonValue();
        QTest::newRow("cost budget") << "costPerDayLimitMicros" << QJsonValue(999'999'999);
        QTest::newRow("expiry") << "expiresAt" << QJsonValue();
        QTest::newRow("retries") << "retryCount" << QJsonValue(10);
        QTest::newRow("timeout") << "timeoutMs" << QJsonValue(3'600'000);
        QTest::newRow("strategy") << "strategy" << QJsonValue(QStringLiteral("smart"));
        QTest::newRow("pool") << "pool" << QJsonValue(ids({m_openaiKeys.at(0), m_openaiKeys.at(1), m_anthropicKey}));
    }

    void anOwnerCannotLiftWhatAnAdminSet()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        const auto list = m_alice->get(QStringLiteral("/api/gateway-keys?q=laptop"));
        const qint64 id = list.json()[QLatin1String("items")][0][QLatin1String("id")].toInteger();
        const QString path = QStringLiteral("/api/gateway-keys/%1").arg(id);
        const QByteArray before = m_admin->get(path).body;
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);

        const auto lifted = m_alice->patch(path, {{field, value}, {QStringLiteral("name"), QStringLiteral("mine")}});
        QCOMPARE(lifted.status, 403);
        QVERIFY2(errorMessage(lifted).contains(QStringLiteral("'%1'").arg(field)) &&
                     errorMessage(lifted).contains(QStringLiteral("gateway_keys:manage")),
                 qPrintable(errorMessage(lifted)));
        QCOMPARE(m_admin->get(path).body, before);
        QCOMPARE(routing.count(), 0);
        // Nor on a key of her own making.
        const auto created = createKey(*m_alice, {{field, value}, {QStringLiteral("enabled"), false}});
        QCOMPARE(created.status, 403);
        auto denied = m_gateway.service().database().exec(
            QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'permission.denied' AND details LIKE ?"),
            {QStringLiteral("%gateway_key.create%'%1'%").arg(field)});
        QVERIFY(denied && denied->next());
        QVERIFY(denied->value(0).toInt() >= 1);

        const auto renamed = m_alice->patch(
            path, {{QStringLiteral("name"), QStringLiteral("laptop (alice)")}, {QStringLiteral("enabled"), true}});
        QCOMPARE(renamed.status, 200);
        QCOMPARE(renamed.json()[QLatin1String("name")].toString(), QStringLiteral("laptop (alice)"));
        QCOMPARE(renamed.json()[QLatin1String("rpdLimit")], QJsonDocument::fromJson(before)[QLatin1String("rpdLimit")]);
        QCOMPARE(m_admin->patch(path, {{QStringLiteral("name"), QStringLiteral("laptop")}}).status, 200);
    }

    void deletedKeysDisappear()
    {
        const auto created = createKey(
            *m_bob, {{QStringLiteral("name"), QStringLiteral("temporary")}, {QStringLiteral("enabled"), false}});
        QCOMPARE(created.status, 201);
        const qint64 id = idOf(created);
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        QCOMPARE(m_bob->remove(QStringLiteral("/api/gateway-keys/%1").arg(id)).status, 204);
        QCOMPARE(routing.count(), 1);
        QCOMPARE(m_bob->get(QStringLiteral("/api/gateway-keys/%1").arg(id)).status, 404);
        QCOMPARE(m_admin->get(QStringLiteral("/api/gateway-keys/%1").arg(id)).status, 404);
        QCOMPARE(m_bob->get(QStringLiteral("/api/gateway-keys?q=temporary")).json()[QLatin1String("total")].toInt(), 0);
        QCOMPARE(m_bob->post(QStringLiteral("/api/gateway-keys/%1/regenerate").arg(id)).status, 404);
    }

    void listsFilterAndSort()
    {
        const auto enabled =
            m_admin->get(QStringLiteral("/api/gateway-keys?enabled=true&providerTypeId=%1&sort=name").arg(m_openai));
        QCOMPARE(enabled.status, 200);
        QStringList names;
        for (const QJsonValue& key : enabled.json()[QLatin1String("items")].toArray()) {
            QVERIFY(key[QLatin1String("enabled")].toBool());
            QCOMPARE(key[QLatin1String("providerType")].toString(), QStringLiteral("openai"));
            names << key[QLatin1String("name")].toString();
        }
        QStringList sorted = names;
        sorted.sort();
        QCOMPARE(names, sorted);
        QCOMPARE(m_admin->get(QStringLiteral("/api/gateway-keys?sort=key_hash")).status, 400);
        QCOMPARE(m_admin->get(QStringLiteral("/api/gateway-keys?userId=abc")).status, 400);
    }

    void noGatewayKeyInClearTextInTheDatabaseFiles()
    {
        QVERIFY(m_issuedKeys.size() >= 5);
        const QByteArray bytes = m_gateway.storedBytes();
        // The scan does see what was written: the hash of the newest key.
        QVERIFY(bytes.contains(GatewayKeyCodec::hash(m_issuedKeys.constLast().toLatin1())));
        for (const QString& key : std::as_const(m_issuedKeys)) {
            QVERIFY(!key.isEmpty());
            QVERIFY2(!bytes.contains(key.toLatin1()), "a gateway key is stored in clear text");
            QVERIFY(!bytes.contains(key.mid(GatewayKeyCodec::kPrefixLength).toLatin1()));
        }
    }
};

GATEHOUSE_TEST_MAIN(TestAdminGatewayKeys)
#include "TestAdminGatewayKeys.moc"
