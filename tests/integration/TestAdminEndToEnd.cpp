#include "FakeOpenAI.h"
#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

// The whole admin flow through /api on the proxy port only, as on a public deployment that exposes one port: log
// in, point the provider at the (fake) provider, add a provider key, create a gateway key, call the model with it,
// then find the call in the traces and the statistics.
class TestAdminEndToEnd : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    HttpTestClient m_client;
    FakeOpenAI m_openai;
    QList<QPair<QByteArray, QByteArray>> m_auth;

    QUrl api(const QString& path) const { return m_gateway.proxyUrl(path); }

    HttpTestClient::Response call(const QByteArray& method, const QString& path, const QJsonObject& body = {})
    {
        auto headers = m_auth;
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return m_client.send(method, api(path), body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(), headers);
    }

private slots:
    void initTestCase()
    {
        m_openai.addApiKey(QStringLiteral("sk-end-to-end-provider-secret"));
        m_openai.setUsage({.promptTokens = 40, .completionTokens = 2});
        QVERIFY(m_openai.listen());
        QVERIFY(m_gateway.start());
    }

    void adminFlowThroughTheProxyPort()
    {
        const auto login = m_client.post(
            api(QStringLiteral("/api/auth/login")),
            QJsonDocument(QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                      {QStringLiteral("password"), QLatin1String(GatewayHarness::kAdminPassword)}})
                .toJson());
        QCOMPARE(login.status, 200);
        m_auth = {{"Authorization", "Bearer " + login.json()[QLatin1String("accessToken")].toString().toLatin1()}};

        const auto types = call("GET", QStringLiteral("/api/provider-types?pageSize=100"));
        QCOMPARE(types.status, 200);
        qint64 openai = 0;
        for (const QJsonValue& type : types.json()[QLatin1String("items")].toArray()) {
            if (type[QLatin1String("name")].toString() == QLatin1String("openai"))
                openai = type[QLatin1String("id")].toInteger();
        }
        QVERIFY(openai > 0);
        QCOMPARE(call("PATCH", QStringLiteral("/api/provider-types/%1").arg(openai),
                      {{QStringLiteral("baseUrl"), m_openai.url().toString()}})
                     .status,
                 200);

        const auto providerKey = call("POST", QStringLiteral("/api/provider-keys"),
                                      {{QStringLiteral("name"), QStringLiteral("team key")},
                                       {QStringLiteral("providerTypeId"), openai},
                                       {QStringLiteral("secret"), QStringLiteral("sk-end-to-end-provider-secret")}});
        QCOMPARE(providerKey.status, 201);
        QVERIFY(!providerKey.body.contains("sk-end-to-end-provider-secret"));

        const auto gatewayKey = call("POST", QStringLiteral("/api/gateway-keys"),
                                     {{QStringLiteral("providerTypeId"), openai},
                                      {QStringLiteral("name"), QStringLiteral("my app")},
                                      {QStringLiteral("pool"), QJsonArray{providerKey.json()[QLatin1String("id")]}}});
        QCOMPARE(gatewayKey.status, 201);
        const QByteArray key = gatewayKey.json()[QLatin1String("key")].toString().toLatin1();
        QVERIFY(key.startsWith("gh-"));

        const auto completion = m_client.post(api(QStringLiteral("/v1/chat/completions")),
                                              R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})",
                                              {{"Authorization", "Bearer " + key}});
        QCOMPARE(completion.status, 200);
        QCOMPARE(m_openai.requests().last().header("authorization"),
                 QByteArray("Bearer sk-end-to-end-provider-secret"));

        // The trace writer flushes within its interval.
        HttpTestClient::Response traces;
        QTRY_VERIFY_WITH_TIMEOUT((traces = call("GET", QStringLiteral("/api/traces")),
                                  traces.json()[QLatin1String("items")].toArray().size() == 1),
                                 10'000);
        const QJsonObject trace = traces.json()[QLatin1String("items")].toArray().first().toObject();
        QCOMPARE(trace[QLatin1String("model")].toString(), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(trace[QLatin1String("totalTokens")].toInteger(), 42);
        QCOMPARE(trace[QLatin1String("status")].toInt(), 200);

        const auto overview = call("GET", QStringLiteral("/api/stats/overview"));
        QCOMPARE(overview.status, 200);
        QCOMPARE(overview.json()[QLatin1String("requests")].toInteger(), 1);

        // Changes made through the proxy port are audited like any other.
        const auto audit = call("GET", QStringLiteral("/api/audit?action=provider_key.create"));
        QCOMPARE(audit.status, 200);
        QCOMPARE(audit.json()[QLatin1String("items")].toArray().size(), 1);
    }

    // Issue 15: an OpenAI-compatible server (vLLM, Ollama, Groq...) in three calls, metered like OpenAI itself. Its
    // type used to record 0 tokens and $0 (no usage paths unless given), so a token budget never stopped its keys.
    void anOpenAiCompatibleServerInThreeCalls()
    {
        QVERIFY(!m_auth.isEmpty()); // signed in by the test above
        FakeOpenAI server;
        server.addApiKey(QStringLiteral("local-server-secret"));
        server.setUsage({.promptTokens = 30, .completionTokens = 5});
        QVERIFY(server.listen());

        const auto type = call("POST", QStringLiteral("/api/provider-types"),
                               {{QStringLiteral("name"), QStringLiteral("vllm")},
                                {QStringLiteral("displayName"), QStringLiteral("vLLM on the GPU box")},
                                {QStringLiteral("apiFormat"), QStringLiteral("openai")},
                                {QStringLiteral("baseUrl"), server.url().toString()}});
        QCOMPARE(type.status, 201);
        const qint64 typeId = type.json()[QLatin1String("id")].toInteger();
        const auto providerKey = call("POST", QStringLiteral("/api/provider-keys"),
                                      {{QStringLiteral("name"), QStringLiteral("gpu box")},
                                       {QStringLiteral("providerTypeId"), typeId},
                                       {QStringLiteral("secret"), QStringLiteral("local-server-secret")}});
        QCOMPARE(providerKey.status, 201);
        const auto gatewayKey = call("POST", QStringLiteral("/api/gateway-keys"),
                                     {{QStringLiteral("providerTypeId"), typeId},
                                      {QStringLiteral("name"), QStringLiteral("budgeted app")},
                                      {QStringLiteral("tokensPerDayLimit"), 50},
                                      {QStringLiteral("pool"), QJsonArray{providerKey.json()[QLatin1String("id")]}}});
        QCOMPARE(gatewayKey.status, 201);
        const QByteArray key = gatewayKey.json()[QLatin1String("key")].toString().toLatin1();

        const auto complete = [&] {
            return m_client.post(api(QStringLiteral("/v1/chat/completions")),
                                 R"({"model":"llama-3.1-8b","messages":[{"role":"user","content":"hi"}]})",
                                 {{"Authorization", "Bearer " + key}});
        };
        QCOMPARE(complete().status, 200);
        QCOMPARE(server.requests().last().header("authorization"), QByteArray("Bearer local-server-secret"));
        HttpTestClient::Response traces;
        QTRY_VERIFY_WITH_TIMEOUT((traces = call("GET", QStringLiteral("/api/traces?gatewayKeyId=%1")
                                                           .arg(gatewayKey.json()[QLatin1String("id")].toInteger())),
                                  traces.json()[QLatin1String("items")].toArray().size() == 1),
                                 10'000);
        const QJsonObject trace = traces.json()[QLatin1String("items")][0].toObject();
        QCOMPARE(trace[QLatin1String("model")].toString(), QStringLiteral("llama-3.1-8b"));
        QCOMPARE(trace[QLatin1String("totalTokens")].toInteger(), 35);

        // 35 of 50 tokens spent: one more request passes, then the budget stops the key.
        QCOMPARE(complete().status, 200);
        HttpTestClient::Response refused;
        QTRY_COMPARE_WITH_TIMEOUT((refused = complete()).status, 429, 10'000);
        QCOMPARE(refused.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("insufficient_quota"));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminEndToEnd)
#include "TestAdminEndToEnd.moc"
