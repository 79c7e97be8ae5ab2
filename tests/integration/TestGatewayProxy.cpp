#include "FakeAnthropic.h"
#include "FakeGemini.h"
#include "FakeOpenAI.h"
#include "GatewayFixture.h"
#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "ProviderSamples.h"
#include "RawHttpClient.h"
#include "ScriptedUpstream.h"
#include "TestRegistry.h"

#include "providers/ApiFormat.h"
#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

// The gateway as an SDK sees it, per provider, plain and streaming: the client gets the provider's bytes, the
// provider sees the provider key and nothing of the client, and every request becomes a trace.
class TestGatewayProxy : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway{[](Config& config) { config.limits.upstreamStallTimeoutMs = 1000; }};
    HttpTestClient m_client;
    std::unique_ptr<GatewayFixture> m_fixture;
    FakeOpenAI m_openai;
    FakeAnthropic m_anthropic;
    FakeGemini m_gemini;
    QHash<QString, FakeProvider*> m_fakes;
    QHash<QString, QByteArray> m_gatewayKeys;
    int m_tracesBefore = 0;

    // The client identity a proxy must never pass on, and a cookie.
    static QList<QPair<QByteArray, QByteArray>> identityHeaders()
    {
        return {{"X-Forwarded-For", "198.51.100.7"}, {"X-Real-IP", "198.51.100.7"},
                {"Forwarded", "for=198.51.100.7"},   {"Via", "1.1 corp-proxy"},
                {"True-Client-IP", "198.51.100.7"},  {"CF-Connecting-IP", "198.51.100.7"},
                {"Cookie", "session=secret-cookie"}};
    }

    QVariantMap lastTrace()
    {
        const auto traces = m_fixture->traces();
        return traces.isEmpty() ? QVariantMap() : traces.last();
    }

    // The trace of a test's own user, not merely the last: an earlier test's may land after it was counted.
    QVariantMap traceOf(qint64 userId)
    {
        for (const QVariantMap& trace : m_fixture->traces()) {
            if (trace.value("user_id").toLongLong() == userId)
                return trace;
        }
        return {};
    }

    void expectNoClientIdentity(const FakeHttpRequest& seen, const QByteArray& gatewayKey)
    {
        for (const auto& [name, value] : seen.headers) {
            QVERIFY2(!value.contains("198.51.100.7") && !value.contains("secret-cookie") &&
                         !value.contains("corp-proxy"),
                     name.constData());
            QVERIFY2(!value.contains(gatewayKey), name.constData());
        }
        QVERIFY(!seen.query.toString(QUrl::FullyEncoded).toLatin1().contains(gatewayKey));
        QVERIFY(!seen.body.contains(gatewayKey));
    }

