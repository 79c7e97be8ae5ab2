#include "FakeOpenAI.h"
#include "GatewayFixture.h"
#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "RawHttpClient.h"
#include "TestRegistry.h"

#include "health/HealthProber.h"
#include "health/KeyState.h"
#include "proxy/RoutingStore.h"
#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

// Passive and active health through the real proxy, against a fake OpenAI whose keys fall ill one at a time: the
// client never sees a sick key while a well one is left, and the admin view tells which is which.
class TestKeyHealth : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway{[](Config& config) { config.healthProbeIntervalMs = 200; }};
    HttpTestClient m_client;
    std::unique_ptr<GatewayFixture> m_fixture;
    FakeOpenAI m_openai;
    QPair<QByteArray, QByteArray> m_admin;
    int m_users = 0;

    static constexpr const char* kChatBody =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpTestClient::Response chat(const QByteArray& gatewayKey)
    {
        return m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), kChatBody,
                             {{"Authorization", "Bearer " + gatewayKey}, {"Content-Type", "application/json"}});
    }

    // Chat requests the fake received with this provider key (probes not counted).
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

    // The key's entry in GET /api/health.
    QJsonObject health(qint64 keyId)
    {
        const auto response = m_client.get(m_gateway.adminUrl(QStringLiteral("/api/health")), {m_admin});
        if (response.status != 200)
            return {};
        for (const QJsonValue& key : response.json()[QLatin1String("keys")].toArray()) {
            if (key[QLatin1String("id")].toInteger() == keyId)
                return key.toObject();
        }
        return {};
    }

    QString status(qint64 keyId) { return health(keyId)[QLatin1String("status")].toString(); }

    // A gateway key of its own user (one active key per user and provider type) over this pool.
    QByteArray addGatewayKey(const QList<qint64>& pool)
    {
        GatewayFixture::GatewayKeyOptions options;
        options.userId = m_fixture->addUser(QStringLiteral("user-%1").arg(++m_users), QStringLiteral("user"));
        return m_fixture->addGatewayKey(QStringLiteral("openai"), pool, options);
    }

    qint64 addKey(const QString& secret)
    {
        m_openai.addApiKey(secret);
        return m_fixture->addProviderKey(QStringLiteral("openai"), secret);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_openai.listen());
        QVERIFY(m_gateway.start());
        m_fixture = std::make_unique<GatewayFixture>(m_gateway.service());
        m_fixture->pointProviderAt(QStringLiteral("openai"), m_openai.url());
        m_admin = m_gateway.login();
    }

    void failingKeyIsEjectedAndComesBackAfterAProbe()
    {
        const QString sick = QStringLiteral("sk-eject-sick"), well = QStringLiteral("sk-eject-well");
        const qint64 sickId = addKey(sick);
        const QByteArray gatewayKey = addGatewayKey({sickId, addKey(well)});
        m_openai.setKeyBehavior(sick, FakeBehavior::serverError());

        for (int i = 0; i < 20 && status(sickId) != QLatin1String("ejected"); ++i)
            QCOMPARE(chat(gatewayKey).status, 200); // each failure is retried on the well key
        QTRY_COMPARE(status(sickId), QStringLiteral("ejected"));
        const QJsonObject ejected = health(sickId);
        QVERIFY(QDateTime::fromString(ejected[QLatin1String("ejectedUntil")].toString(), Qt::ISODateWithMs) >
                QDateTime::currentDateTimeUtc());
        QVERIFY(ejected[QLatin1String("lastError")].toString().endsWith(QLatin1String("provider answered 500")));

        const int sickBefore = chatsWith(sick);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chatsWith(sick), sickBefore);

        // While the provider still fails, probes fail and the key stays out; once it recovers, a probe brings it back.
        QSignalSpy probed(&m_gateway.service().prober(), &HealthProber::probed);
        QTRY_VERIFY(probed.contains(QVariantList{sickId, false}));
        QCOMPARE(status(sickId), QStringLiteral("ejected"));
        m_openai.clearKeyBehavior(sick);
        QTRY_COMPARE_WITH_TIMEOUT(status(sickId), QStringLiteral("healthy"), 10'000);
        const QJsonObject probe = health(sickId)[QLatin1String("lastProbe")].toObject();
        QCOMPARE(probe[QLatin1String("ok")].toBool(), true);
        QCOMPARE(probe[QLatin1String("status")].toInt(), 200);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(chat(gatewayKey).status, 200);
        QVERIFY(chatsWith(sick) > sickBefore);
    }

    void retryAfterIsHonoured()
    {
        const QString limited = QStringLiteral("sk-429-limited"), other = QStringLiteral("sk-429-other");
        const qint64 limitedId = addKey(limited);
        const QByteArray gatewayKey = addGatewayKey({limitedId, addKey(other)});
        m_openai.setKeyBehavior(limited, FakeBehavior::rateLimited(30));
        for (int i = 0; i < 4 && chatsWith(limited) == 0; ++i)
            QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chatsWith(limited), 1);
        m_openai.clearKeyBehavior(limited);

        const QJsonObject cooling = health(limitedId);
        QCOMPARE(cooling[QLatin1String("status")].toString(), QStringLiteral("cooling_down"));
        const qint64 remainingMs = QDateTime::currentDateTimeUtc().msecsTo(
            QDateTime::fromString(cooling[QLatin1String("cooldownUntil")].toString(), Qt::ISODateWithMs));
        QVERIFY2(remainingMs > 20'000 && remainingMs <= 30'100, qPrintable(QString::number(remainingMs)));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chatsWith(limited), 1); // skipped while cooling down

        // The gateway's clock is moved instead of waiting: 20 of the 30 seconds do not end the cooldown, 31 do.
        using namespace std::chrono_literals;
        m_gateway.service().keyClock().advance(20s);
        QCOMPARE(status(limitedId), QStringLiteral("cooling_down"));
        QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chatsWith(limited), 1);
        m_gateway.service().keyClock().advance(11s);
        QCOMPARE(status(limitedId), QStringLiteral("healthy"));
        for (int i = 0; i < 4 && chatsWith(limited) == 1; ++i)
            QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chatsWith(limited), 2);
    }

    void allKeysCoolingDownGiveTheEarliestRetryAfter()
    {
        const QString first = QStringLiteral("sk-all-429-first"), second = QStringLiteral("sk-all-429-second");
        const qint64 firstId = addKey(first), secondId = addKey(second);
        const QByteArray gatewayKey = addGatewayKey({firstId, secondId});
        m_openai.setKeyBehavior(first, FakeBehavior::rateLimited(20));
        m_openai.setKeyBehavior(second, FakeBehavior::rateLimited(30));

        // Both keys answer 429: the last provider answer reaches the client as it is.
        const auto passedOn = chat(gatewayKey);
        QCOMPARE(passedOn.status, 429);
        QCOMPARE(chatsWith(first) + chatsWith(second), 2);
        QTRY_COMPARE(status(firstId), QStringLiteral("cooling_down"));
        QTRY_COMPARE(status(secondId), QStringLiteral("cooling_down"));
        // Now no key is tried at all: the gateway answers with the moment the first one frees up.
        const auto refused = chat(gatewayKey);
        QCOMPARE(refused.status, 429);
        const int retryAfter = refused.header("retry-after").toInt();
        QVERIFY2(retryAfter == 19 || retryAfter == 20, refused.header("retry-after").constData());
        QCOMPARE(chatsWith(first) + chatsWith(second), 2);
        m_openai.clearKeyBehavior(first);
        m_openai.clearKeyBehavior(second);
    }

    void allKeysAtTheirRequestLimitGive429()
    {
        m_openai.addApiKey(QStringLiteral("sk-rpm-a"));
        m_openai.addApiKey(QStringLiteral("sk-rpm-b"));
        const qint64 a = m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-rpm-a"), 1, 1);
        const qint64 b = m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-rpm-b"), 1, 1);
        const QByteArray gatewayKey = addGatewayKey({a, b});
        QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chat(gatewayKey).status, 200);
        const auto refused = chat(gatewayKey);
        QCOMPARE(refused.status, 429);
        const int retryAfter = refused.header("retry-after").toInt();
        QVERIFY2(retryAfter >= 1 && retryAfter <= 60, refused.header("retry-after").constData());
        QCOMPARE(chatsWith(QStringLiteral("sk-rpm-a")), 1);
        QCOMPARE(chatsWith(QStringLiteral("sk-rpm-b")), 1);
        // Limits are not faults: both keys stay healthy.
        QCOMPARE(status(a), QStringLiteral("healthy"));
        QCOMPARE(status(b), QStringLiteral("healthy"));
    }

    void clientDisconnectDoesNotEject()
    {
        const QString secret = QStringLiteral("sk-hangup");
        const qint64 keyId = addKey(secret);
        const QByteArray gatewayKey = addGatewayKey({keyId});
        m_openai.setKeyBehavior(secret, FakeBehavior::slowFirstByte(5000));
        const QByteArray body(kChatBody);
        const int attempts = m_gateway.config().healthPolicy.ejectAfterFailures + 2;
        for (int i = 0; i < attempts; ++i) {
            RawHttpClient client;
            QVERIFY(client.connectTo(m_gateway.service().proxyPort()));
            client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gatehouse\r\nAuthorization: Bearer " + gatewayKey +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                        "\r\n\r\n" + body);
            QTRY_COMPARE(chatsWith(secret), i + 1); // the request is upstream, then the client hangs up
        }
        const auto state = m_gateway.service().routing().keyStates().value(keyId);
        QVERIFY(state);
        QTRY_COMPARE(state->inFlight(), 0);
        const KeyHealthSnapshot snapshot = state->snapshot(m_gateway.service().keyClock().now());
        QCOMPARE(KeyHealthSnapshot::statusName(snapshot.status), QStringLiteral("healthy"));
        QCOMPARE(snapshot.consecutiveFailures, 0);
        QCOMPARE(snapshot.failures, quint64(0));
        m_openai.clearKeyBehavior(secret);
        QCOMPARE(chat(gatewayKey).status, 200);
    }

    // A tenant asks for a model the shared keys' project may not use, and OpenAI answers 403. That refusal was the
    // request's, not the key's: it goes to the client as it is, is not retried on the other keys, and the keys stay
    // in service for everyone once their own probes pass. (Before, the key was marked invalid and the request
    // retried on the next one: one request took the whole pool offline.)
    void aRefusalCausedByTheRequestLeavesTheKeysInService()
    {
        const QString first = QStringLiteral("sk-deny-1"), second = QStringLiteral("sk-deny-2");
        const qint64 firstId = addKey(first), secondId = addKey(second);
        const QByteArray tenant = addGatewayKey({firstId, secondId});
        const QByteArray other = addGatewayKey({firstId, secondId});
        m_openai.denyModel(QStringLiteral("gpt-4o"));
        QSignalSpy probed(&m_gateway.service().prober(), &HealthProber::probed);

        const int firstBefore = chatsWith(first), secondBefore = chatsWith(second);
        const auto refused =
            m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")),
                          R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]})",
                          {{"Authorization", "Bearer " + tenant}, {"Content-Type", "application/json"}});
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("model_not_found"));
        QCOMPARE(chatsWith(first) + chatsWith(second), firstBefore + secondBefore + 1); // not retried
        const qint64 refusedId = chatsWith(first) > firstBefore ? firstId : secondId;
        QTRY_VERIFY(probed.contains(QVariantList{refusedId, true}));
        QCOMPARE(status(firstId), QStringLiteral("healthy"));
        QCOMPARE(status(secondId), QStringLiteral("healthy"));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(chat(other).status, 200);
        QCOMPARE(chatsWith(first) + chatsWith(second), firstBefore + secondBefore + 5);

        // Naming another organization, which OpenAI refuses with 401, does not even reach the provider.
        const auto foreign = m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), kChatBody,
                                           {{"Authorization", "Bearer " + tenant},
                                            {"OpenAI-Organization", "org-bogus"},
                                            {"Content-Type", "application/json"}});
        QCOMPARE(foreign.status, 200);
        const QList<FakeHttpRequest>& requests = m_openai.requests();
        const auto lastChat = std::find_if(requests.crbegin(), requests.crend(), [](const FakeHttpRequest& request) {
            return request.path == QLatin1String("/v1/chat/completions");
        });
        QVERIFY(!lastChat->hasHeader("openai-organization"));
    }

    void invalidKeyIsSkippedAndRestoredByAProbe()
    {
        const QString revoked = QStringLiteral("sk-401-revoked"), other = QStringLiteral("sk-401-other");
        const qint64 revokedId = addKey(revoked);
        const QByteArray gatewayKey = addGatewayKey({revokedId, addKey(other)});
        m_openai.setKeyBehavior(revoked, FakeBehavior::invalidKey());
        // The request that lands on the revoked key gets the provider's refusal; the key's own probe confirms it.
        int lastStatus = 0;
        for (int i = 0; i < 4 && chatsWith(revoked) == 0; ++i)
            lastStatus = chat(gatewayKey).status;
        QCOMPARE(chatsWith(revoked), 1);
        QCOMPARE(lastStatus, 401);
        QTRY_COMPARE(status(revokedId), QStringLiteral("invalid"));

        const QJsonObject invalid = health(revokedId);
        QCOMPARE(invalid[QLatin1String("invalidReason")].toString(), QStringLiteral("probe: provider answered 401"));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chatsWith(revoked), 1);
        // Probes confirm the mark while the provider refuses the key ...
        QSignalSpy probed(&m_gateway.service().prober(), &HealthProber::probed);
        QTRY_VERIFY(probed.contains(QVariantList{revokedId, false}));
        QCOMPARE(status(revokedId), QStringLiteral("invalid"));
        // ... and lift it once the provider takes it again.
        m_openai.clearKeyBehavior(revoked);
        QTRY_COMPARE_WITH_TIMEOUT(status(revokedId), QStringLiteral("healthy"), 10'000);
        for (int i = 0; i < 4 && chatsWith(revoked) == 1; ++i)
            QCOMPARE(chat(gatewayKey).status, 200);
        QCOMPARE(chatsWith(revoked), 2);
    }

    void adminResetsAnInvalidKey()
    {
        const QString secret = QStringLiteral("sk-reset");
        const qint64 keyId = addKey(secret);
        const QByteArray gatewayKey = addGatewayKey({keyId});
        m_openai.setKeyBehavior(secret, FakeBehavior::invalidKey());
        QCOMPARE(chat(gatewayKey).status, 401);
        QTRY_COMPARE(status(keyId), QStringLiteral("invalid"));

        m_fixture->addUser(QStringLiteral("viewer"), QStringLiteral("read_only"));
        const auto viewer = m_gateway.login(QStringLiteral("viewer"), QStringLiteral("password-of-viewer"));
        const QUrl reset = m_gateway.adminUrl(QStringLiteral("/api/health/%1/reset").arg(keyId));
        QCOMPARE(m_client.get(m_gateway.adminUrl(QStringLiteral("/api/health")), {viewer}).status, 200);
        QCOMPARE(m_client.post(reset, QByteArray(), {viewer}).status, 403);
        QCOMPARE(m_client.post(m_gateway.adminUrl(QStringLiteral("/api/health/999999/reset")), QByteArray(), {m_admin})
                     .status,
                 404);

        const auto done = m_client.post(reset, QByteArray(), {m_admin});
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json()[QLatin1String("status")].toString(), QStringLiteral("healthy"));
        // A probe sent before the reset may still land a 401 after it; the next one (200 ms on) finds the key well.
        m_openai.clearKeyBehavior(secret);
        QTRY_COMPARE(chat(gatewayKey).status, 200);
        auto audit = m_gateway.service().database().exec(
            QStringLiteral("SELECT actor_name, details FROM audit_log WHERE action = 'provider_key.health_reset' "
                           "AND object_id = ?"),
            {QString::number(keyId)});
        QVERIFY(audit && audit->next());
        QCOMPARE(audit->value(0).toString(), QStringLiteral("admin"));
        QVERIFY(audit->value(1).toString().contains(QLatin1String("\"previous_status\":\"invalid\"")));
    }

    // "Test" in the desktop app: one probe now, whatever the schedule; its answer lands in lastProbe.
    void anAdminProbesAKeyNow()
    {
        const QString secret = QStringLiteral("sk-probe-now");
        const qint64 keyId = addKey(secret);
        const QUrl probe = m_gateway.adminUrl(QStringLiteral("/api/health/%1/probe").arg(keyId));
        m_fixture->addUser(QStringLiteral("prober-viewer"), QStringLiteral("read_only"));
        const auto viewer =
            m_gateway.login(QStringLiteral("prober-viewer"), QStringLiteral("password-of-prober-viewer"));
        QCOMPARE(m_client.post(probe, QByteArray(), {viewer}).status, 403);
        QCOMPARE(m_client.post(m_gateway.adminUrl(QStringLiteral("/api/health/999999/probe")), QByteArray(), {m_admin})
                     .status,
                 404);

        QSignalSpy probed(&m_gateway.service().prober(), &HealthProber::probed);
        m_openai.setKeyBehavior(secret, FakeBehavior::invalidKey());
        const auto accepted = m_client.post(probe, QByteArray(), {m_admin});
        QCOMPARE(accepted.status, 202);
        QTRY_VERIFY(probed.contains(QVariantList{keyId, false}));
        QCOMPARE(health(keyId)[QLatin1String("lastProbe")][QLatin1String("status")].toInt(), 401);
        m_openai.clearKeyBehavior(secret);
        QCOMPARE(m_client.post(probe, QByteArray(), {m_admin}).status, 202);
        QTRY_VERIFY(probed.contains(QVariantList{keyId, true}));

        // A key the proxy does not serve cannot be probed, and says why.
        QVERIFY(m_gateway.service().database().exec(QStringLiteral("UPDATE provider_keys SET active = 0 WHERE id = ?"),
                                                    {keyId}));
        QVERIFY(m_gateway.service().routing().reload().ok());
        const auto refused = m_client.post(probe, QByteArray(), {m_admin});
        QCOMPARE(refused.status, 409);
        QVERIFY(refused.json()[QLatin1String("error")][QLatin1String("message")].toString().contains(
            QLatin1String("does not serve")));
    }

    void probeResultsAreRecorded()
    {
        auto rows = m_gateway.service().database().exec(QStringLiteral("SELECT COUNT(*), SUM(ok) FROM health_probes"));
        QVERIFY(rows && rows->next());
        QVERIFY(rows->value(0).toInt() > 0);
        QVERIFY(rows->value(1).toInt() > 0); // healthy keys are confirmed too
    }
};

GATEHOUSE_TEST_MAIN(TestKeyHealth)
#include "TestKeyHealth.moc"
