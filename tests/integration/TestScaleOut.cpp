#include "FakeOpenAI.h"
#include "GatehousedProcess.h"
#include "HttpTestClient.h"
#include "RedisServer.h"
#include "ScratchDatabase.h"
#include "TestRegistry.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Two gatehoused processes on one database, as behind a load balancer: what an admin changes through one is what
// the other routes by, within a second — on one SQLite file or one PostgreSQL through the change counter alone, and
// at once with Redis announcing each change — a logout through one ends the session on the other, and failed logins
// count on both. With Redis, both count every limit together, and go on serving when it goes away.
class TestScaleOut : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kPassword = "scale-out-admin-password";

    FakeOpenAI m_openai;

    static HttpTestClient::Response call(const QByteArray& method, const QUrl& url, const QByteArray& token,
                                         const QJsonObject& body = {})
    {
        HttpTestClient client;
        return client.send(method, url, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(),
                           {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
    }

    static int chat(const GatehousedProcess& instance, const QByteArray& key)
    {
        HttpTestClient client;
        return client
            .post(instance.proxy().resolved(QUrl(QStringLiteral("/v1/chat/completions"))),
                  R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]})",
                  {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}})
            .status;
    }

private slots:
    void initTestCase()
    {
        m_openai.addApiKey(QStringLiteral("sk-scale-out-0123456789"));
        m_openai.addApiKey(QStringLiteral("sk-scale-out-limited-01"));
        QVERIFY(m_openai.listen());
    }

    void aChangeThroughOneIsSeenByTheOther_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<bool>("redis");
        QTest::newRow("sqlite") << QStringLiteral("sqlite") << false;
        QTest::newRow("postgresql") << QStringLiteral("postgresql") << false;
        QTest::newRow("postgresql+redis") << QStringLiteral("postgresql") << true;
    }

    void aChangeThroughOneIsSeenByTheOther()
    {
        QFETCH(QString, engine);
        QFETCH(bool, redis);
        m_openai.clearKeyBehavior(QStringLiteral("sk-scale-out-limited-01"));
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        RedisServer redisServer;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"), QLatin1String(kPassword));
        environment.insert(QStringLiteral("GATEHOUSE_MASTER_KEY"),
                           QStringLiteral("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        environment.insert(QStringLiteral("GATEHOUSE_LOG_LEVEL"), QStringLiteral("warning"));
        if (engine == QLatin1String("postgresql"))
            environment.insert(QStringLiteral("GATEHOUSE_DATABASE_URL"), scratch.config().databaseUrl);
        if (redis) {
            QVERIFY(redisServer.start());
            environment.insert(QStringLiteral("GATEHOUSE_REDIS_URL"), redisServer.url());
        }
        // SQLite: both on the one file of a shared folder. PostgreSQL: folders of their own.
        QTemporaryDir shared, own;
        const QString dirA = shared.path();
        const QString dirB = engine == QLatin1String("sqlite") ? shared.path() : own.path();
        GatehousedProcess a, b;
        QVERIFY(a.start(dirA, environment)); // the first migrates the database; then the second joins
        QVERIFY(b.start(dirB, environment));

        HttpTestClient client;
        const auto login =
            client.post(a.admin().resolved(QUrl(QStringLiteral("/api/auth/login"))),
                        QJsonDocument(QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                  {QStringLiteral("password"), QLatin1String(kPassword)}})
                            .toJson());
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json()[QLatin1String("accessToken")].toString().toLatin1();
        QCOMPARE(call("PATCH", a.admin().resolved(QUrl(QStringLiteral("/api/provider-types/1"))), token,
                      {{QStringLiteral("baseUrl"), m_openai.url().toString()}})
                     .status,
                 200);
        const auto providerKey = call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/provider-keys"))), token,
                                      {{QStringLiteral("providerTypeId"), 1},
                                       {QStringLiteral("name"), QStringLiteral("team")},
                                       {QStringLiteral("secret"), QStringLiteral("sk-scale-out-0123456789")}});
        QCOMPARE(providerKey.status, 201);
        const auto gatewayKey =
            call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/gateway-keys"))), token,
                 {{QStringLiteral("name"), QStringLiteral("app")},
                  {QStringLiteral("providerTypeId"), 1},
                  {QStringLiteral("pool"), QJsonArray{providerKey.json()[QLatin1String("id")].toInteger()}}});
        QCOMPARE(gatewayKey.status, 201);
        const QByteArray key = gatewayKey.json()[QLatin1String("key")].toString().toLatin1();
        const qint64 keyId = gatewayKey.json()[QLatin1String("id")].toInteger();

        // Created through A, served by B.
        QElapsedTimer seen;
        seen.start();
        QTRY_COMPARE_WITH_TIMEOUT(chat(b, key), 200, 2'000);
        qInfo("%s%s: a new key served by the other instance after %lld ms", qPrintable(engine), redis ? "+redis" : "",
              seen.elapsed());

        // Disabled through A, refused by B within a second.
        QCOMPARE(call("PATCH", a.admin().resolved(QUrl(QStringLiteral("/api/gateway-keys/%1").arg(keyId))), token,
                      {{QStringLiteral("enabled"), false}})
                     .status,
                 200);
        QElapsedTimer refused;
        refused.start();
        while (chat(b, key) == 200 && refused.elapsed() < 3'000)
            QTest::qWait(20);
        const qint64 took = refused.elapsed();
        qInfo("%s%s: a disabled key refused by the other instance after %lld ms", qPrintable(engine),
              redis ? "+redis" : "", took);
        QVERIFY2(took < 1'000, qPrintable(QString::number(took)));
        QCOMPARE(chat(a, key), 401);

        // A provider key that answered 429 on A rests on B too: B sends its calls to the other key of the pool.
        // (The pool holds the limited key alone while A meets the 429, so no balancing decides whether A tries it.)
        const auto limitedKey = call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/provider-keys"))), token,
                                     {{QStringLiteral("providerTypeId"), 1},
                                      {QStringLiteral("name"), QStringLiteral("limited")},
                                      {QStringLiteral("secret"), QStringLiteral("sk-scale-out-limited-01")}});
        QCOMPARE(limitedKey.status, 201);
        const qint64 limitedId = limitedKey.json()[QLatin1String("id")].toInteger();
        const auto pooled = call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/gateway-keys"))), token,
                                 {{QStringLiteral("name"), QStringLiteral("pooled")},
                                  {QStringLiteral("providerTypeId"), 1},
                                  {QStringLiteral("pool"), QJsonArray{limitedId}}});
        QCOMPARE(pooled.status, 201);
        const QByteArray pooledKey = pooled.json()[QLatin1String("key")].toString().toLatin1();
        QTRY_COMPARE_WITH_TIMEOUT(chat(b, pooledKey), 200, 2'000);
        m_openai.setKeyBehavior(QStringLiteral("sk-scale-out-limited-01"), FakeBehavior::rateLimited(120));
        const auto callsWithLimited = [this] {
            return std::count_if(m_openai.requests().begin(), m_openai.requests().end(), [](const auto& request) {
                return request.header("authorization") == "Bearer sk-scale-out-limited-01";
            });
        };
        const auto before = callsWithLimited(); // the calls of earlier rows and of the first call above
        QCOMPARE(chat(a, pooledKey), 429);
        QCOMPARE(callsWithLimited(), before + 1);
        QElapsedTimer rested;
        rested.start();
        QCOMPARE(
            call("PATCH",
                 a.admin().resolved(
                     QUrl(QStringLiteral("/api/gateway-keys/%1").arg(pooled.json()[QLatin1String("id")].toInteger()))),
                 token,
                 {{QStringLiteral("pool"), QJsonArray{limitedId, providerKey.json()[QLatin1String("id")].toInteger()}}})
                .status,
            200);
        const auto statusOnB = [&] {
            for (const QJsonValue& health : call("GET", b.admin().resolved(QUrl(QStringLiteral("/api/health"))), token)
                                                .json()[QLatin1String("keys")]
                                                .toArray()) {
                if (health[QLatin1String("id")].toInteger() == limitedId)
                    return health[QLatin1String("status")].toString();
            }
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(statusOnB(), QStringLiteral("cooling_down"), 3'000);
        const auto health = call("GET", b.admin().resolved(QUrl(QStringLiteral("/api/health"))), token).json();
        QCOMPARE(health[QLatin1String("redis")][QLatin1String("configured")].toBool(), redis);
        QCOMPARE(health[QLatin1String("redis")][QLatin1String("connected")].toBool(), redis);
        const qint64 learned = rested.elapsed();
        qInfo("%s%s: a 429 on A rests the key on B after %lld ms", qPrintable(engine), redis ? "+redis" : "", learned);
        QVERIFY2(learned < 1'000, qPrintable(QString::number(learned)));
        QTRY_COMPARE(chat(b, pooledKey), 200); // B has the pool with the other key too
        for (int i = 0; i < 8; ++i)
            QCOMPARE(chat(b, pooledKey), 200);
        QCOMPARE(callsWithLimited(), before + 1); // B never tried the cooling key

        // An admin's reset through A puts the key back in service on B too.
        m_openai.clearKeyBehavior(QStringLiteral("sk-scale-out-limited-01"));
        QCOMPARE(
            call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/health/%1/reset").arg(limitedId))), token).status,
            200);
        QElapsedTimer reset;
        reset.start();
        QTRY_COMPARE_WITH_TIMEOUT(statusOnB(), QStringLiteral("healthy"), 3'000);
        qInfo("%s%s: a reset through A clears the key on B after %lld ms", qPrintable(engine), redis ? "+redis" : "",
              reset.elapsed());
        QVERIFY2(reset.elapsed() < 1'000, qPrintable(QString::number(reset.elapsed())));

        // A gateway key limited to 10 requests a minute, called 20 times through both instances in turn: with Redis
        // both count in it and admit 10 in all; without, each counts alone and admits 10 of its own.
        // (A user holds one active key per provider type: each such key is a new user's.)
        int tenants = 0;
        const auto tenantKey = [&](int rpmLimit, const QJsonValue& poolKeyId) {
            const auto user = call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/users"))), token,
                                   {{QStringLiteral("username"), QStringLiteral("tenant-%1").arg(++tenants)},
                                    {QStringLiteral("password"), QStringLiteral("tenant-password-%1").arg(tenants)},
                                    {QStringLiteral("role"), QStringLiteral("user")}});
            QJsonObject key{{QStringLiteral("name"), QStringLiteral("tenant")},
                            {QStringLiteral("userId"), user.json()[QLatin1String("id")]},
                            {QStringLiteral("providerTypeId"), 1},
                            {QStringLiteral("pool"), QJsonArray{poolKeyId}}};
            if (rpmLimit > 0)
                key.insert(QStringLiteral("rpmLimit"), rpmLimit);
            const auto created =
                call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/gateway-keys"))), token, key);
            const QByteArray tenant = created.json()[QLatin1String("key")].toString().toLatin1();
            // Known to both before counting starts: a path no provider type serves is refused without spending.
            const auto known = [&](const GatehousedProcess& instance) {
                HttpTestClient client;
                return client
                           .get(instance.proxy().resolved(QUrl(QStringLiteral("/v1/fine_tuning/jobs"))),
                                {{"Authorization", "Bearer " + tenant}})
                           .status != 401;
            };
            return QTest::qWaitFor([&] { return known(a) && known(b); }, 3'000) ? tenant : QByteArray();
        };
        const auto limitedGatewayKey = [&] { return tenantKey(10, providerKey.json()[QLatin1String("id")]); };
        // The answers, in turn from B and A, are kept for the failure message: "B200 A200 B429...".
        QString answers;
        const auto admitted = [&](int calls, const QByteArray& key) {
            int admitted = 0;
            answers.clear();
            for (int i = 0; i < calls; ++i) {
                const int status = chat(i % 2 ? a : b, key);
                answers += QStringLiteral("%1%2 ").arg(QLatin1String(i % 2 ? "A" : "B")).arg(status);
                admitted += status == 200 ? 1 : 0;
            }
            return admitted;
        };
        const auto admittedOfTwenty = [&](const QByteArray& key) { return admitted(20, key); };
        const int ofTwenty = admittedOfTwenty(limitedGatewayKey());
        QVERIFY2(ofTwenty == (redis ? 10 : 20), qPrintable(answers));

        // So are a provider key's own limits: 3 a minute, alone in the pool of an unlimited gateway key.
        const auto threeAMinute = call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/provider-keys"))), token,
                                       {{QStringLiteral("providerTypeId"), 1},
                                        {QStringLiteral("name"), QStringLiteral("three a minute")},
                                        {QStringLiteral("secret"), QStringLiteral("sk-scale-out-0123456789")},
                                        {QStringLiteral("rpmLimit"), 3}});
        QCOMPARE(threeAMinute.status, 201);
        const int ofEight = admitted(8, tenantKey(0, threeAMinute.json()[QLatin1String("id")]));
        QVERIFY2(ofEight == (redis ? 3 : 6), qPrintable(answers));

        // A key ejected by A after three failures in a row rests on B too, within a second.
        const QByteArray alone = tenantKey(0, limitedId);
        m_openai.setKeyBehavior(QStringLiteral("sk-scale-out-limited-01"), FakeBehavior::serverError());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(chat(a, alone), 500);
        QElapsedTimer ejected;
        ejected.start();
        QTRY_COMPARE_WITH_TIMEOUT(statusOnB(), QStringLiteral("ejected"), 3'000);
        qInfo("%s%s: an ejection on A rests the key on B after %lld ms", qPrintable(engine), redis ? "+redis" : "",
              ejected.elapsed());
        QVERIFY2(ejected.elapsed() < 1'000, qPrintable(QString::number(ejected.elapsed())));
        const auto callsBefore = callsWithLimited();
        QCOMPARE(chat(b, alone), 429); // its only key is busy until the ejection ends
        QCOMPARE(callsWithLimited(), callsBefore);
        m_openai.clearKeyBehavior(QStringLiteral("sk-scale-out-limited-01"));
        QCOMPARE(
            call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/health/%1/reset").arg(limitedId))), token).status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(statusOnB(), QStringLiteral("healthy"), 3'000);

        // Redis going away fails nothing: both say so, serve on, and changes still reach B through the database.
        if (redis) {
            // Killed in the middle of a run of calls through both instances: not one of them fails.
            int failed = 0;
            for (int i = 0; i < 300; ++i) {
                if (i == 100)
                    redisServer.kill();
                failed += chat(i % 2 ? a : b, pooledKey) == 200 ? 0 : 1;
            }
            QCOMPARE(failed, 0);
            const QUrl infoOnB = b.admin().resolved(QUrl(QStringLiteral("/api/system/info")));
            QTRY_VERIFY_WITH_TIMEOUT(
                !call("GET", infoOnB, token).json()[QLatin1String("redis")][QLatin1String("connected")].toBool(),
                5'000);
            QCOMPARE(call("GET", infoOnB, token).json()[QLatin1String("redis")][QLatin1String("configured")].toBool(),
                     true);
            const auto healthOnB = call("GET", b.admin().resolved(QUrl(QStringLiteral("/api/health"))), token).json();
            QCOMPARE(healthOnB[QLatin1String("redis")][QLatin1String("connected")].toBool(), false);
            // Logged once per instance, not once per connection (each worker has its own).
            const QString logOfB = b.output();
            QCOMPARE(logOfB.count(QStringLiteral("redis connection lost")), 1);
            for (int i = 0; i < 4; ++i) {
                QCOMPARE(chat(a, pooledKey), 200);
                QCOMPARE(chat(b, pooledKey), 200);
            }
            QCOMPARE(
                call("PATCH",
                     a.admin().resolved(QUrl(
                         QStringLiteral("/api/gateway-keys/%1").arg(pooled.json()[QLatin1String("id")].toInteger()))),
                     token, {{QStringLiteral("enabled"), false}})
                    .status,
                200);
            QElapsedTimer disabled;
            disabled.start();
            while (chat(b, pooledKey) == 200 && disabled.elapsed() < 3'000)
                QTest::qWait(20);
            const qint64 refusedAfter = disabled.elapsed();
            qInfo("Redis gone: a key disabled through A refused by B after %lld ms", refusedAfter);
            QVERIFY2(refusedAfter < 1'000, qPrintable(QString::number(refusedAfter)));

            // Limits still hold, each instance counting alone; once Redis is back, both count in it again (each
            // worker's connection returns after its own backoff: a fresh key per try until all have).
            QCOMPARE(admittedOfTwenty(limitedGatewayKey()), 20);
            QVERIFY(redisServer.start());
            QElapsedTimer back;
            back.start();
            QVERIFY(QTest::qWaitFor([&] { return admittedOfTwenty(limitedGatewayKey()) == 10; }, 20'000));
            qInfo("Redis back: shared counting resumed after %lld ms", back.elapsed());
        }

        // A session from A works on B; its logout through A ends it on B at once.
        const QUrl meOnB = b.admin().resolved(QUrl(QStringLiteral("/api/auth/me")));
        QCOMPARE(call("GET", meOnB, token).status, 200);
        QCOMPARE(call("POST", a.admin().resolved(QUrl(QStringLiteral("/api/auth/logout"))), token,
                      {{QStringLiteral("refreshToken"), login.json()[QLatin1String("refreshToken")].toString()}})
                     .status,
                 204);
        const auto afterLogout = call("GET", meOnB, token);
        QCOMPARE(afterLogout.status, 401);
        QVERIFY(afterLogout.body.contains("revoked by a logout"));

        // Failed logins count on every instance: an address spraying usernames through both in turn is locked out of
        // both, the right password included. (One row is enough: the count is a table like any other, and each
        // failed login costs a password hash.)
        if (engine != QLatin1String("postgresql") || redis)
            return;
        const auto logIn = [&](const GatehousedProcess& instance, const QString& username, const QString& password) {
            return client
                .post(instance.admin().resolved(QUrl(QStringLiteral("/api/auth/login"))),
                      QJsonDocument(
                          QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}})
                          .toJson())
                .status;
        };
        for (int i = 0; i < 20; ++i)
            QCOMPARE(logIn(i % 2 ? a : b, QStringLiteral("guess-%1").arg(i), QStringLiteral("wrong-password")), 401);
        QCOMPARE(logIn(a, QStringLiteral("admin"), QLatin1String(kPassword)), 429);
        QCOMPARE(logIn(b, QStringLiteral("admin"), QLatin1String(kPassword)), 429);
    }
};

GATEHOUSE_TEST_MAIN(TestScaleOut)
#include "TestScaleOut.moc"