private slots:
    void initTestCase()
    {
        m_openai.addApiKey(QStringLiteral("sk-provider-openai"));
        m_anthropic.addApiKey(QStringLiteral("sk-ant-provider"));
        m_gemini.addApiKey(QStringLiteral("AIza-provider-gemini"));
        for (FakeProvider* fake : std::initializer_list<FakeProvider*>{&m_openai, &m_anthropic, &m_gemini}) {
            fake->setUsage({.promptTokens = 21, .completionTokens = 8});
            QVERIFY(fake->listen());
        }
        m_fakes = {{QStringLiteral("openai"), &m_openai},
                   {QStringLiteral("anthropic"), &m_anthropic},
                   {QStringLiteral("gemini"), &m_gemini}};
        QVERIFY(m_gateway.start());
        m_fixture = std::make_unique<GatewayFixture>(m_gateway.service());
        const QHash<QString, QString> secrets{{QStringLiteral("openai"), QStringLiteral("sk-provider-openai")},
                                              {QStringLiteral("anthropic"), QStringLiteral("sk-ant-provider")},
                                              {QStringLiteral("gemini"), QStringLiteral("AIza-provider-gemini")}};
        for (auto it = m_fakes.begin(); it != m_fakes.end(); ++it) {
            m_fixture->pointProviderAt(it.key(), it.value()->url());
            const qint64 key = m_fixture->addProviderKey(it.key(), secrets.value(it.key()));
            m_gatewayKeys.insert(it.key(), m_fixture->addGatewayKey(it.key(), {key}));
        }
    }

    void init()
    {
        for (FakeProvider* fake : std::as_const(m_fakes))
            fake->clearBehaviors();
        m_tracesBefore = int(m_fixture->traces().size());
    }

    void forwardsAndTraces_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("keyHeader"); // empty: the key goes in ?key=
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<bool>("sameBytes"); // the client gets exactly the provider's bytes
        QTest::addColumn<QByteArray>("providerKeyHeader");
        QTest::addColumn<QByteArray>("providerKeyValue");

        const QByteArray chat = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}])";
        QTest::newRow("openai chat") << "openai"
                                     << "/v1/chat/completions" << chat + "}" << QByteArray("authorization")
                                     << "gpt-4o-mini" << false << true << QByteArray("authorization")
                                     << QByteArray("Bearer sk-provider-openai");
        QTest::newRow("openai chat stream with usage")
            << "openai"
            << "/v1/chat/completions" << chat + R"(,"stream":true,"stream_options":{"include_usage":true}})"
            << QByteArray("authorization") << "gpt-4o-mini" << true << true << QByteArray("authorization")
            << QByteArray("Bearer sk-provider-openai");
        QTest::newRow("openai chat stream without usage")
            << "openai"
            << "/v1/chat/completions" << chat + R"(,"stream":true})" << QByteArray("authorization") << "gpt-4o-mini"
            << true << false << QByteArray("authorization") << QByteArray("Bearer sk-provider-openai");
        QTest::newRow("openai responses stream")
            << "openai"
            << "/v1/responses" << QByteArray(R"({"model":"gpt-4.1","input":"hi","stream":true})")
            << QByteArray("authorization") << "gpt-4.1" << true << true << QByteArray("authorization")
            << QByteArray("Bearer sk-provider-openai");
        const QByteArray message =
            R"({"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}])";
        // ?key= is Gemini's place for a key, but the gateway looks there for every route: the parameter never
        // reaches the provider, whichever provider the key routes to.
        QTest::newRow("openai chat, key in query")
            << "openai"
            << "/v1/chat/completions" << chat + "}" << QByteArray() << "gpt-4o-mini" << false << true
            << QByteArray("authorization") << QByteArray("Bearer sk-provider-openai");
        QTest::newRow("anthropic messages")
            << "anthropic"
            << "/v1/messages" << message + "}" << QByteArray("x-api-key") << "claude-sonnet-4-5" << false << true
            << QByteArray("x-api-key") << QByteArray("sk-ant-provider");
        QTest::newRow("anthropic messages, key in query")
            << "anthropic"
            << "/v1/messages?beta=true" << message + "}" << QByteArray() << "claude-sonnet-4-5" << false << true
            << QByteArray("x-api-key") << QByteArray("sk-ant-provider");
        QTest::newRow("anthropic messages stream")
            << "anthropic"
            << "/v1/messages" << message + R"(,"stream":true})" << QByteArray("x-api-key") << "claude-sonnet-4-5"
            << true << true << QByteArray("x-api-key") << QByteArray("sk-ant-provider");
        const QByteArray contents = R"({"contents":[{"parts":[{"text":"hi"}]}]})";
        QTest::newRow("gemini generate") << "gemini"
                                         << "/v1beta/models/gemini-2.0-flash:generateContent" << contents
                                         << QByteArray("x-goog-api-key") << "gemini-2.0-flash" << false << true
                                         << QByteArray("x-goog-api-key") << QByteArray("AIza-provider-gemini");
        QTest::newRow("gemini stream, key in query")
            << "gemini"
            << "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse" << contents << QByteArray()
            << "gemini-2.0-flash" << true << true << QByteArray("x-goog-api-key") << QByteArray("AIza-provider-gemini");
    }

    void forwardsAndTraces()
    {
        QFETCH(QString, provider);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, keyHeader);
        QFETCH(QString, model);
        QFETCH(bool, streamed);
        QFETCH(bool, sameBytes);
        QFETCH(QByteArray, providerKeyHeader);
        QFETCH(QByteArray, providerKeyValue);
        FakeProvider* fake = m_fakes.value(provider);
        const QByteArray gatewayKey = m_gatewayKeys.value(provider);

        auto headers = identityHeaders();
        QString target = path;
        if (keyHeader == "authorization")
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + gatewayKey));
        else if (!keyHeader.isEmpty())
            headers.append(qMakePair(keyHeader, gatewayKey));
        else
            target += (target.contains(u'?') ? QStringLiteral("&key=") : QStringLiteral("?key=")) +
                      QString::fromLatin1(gatewayKey);
        if (provider == QLatin1String("anthropic"))
            headers.append(qMakePair(QByteArray("anthropic-version"), QByteArray("2023-06-01")));
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        const int requestsBefore = int(fake->requests().size());

        const auto response = m_client.send("POST", m_gateway.proxyUrl(target), body, headers);
        QCOMPARE(response.status, 200);
        QVERIFY(!response.header("X-Request-Id").isEmpty());
        const QString timing = QString::fromLatin1(response.header("Server-Timing"));
        QVERIFY2(QRegularExpression(QStringLiteral("^gateway;dur=\\d+, upstream;dur=\\d+$")).match(timing).hasMatch(),
                 qPrintable(timing));

        QCOMPARE(fake->requests().size(), requestsBefore + 1);
        const FakeHttpRequest& seen = fake->requests().last();
        QCOMPARE(seen.header(providerKeyHeader), providerKeyValue);
        QCOMPARE(seen.header("Content-Length"), QByteArray::number(seen.body.size()));
        expectNoClientIdentity(seen, gatewayKey);
        QCOMPARE(seen.query.toString(QUrl::FullyEncoded), path.section(u'?', 1)); // all but the key
        if (sameBytes)
            QCOMPARE(response.body, fake->server().sentBodies().last());
        if (provider == QLatin1String("openai") && !sameBytes) {
            // The gateway asked for usage upstream and took it out again: the client sees no usage chunk.
            QVERIFY(seen.body.contains("include_usage"));
            QVERIFY(!response.body.contains("\"usage\""));
            QVERIFY(response.body.contains("data: [DONE]"));
        }

        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        const QVariantMap trace = lastTrace();
        QCOMPARE(trace.value("status").toInt(), 200);
        QCOMPARE(trace.value("success").toInt(), 1);
        QCOMPARE(trace.value("model").toString(), model);
        QCOMPARE(trace.value("prompt_tokens").toLongLong(), 21);
        QCOMPARE(trace.value("completion_tokens").toLongLong(), 8);
        QCOMPARE(trace.value("total_tokens").toLongLong(), 29);
        QCOMPARE(trace.value("streamed").toInt(), int(streamed));
        QCOMPARE(trace.value("request_id").toByteArray(), response.header("X-Request-Id"));
        QCOMPARE(seen.header("X-Request-Id"), response.header("X-Request-Id"));
        QCOMPARE(trace.value("path").toString(), path.section(QLatin1Char('?'), 0, 0));
        QCOMPARE(trace.value("retries").toInt(), 0);
        QCOMPARE(trace.value("client_address").toString(), QStringLiteral("127.0.0.1"));
    }

    void authFailuresInTheProvidersFormat_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("errorKind");
        QTest::addColumn<QString>("format");
        // What of the presented key the answer, the log and the trace may repeat: the short prefix of a key shaped
        // like a Gatehouse key, nothing of anything else (it may be a provider's secret sent to the wrong place).
        QTest::addColumn<QByteArray>("shown");
        QTest::newRow("openai missing") << "/v1/chat/completions" << QByteArray() << QByteArray() << "missing_key"
                                        << "openai" << QByteArray();
        QTest::newRow("openai unknown gatehouse key")
            << "/v1/chat/completions" << QByteArray("Authorization")
            << QByteArray("Bearer gh-Unknown0" + QByteArray(32, 'x')) << "invalid_key"
            << "openai" << QByteArray("gh-Unknown");
        QTest::newRow("openai malformed")
            << "/v1/chat/completions" << QByteArray("Authorization")
            << QByteArray("Bearer gh-not-a-real-key-0000000000000000000000") << "invalid_key"
            << "openai" << QByteArray();
        QTest::newRow("anthropic provider secret")
            << "/v1/messages" << QByteArray("x-api-key") << QByteArray("sk-ant-api03-wrong-place") << "invalid_key"
            << "anthropic" << QByteArray();
        QTest::newRow("gemini missing") << "/v1beta/models/gemini-2.0-flash:generateContent" << QByteArray()
                                        << QByteArray() << "missing_key"
                                        << "gemini" << QByteArray();
    }

    void authFailuresInTheProvidersFormat()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QFETCH(QString, errorKind);
        QFETCH(QString, format);
        QFETCH(QByteArray, shown);
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (!header.isEmpty())
            headers.append(qMakePair(header, value));
        const auto response = m_client.send("POST", m_gateway.proxyUrl(path), "{}", headers);
        QCOMPARE(response.status, 401);
        const QJsonObject error = response.json().object();
        if (format == QLatin1String("openai")) {
            QVERIFY(error[QLatin1String("error")][QLatin1String("message")].isString());
            QVERIFY(error[QLatin1String("error")][QLatin1String("type")].isString());
        } else if (format == QLatin1String("anthropic")) {
            QCOMPARE(error[QLatin1String("type")].toString(), QStringLiteral("error"));
            QCOMPARE(error[QLatin1String("error")][QLatin1String("type")].toString(),
                     QStringLiteral("authentication_error"));
        } else {
            QCOMPARE(error[QLatin1String("error")][QLatin1String("code")].toInt(), 401);
            QCOMPARE(error[QLatin1String("error")][QLatin1String("status")].toString(),
                     QStringLiteral("UNAUTHENTICATED"));
        }
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        const QVariantMap trace = lastTrace();
        QCOMPARE(trace.value("status").toInt(), 401);
        QCOMPARE(trace.value("success").toInt(), 0);
        QCOMPARE(trace.value("error_kind").toString(), errorKind);
        const QByteArray key = value.startsWith("Bearer ") ? value.sliced(7) : value;
        const QByteArray message = trace.value("error_message").toByteArray();
        if (!shown.isEmpty()) {
            QVERIFY2(response.body.contains(shown) && message.contains(shown), message.constData());
            QVERIFY(!response.body.contains(key.first(shown.size() + 1)));
        } else if (!key.isEmpty()) {
            QVERIFY2(!response.body.contains(key.first(6)) && !message.contains(key.first(6)), message.constData());
        }
    }

    // Issue 15 (errors that make clients do the right thing): a browser's "/" is a wrong address, not a missing key;
    // an Authorization header without "Bearer" is named as the mistake, without repeating the key.
    void wrongAddressesAndMalformedAuthorizationAreNamed()
    {
        for (const QString& path : {QStringLiteral("/"), QStringLiteral("/favicon.ico")}) {
            const int before = int(m_openai.requests().size());
            const auto response = m_client.get(m_gateway.proxyUrl(path));
            QCOMPARE(response.status, 404);
            QCOMPARE(int(m_openai.requests().size()), before);
            QVERIFY(m_fixture->waitForTraces(++m_tracesBefore));
            QCOMPARE(lastTrace().value("error_kind").toString(), QStringLiteral("route_not_allowed"));
        }
        const QByteArray key = m_gatewayKeys.value(QStringLiteral("openai"));
        const auto response =
            m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), "{}", {{"Authorization", key}});
        QCOMPARE(response.status, 401);
        const QString message = response.json()[QLatin1String("error")][QLatin1String("message")].toString();
        QVERIFY2(message.contains(QLatin1String("Bearer")), qPrintable(message));
        QVERIFY(!response.body.contains(key.first(8)));
    }

    // An OpenAI key on Anthropic's path was forwarded to OpenAI and failed there; now the client is told what its key
    // serves.
    void aKeyOnAnotherTypesPathIsToldWhatItServes()
    {
        const int openAiBefore = int(m_openai.requests().size()), anthropicBefore = int(m_anthropic.requests().size());
        const auto response = m_client.post(
            m_gateway.proxyUrl(QStringLiteral("/v1/messages")), R"({"model":"claude-sonnet-4-5","messages":[]})",
            {{"Authorization", "Bearer " + m_gatewayKeys.value(QStringLiteral("openai"))}});
        QCOMPARE(response.status, 400);
        const QString message = response.json()[QLatin1String("error")][QLatin1String("message")].toString();
        QVERIFY2(message.contains(QLatin1String("openai")) &&
                     message.contains(QLatin1String("POST /v1/chat/completions")),
                 qPrintable(message));
        QCOMPARE(int(m_openai.requests().size()), openAiBefore);
        QCOMPARE(int(m_anthropic.requests().size()), anthropicBefore);
    }

    // A key whose pool is empty answered 503, which every SDK retries: a configuration error is answered as one.
    void aKeyWithAnEmptyPoolIsAConfigurationError()
    {
        const qint64 userId = m_fixture->addUser(QStringLiteral("no-pool"), QStringLiteral("user"));
        const QByteArray gatewayKey = m_fixture->addGatewayKey(QStringLiteral("openai"), {}, {.userId = userId});
        const auto response = m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), "{}",
                                            {{"Authorization", "Bearer " + gatewayKey}});
        QCOMPARE(response.status, 403);
        QCOMPARE(response.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("empty_pool"));
        QTRY_VERIFY(!traceOf(userId).isEmpty());
        QCOMPARE(traceOf(userId).value("error_kind").toString(), QStringLiteral("empty_pool"));
    }

    void disabledAndExpiredKeysAreRefused_data()
    {
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<qint64>("expiresAtMs");
        QTest::addColumn<QString>("errorKind");
        QTest::newRow("disabled") << false << qint64(0) << "key_disabled";
        QTest::newRow("expired") << true << QDateTime::currentMSecsSinceEpoch() - 1000 << "key_expired";
    }

    void disabledAndExpiredKeysAreRefused()
    {
        QFETCH(bool, enabled);
        QFETCH(qint64, expiresAtMs);
        QFETCH(QString, errorKind);
        const qint64 key = m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-provider-openai"));
        const QByteArray gatewayKey = m_fixture->addGatewayKey(
            QStringLiteral("openai"), {key},
            {.userId = m_fixture->addUser(QStringLiteral("refused-") + errorKind, QStringLiteral("user")),
             .enabled = enabled,
             .expiresAtMs = expiresAtMs});
        const int before = int(m_openai.requests().size());
        const auto response = m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), "{}",
                                            {{"Authorization", "Bearer " + gatewayKey}});
        QCOMPARE(response.status, 401);
        QCOMPARE(m_openai.requests().size(), before);
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        QCOMPARE(lastTrace().value("error_kind").toString(), errorKind);
    }

    void failsOverToTheNextKey_data()
    {
        QTest::addColumn<int>("behavior");
        QTest::newRow("429") << 0;
        QTest::newRow("500") << 1;
    }

    void failsOverToTheNextKey()
    {
        QFETCH(int, behavior);
        m_openai.addApiKey(QStringLiteral("sk-second"));
        const qint64 first = m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-provider-openai"));
        const qint64 second = m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-second"));
        const QByteArray gatewayKey = m_fixture->addGatewayKey(
            QStringLiteral("openai"), {first, second},
            {.userId = m_fixture->addUser(QStringLiteral("failover%1").arg(behavior), QStringLiteral("user"))});
        m_openai.queueBehavior(behavior == 0 ? FakeBehavior::rateLimited(30) : FakeBehavior::serverError());
        const int before = int(m_openai.requests().size());
        const auto response =
            m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")),
                          R"({"model":"gpt-4o-mini","messages":[]})", {{"Authorization", "Bearer " + gatewayKey}});
        QCOMPARE(response.status, 200);
        QCOMPARE(m_openai.requests().size(), before + 2);
        QVERIFY(m_openai.requests().at(before).header("authorization") !=
                m_openai.requests().at(before + 1).header("authorization"));
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        QCOMPARE(lastTrace().value("retries").toInt(), 1);
        QCOMPARE(lastTrace().value("success").toInt(), 1);
    }

    void noRetryAfterTheFirstByteAndACutStreamIsAnError()
    {
        m_openai.queueBehavior(FakeBehavior::cutStream(2));
        const int before = int(m_openai.requests().size());
        const auto response =
            m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")),
                          R"({"model":"gpt-4o-mini","messages":[],"stream":true})",
                          {{"Authorization", "Bearer " + m_gatewayKeys.value(QStringLiteral("openai"))}});
        QVERIFY2(!response.networkError.isEmpty() || response.status == 200, "the client must see the cut");
        QVERIFY(!response.body.contains("[DONE]"));
        QCOMPARE(m_openai.requests().size(), before + 1);
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        QCOMPARE(lastTrace().value("error_kind").toString(), QStringLiteral("stream_cut"));
        QCOMPARE(lastTrace().value("success").toInt(), 0);
    }

    void aProviderFallingSilentMidStreamIsCutAndTraced()
    {
        m_openai.queueBehavior(FakeBehavior::slowStream(5'000)); // pieces 5 s apart; the stall timeout is 1 s
        const auto response =
            m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")),
                          R"({"model":"gpt-4o-mini","messages":[],"stream":true})",
                          {{"Authorization", "Bearer " + m_gatewayKeys.value(QStringLiteral("openai"))}});
        QVERIFY2(!response.networkError.isEmpty() || response.status == 200, "the client must see the cut");
        QVERIFY(!response.body.contains("[DONE]"));
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        QCOMPARE(lastTrace().value("error_kind").toString(), QStringLiteral("stream_cut"));
        // The answer began and never ended: what the client got is charged, estimated (the usage never came).
        QCOMPARE(lastTrace().value("error_message").toString(),
                 QStringLiteral("the provider sent nothing for 1000 ms; usage estimated, the provider's count never "
                                "arrived"));
        QVERIFY(lastTrace().value("total_tokens").toLongLong() > 0);
        QCOMPARE(lastTrace().value("success").toInt(), 0);
    }

    void deadUpstreamGivesA502InTheProvidersFormat()
    {
        m_anthropic.refuseConnections();
        const auto response = m_client.post(
            m_gateway.proxyUrl(QStringLiteral("/v1/messages")), R"({"model":"claude-sonnet-4-5","messages":[]})",
            {{"x-api-key", m_gatewayKeys.value(QStringLiteral("anthropic"))}, {"anthropic-version", "2023-06-01"}});
        QVERIFY(m_anthropic.acceptConnections());
        QCOMPARE(response.status, 502);
        QCOMPARE(response.json()[QLatin1String("type")].toString(), QStringLiteral("error"));
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        QCOMPARE(lastTrace().value("error_kind").toString(), QStringLiteral("upstream_unavailable"));
    }

    void requestLimitGives429WithRetryAfter()
    {
        const qint64 key = m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-provider-openai"));
        const QByteArray gatewayKey = m_fixture->addGatewayKey(
            QStringLiteral("openai"), {key},
            {.userId = m_fixture->addUser(QStringLiteral("limited"), QStringLiteral("user")), .rpmLimit = 1});
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + gatewayKey}};
        const QUrl url = m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions"));
        QCOMPARE(m_client.post(url, R"({"model":"gpt-4o-mini","messages":[]})", auth).status, 200);
        const auto limited = m_client.post(url, R"({"model":"gpt-4o-mini","messages":[]})", auth);
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("Retry-After").toInt() >= 1);
        QVERIFY(limited.json()[QLatin1String("error")][QLatin1String("message")].toString().contains(
            QLatin1String("request limit")));
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 2));
        QCOMPARE(lastTrace().value("status").toInt(), 429);
    }

    // Tenants sharing a provider key could reach all of the provider's API with it: list, read and delete each other's
    // files, batches, stored completions. Only the provider type's allowed routes are forwarded; the rest is 404 in
    // the provider's format, traced, and never reaches the provider.
    void onlyAllowedRoutesReachTheProvider_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("keyHeader");
        QTest::newRow("openai files") << "openai" << QByteArray("GET") << "/v1/files" << QByteArray("authorization");
        QTest::newRow("openai file delete")
            << "openai" << QByteArray("DELETE") << "/v1/files/file-abc" << QByteArray("authorization");
        QTest::newRow("openai stored completions")
            << "openai" << QByteArray("GET") << "/v1/chat/completions?limit=100" << QByteArray("authorization");
        QTest::newRow("openai batches") << "openai" << QByteArray("POST") << "/v1/batches"
                                        << QByteArray("authorization");
        QTest::newRow("anthropic batches")
            << "anthropic" << QByteArray("POST") << "/v1/messages/batches" << QByteArray("x-api-key");
        QTest::newRow("gemini cached contents")
            << "gemini" << QByteArray("GET") << "/v1beta/cachedContents" << QByteArray("x-goog-api-key");
    }

    void onlyAllowedRoutesReachTheProvider()
    {
        QFETCH(QString, provider);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, keyHeader);
        const QByteArray key = m_gatewayKeys.value(provider);
        const QByteArray value = keyHeader == "authorization" ? "Bearer " + key : key;
        const int before = int(m_fakes.value(provider)->requests().size());
        const auto response = m_client.send(method, m_gateway.proxyUrl(path), method == "GET" ? QByteArray() : "{}",
                                            {{keyHeader, value}});
        QCOMPARE(response.status, 404);
        const QJsonObject body = response.json().object();
        if (provider == QLatin1String("anthropic"))
            QCOMPARE(body[QLatin1String("error")][QLatin1String("type")].toString(), QStringLiteral("not_found_error"));
        else if (provider == QLatin1String("gemini"))
            QCOMPARE(body[QLatin1String("error")][QLatin1String("status")].toString(), QStringLiteral("NOT_FOUND"));
        else
            QCOMPARE(body[QLatin1String("error")][QLatin1String("type")].toString(),
                     QStringLiteral("invalid_request_error"));
        QCOMPARE(int(m_fakes.value(provider)->requests().size()), before);
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        QCOMPARE(lastTrace().value("error_kind").toString(), QStringLiteral("route_not_allowed"));
        QCOMPARE(lastTrace().value("status").toInt(), 404);
    }

    // The seed that put the built-in types in the database and the types' definition in the code agree.
    void builtinAllowlistsAreSeededAsDefined()
    {
        auto rows = m_gateway.service().database().exec(
            QStringLiteral("SELECT name, allowed_routes FROM provider_types WHERE builtin = 1"));
        QVERIFY(rows);
        int seen = 0;
        while (rows->next()) {
            ++seen;
            QCOMPARE(QJsonDocument::fromJson(rows->value(1).toString().toUtf8()).array(),
                     ApiFormat::typeDefaults(rows->value(0).toString())[QLatin1String("allowedRoutes")].toArray());
        }
        QCOMPARE(seen, 3);
    }

    // A client that reads a stream to its last word and leaves before OpenAI's usage chunk still pays: the answer is
    // charged (estimated, and traced so), and a key whose budget that spends is refused next. (Before, such streams
    // were traced with 0 tokens and the budget never moved.)
    void aClientLeavingBeforeTheUsageStillPays()
    {
        const qint64 key = m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-provider-openai"));
        const QByteArray gatewayKey = m_fixture->addGatewayKey(
            QStringLiteral("openai"), {key},
            {.userId = m_fixture->addUser(QStringLiteral("leaver"), QStringLiteral("user")), .tokensPerDay = 1});
        m_openai.queueBehavior(FakeBehavior::slowStream(300)); // the usage chunk comes 300 ms after the last word
        const QByteArray body = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true})";
        RawHttpClient client;
        QVERIFY(client.connectTo(m_gateway.service().proxyPort()));
        client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gatehouse\r\nAuthorization: Bearer " + gatewayKey +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                    "\r\n\r\n" + body);
        const QString lastWord = m_openai.replyText().split(QLatin1Char(' ')).last();
        QVERIFY(client.waitForData(lastWord.toUtf8()));
        QVERIFY(!client.unparsed().contains("\"usage\":{"));
        client.socket().abort();

        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 1));
        const QVariantMap trace = lastTrace();
        QCOMPARE(trace.value("error_kind").toString(), QStringLiteral("client_gone"));
        QVERIFY2(trace.value("error_message").toString().contains(QLatin1String("usage estimated")),
                 qPrintable(trace.value("error_message").toString()));
        QVERIFY(trace.value("prompt_tokens").toLongLong() >= (body.size() + 3) / 4);
        QVERIFY(trace.value("completion_tokens").toLongLong() >= m_openai.replyText().split(QLatin1Char(' ')).size());
        QCOMPARE(trace.value("total_tokens").toLongLong(),
                 trace.value("prompt_tokens").toLongLong() + trace.value("completion_tokens").toLongLong());

        const auto refused = m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), body,
                                           {{"Authorization", "Bearer " + gatewayKey}});
        QCOMPARE(refused.status, 429);
        QVERIFY(refused.json()[QLatin1String("error")][QLatin1String("message")].toString().contains(
            QLatin1String("budget")));
        // OpenAI's own answer for a spent quota, which SDKs are told not to retry (Retry-After still says when).
        QCOMPARE(refused.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("insufficient_quota"));
        QCOMPARE(refused.header("x-should-retry"), QByteArray("false"));
        QVERIFY(refused.header("Retry-After").toInt() >= 1);
        QVERIFY(m_fixture->waitForTraces(m_tracesBefore + 2)); // the refusal's too
        QCOMPARE(lastTrace().value("error_kind").toString(), QStringLiteral("quota_exceeded"));
    }

    // A stream cut right after its usage chunk is charged that usage, not an estimate, even when only the end of the
    // stream can end that chunk: lines that end in CR alone, the last one with nothing after it to tell that no LF
    // follows. The gateway asked for the usage itself here, so the stream goes through the filter that takes it out.
    void aStreamCutAfterItsUsageIsChargedThatUsage()
    {
        QByteArray stream = ProviderSamples::openAiChatStream(true);
        stream.chop(QByteArray("data: [DONE]\n\n").size());
        stream.replace("\n", "\r");
        ScriptedUpstream upstream;
        upstream.setResponder([stream](const ScriptedUpstream::Request&, QTcpSocket* socket) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " +
                          QByteArray::number(stream.size() + 100) + "\r\n\r\n" + stream); // 100 bytes never come
            socket->disconnectFromHost();
        });
        m_fixture->pointProviderAt(QStringLiteral("openai"), upstream.url());
        const auto restore =
            qScopeGuard([this] { m_fixture->pointProviderAt(QStringLiteral("openai"), m_openai.url()); });
        // Keys of its own: the cut counts against them, not against the keys the other tests use.
        const qint64 userId = m_fixture->addUser(QStringLiteral("cut"), QStringLiteral("user"));
        const QByteArray gatewayKey = m_fixture->addGatewayKey(
            QStringLiteral("openai"), {m_fixture->addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-cut"))},
            {.userId = userId});

        const auto response =
            m_client.post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")),
                          R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true})",
                          {{"Authorization", "Bearer " + gatewayKey}});
        QVERIFY2(!response.networkError.isEmpty() || response.status == 200, "the client must see the cut");
        QVERIFY(upstream.requests().first().body.contains("include_usage"));
        QTRY_VERIFY(!traceOf(userId).isEmpty());
        const QVariantMap trace = traceOf(userId);
        QCOMPARE(trace.value("error_kind").toString(), QStringLiteral("stream_cut"));
        QVERIFY2(!trace.value("error_message").toString().contains(QLatin1String("estimated")),
                 qPrintable(trace.value("error_message").toString()));
        QCOMPARE(trace.value("total_tokens").toLongLong(), 1226);
    }

    // A provider's answer read in one piece reaches the client in one TCP segment: the head, the body and the end
    // of the body. A short stream with the usage OpenAI adds taken out is the case that sent the end apart (its body
    // is chunked once the gateway changed it), waking the client twice for one answer.
    void anAnswerReadAtOnceGoesToTheClientInOneSegment()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(ScriptedUpstream::fixed(200, ProviderSamples::openAiChatStream(true),
                                                      {{"Content-Type", "text/event-stream"}}));
        m_fixture->pointProviderAt(QStringLiteral("openai"), upstream.url());
        const auto restore =
            qScopeGuard([this] { m_fixture->pointProviderAt(QStringLiteral("openai"), m_openai.url()); });

        const QByteArray body = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true})";
        RawHttpClient client;
        QVERIFY(client.connectTo(m_gateway.service().proxyPort()));
        client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gatehouse\r\nAuthorization: Bearer " +
                    m_gatewayKeys.value(QStringLiteral("openai")) +
                    "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                    "\r\n\r\n" + body);
        const RawHttpClient::Response response = client.readResponse();
        QCOMPARE(response.status, 200);
        QVERIFY(response.complete);
        QCOMPARE(response.body, ProviderSamples::openAiChatStream(false));
        QCOMPARE(upstream.requests().size(), 1);

        tcp_info info{};
        socklen_t size = sizeof info;
        QCOMPARE(getsockopt(int(client.socket().socketDescriptor()), IPPROTO_TCP, TCP_INFO, &info, &size), 0);
        QCOMPARE(info.tcpi_data_segs_in, 1u);
    }
};

GATEHOUSE_TEST_MAIN(TestGatewayProxy)
#include "TestGatewayProxy.moc"
