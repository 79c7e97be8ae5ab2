#include "BuiltinTypes.h"
#include "TestRegistry.h"
#include "providers/ProviderProfile.h"
#include "providers/RequestHeaders.h"

#include <QSet>
#include <QTest>
#include <QThread>

namespace {

QList<QByteArray> names(const HttpHeaders& headers)
{
    QList<QByteArray> out;
    for (const auto& header : headers)
        out.append(header.name.toByteArray().toLower());
    return out;
}

} // namespace

class TestRequestHeaders : public QObject
{
    Q_OBJECT

private slots:
    // Every name of the lists RequestHeaders.cpp drops, in mixed case.
    void identityHopByHopAndCredentialsNeverReachTheProvider()
    {
        const HttpHeaders client = {
            {"Host", "gateway.example.com"},
            {"Content-Type", "application/json"},
            {"Content-Length", "42"},
            {"Authorization", "Bearer gh-client-key"},
            {"X-Api-Key", "gh-client-key"},
            {"X-Goog-Api-Key", "gh-client-key"},
            {"Api-Key", "gh-client-key"},
            {"Connection", "keep-alive, X-Custom-Hop"},
            {"X-Custom-Hop", "1"},
            {"Keep-Alive", "timeout=5"},
            {"Proxy-Connection", "keep-alive"},
            {"Proxy-Authorization", "Basic abc"},
            {"Proxy-Authenticate", "Basic"},
            {"TE", "trailers"},
            {"Trailer", "X-Checksum"},
            {"Transfer-Encoding", "chunked"},
            {"Upgrade", "h2c"},
            {"Expect", "100-continue"},
            {"Forwarded", "for=192.0.2.60;proto=http"},
            {"X-Forwarded-For", "192.0.2.60"},
            {"X-Forwarded-Host", "gateway.example.com"},
            {"X-Forwarded-Proto", "https"},
            {"X-Forwarded-Port", "443"},
            {"X-Real-IP", "192.0.2.60"},
            {"Via", "1.1 proxy"},
            {"True-Client-IP", "192.0.2.60"},
            {"CF-Connecting-IP", "192.0.2.60"},
            {"CF-Connecting-IPv6", "2001:db8::1"},
            {"CF-IPCountry", "NL"},
            {"CF-Ray", "8a1b2c3d4e5f6789-AMS"},
            {"Fastly-Client-IP", "192.0.2.60"},
            {"X-Client-IP", "192.0.2.60"},
            {"X-Cluster-Client-IP", "192.0.2.60"},
            {"X-Azure-ClientIP", "192.0.2.60"},
            {"X-Original-Forwarded-For", "192.0.2.60"},
            {"CF-Visitor", "{\"scheme\":\"https\"}"},
            {"CF-Worker", "example.com"},
            {"CDN-Loop", "cloudflare"},
            {"Client-IP", "192.0.2.60"},
            {"X-Originating-IP", "192.0.2.60"},
            {"X-Remote-IP", "192.0.2.60"},
            {"X-Remote-Addr", "192.0.2.60"},
            {"X-ProxyUser-Ip", "192.0.2.60"},
            {"X-Azure-SocketIP", "192.0.2.60"},
            {"X-AppEngine-User-IP", "192.0.2.60"},
            {"X-Envoy-External-Address", "192.0.2.60"},
            {"X-Sucuri-ClientIP", "192.0.2.60"},
            {"Cookie", "session=abc"},
            {"Cookie2", "$Version=1"},
            {"User-Agent", "OpenAI/Python 1.54.0"},
            {"OpenAI-Organization", "org-123"},
            {"OpenAI-Project", "proj-123"},
            {"X-Goog-User-Project", "other-project"},
            {"X-Stainless-Lang", "python"},
            {"Accept", "text/event-stream"},
            {"Accept-Encoding", "gzip, deflate, br"},
        };
        const HttpHeaders upstream = RequestHeaders::upstream(client, BuiltinTypes::profile(QStringLiteral("openai")),
                                                              KeyCredential{"sk-provider-123"});
        const HttpHeaders expected = {
            {"host", "api.openai.com"},
            {"Content-Type", "application/json"},
            {"Content-Length", "42"},
            {"User-Agent", "OpenAI/Python 1.54.0"},
            {"X-Stainless-Lang", "python"},
            {"Accept", "text/event-stream"},
            {"authorization", "Bearer sk-provider-123"},
            {"accept-encoding", "identity"},
        };
        QCOMPARE(upstream, expected);
        for (const auto& [name, value] : upstream)
            QVERIFY2(!value.contains("gh-client-key") && !value.contains("192.0.2.60"), name.constData());
    }

    void providerKeyPerProfile_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("host");
        QTest::newRow("openai") << "openai" << QByteArray("authorization") << QByteArray("Bearer pk")
                                << QByteArray("api.openai.com");
        QTest::newRow("anthropic") << "anthropic" << QByteArray("x-api-key") << QByteArray("pk")
                                   << QByteArray("api.anthropic.com");
        QTest::newRow("gemini") << "gemini" << QByteArray("x-goog-api-key") << QByteArray("pk")
                                << QByteArray("generativelanguage.googleapis.com");
    }

    void providerKeyPerProfile()
    {
        QFETCH(QString, provider);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, host);
        const ProviderProfile profile = BuiltinTypes::profile(provider);
        const HttpHeaders upstream =
            RequestHeaders::upstream({{"x-goog-api-key", "gh"}, {"X-API-KEY", "gh"}}, profile, KeyCredential{"pk"});
        QCOMPARE(upstream.value(header), value);
        QCOMPARE(upstream.value("host"), host);
        QCOMPARE(names(upstream).count(header), 1);
    }

    // The provider sees the gateway's request id, once, whatever the client sent: the id of the trace and of the
    // answer, to find a request in the provider's logs by.
    void theGatewaysRequestIdReplacesTheClients()
    {
        const ProviderProfile profile = BuiltinTypes::profile(QStringLiteral("openai"));
        const HttpHeaders client{{"X-Request-Id", "client-1"}, {"Accept", "*/*"}, {"x-request-id", "client-2"}};
        const HttpHeaders upstream = RequestHeaders::upstream(client, profile, KeyCredential{"pk"}, {}, "gateway-id");
        QCOMPARE(upstream.values("x-request-id"), QList<QByteArrayView>{"gateway-id"});
        QCOMPARE(upstream.value("accept"), "*/*");
        QVERIFY(!RequestHeaders::upstream(client, profile, KeyCredential{"pk"}).contains("x-request-id"));
        // Nor from an OAuth account's extra headers.
        KeyCredential account{"token"};
        account.extraHeaders = {{"X-Request-Id", "account"}, {"x-account-tag", "7"}};
        const HttpHeaders signed_ = RequestHeaders::upstream(client, profile, account, {}, "gateway-id");
        QCOMPARE(signed_.values("x-request-id"), QList<QByteArrayView>{"gateway-id"});
        QCOMPARE(signed_.value("x-account-tag"), "7");
    }

    // A provider type an admin defined may read keys from any header. When the gateway found the key there but it
    // routes to another type, that header must not go upstream either.
    void theHeaderTheKeyCameInNeverReachesTheProvider()
    {
        QJsonObject json = BuiltinTypes::type(QStringLiteral("openai"));
        json.insert(QStringLiteral("authHeader"), QStringLiteral("X-Team-Key"));
        const HttpHeaders client{{"X-Team-Key", "gh-team"}, {"x-other", "1"}};
        const auto found = RequestHeaders::clientKey(client, {}, *ProviderProfile::fromType(json));
        QCOMPARE(found.key, QByteArray("gh-team"));
        QCOMPARE(found.header, QByteArray("x-team-key"));

        const ProviderProfile routed = BuiltinTypes::profile(QStringLiteral("openai"));
        QVERIFY(names(RequestHeaders::upstream(client, routed, KeyCredential{"pk"}))
                    .contains("x-team-key")); // the leak it closes
        const HttpHeaders upstream = RequestHeaders::upstream(client, routed, KeyCredential{"pk"}, found.header);
        QVERIFY(!names(upstream).contains("x-team-key"));
        QCOMPARE(upstream.value("x-other"), QByteArray("1"));
    }

    // A tenant who names another organization makes the provider refuse the shared key (OpenAI answers 401 for an
    // organization the key is not a member of) or bills another account: the account is the admin's to choose.
    void headersThatChooseTheAccountAreTheAdmins()
    {
        QJsonObject json = BuiltinTypes::type(QStringLiteral("openai"));
        json.insert(QStringLiteral("defaultHeaders"),
                    QJsonObject{{QStringLiteral("OpenAI-Organization"), "org-admin"}});
        const ProviderProfile withDefault = *ProviderProfile::fromType(json);
        const HttpHeaders client{{"OpenAI-Organization", "org-bogus"},
                                 {"openai-project", "proj-bogus"},
                                 {"X-Goog-User-Project", "other-project"},
                                 {"OpenAI-Beta", "assistants=v2"}};

        const HttpHeaders upstream = RequestHeaders::upstream(client, withDefault, KeyCredential{"pk"});
        QCOMPARE(upstream.value("openai-organization"), QByteArray("org-admin"));
        QCOMPARE(names(upstream).count("openai-organization"), 1);
        QVERIFY(!names(upstream).contains("openai-project"));
        QVERIFY(!names(upstream).contains("x-goog-user-project"));
        QCOMPARE(upstream.value("openai-beta"), QByteArray("assistants=v2")); // other client headers pass

        const HttpHeaders noDefault =
            RequestHeaders::upstream(client, BuiltinTypes::profile(QStringLiteral("openai")), KeyCredential{"pk"});
        QVERIFY(!names(noDefault).contains("openai-organization"));
        const HttpHeaders gemini =
            RequestHeaders::upstream(client, BuiltinTypes::profile(QStringLiteral("gemini")), KeyCredential{"pk"});
        QVERIFY(!names(gemini).contains("x-goog-user-project"));
    }

    void anthropicVersionDefaultsOnlyWhenAbsent()
    {
        const ProviderProfile anthropic = BuiltinTypes::profile(QStringLiteral("anthropic"));
        HttpHeaders upstream = RequestHeaders::upstream({{"x-api-key", "gh"}}, anthropic, KeyCredential{"pk"});
        QCOMPARE(upstream.value("anthropic-version"), QByteArray("2023-06-01"));
        upstream = RequestHeaders::upstream({{"Anthropic-Version", "2024-01-01"}, {"anthropic-beta", "x"}}, anthropic,
                                            KeyCredential{"pk"});
        QCOMPARE(upstream.value("anthropic-version"), QByteArray("2024-01-01"));
        QCOMPARE(names(upstream).count("anthropic-version"), 1);
        QCOMPARE(upstream.value("anthropic-beta"), QByteArray("x"));
    }

    void hostCarriesAPortOtherThanTheDefault()
    {
        const HttpHeaders local = RequestHeaders::upstream(
            {}, BuiltinTypes::profile(QStringLiteral("openai"), "http://127.0.0.1:18080/v1"), KeyCredential{"k"});
        QCOMPARE(local.value("host"), QByteArray("127.0.0.1:18080"));
        const HttpHeaders v6 = RequestHeaders::upstream(
            {}, BuiltinTypes::profile(QStringLiteral("openai"), "https://[::1]:443"), KeyCredential{"k"});
        QCOMPARE(v6.value("host"), QByteArray("[::1]"));
    }

    void clientKey_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<HttpHeaders>("headers");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("forwardQuery");
        QTest::newRow("openai bearer") << "openai" << HttpHeaders{{"Authorization", "Bearer gh-abc"}} << QByteArray()
                                       << QByteArray("gh-abc") << QByteArray();
        QTest::newRow("bearer is case-insensitive") << "openai" << HttpHeaders{{"authorization", "bearer  gh-abc "}}
                                                    << QByteArray() << QByteArray("gh-abc") << QByteArray();
        QTest::newRow("basic is not a key") << "openai" << HttpHeaders{{"Authorization", "Basic Z2g6YWJj"}}
                                            << QByteArray() << QByteArray() << QByteArray();
        QTest::newRow("openai ignores the query") << "openai" << HttpHeaders{} << QByteArray("key=gh-abc&a=1")
                                                  << QByteArray() << QByteArray("key=gh-abc&a=1");
        QTest::newRow("anthropic x-api-key") << "anthropic" << HttpHeaders{{"X-Api-Key", "gh-ant"}} << QByteArray()
                                             << QByteArray("gh-ant") << QByteArray();
        QTest::newRow("anthropic bearer") << "anthropic" << HttpHeaders{{"Authorization", "Bearer gh-ant"}}
                                          << QByteArray() << QByteArray("gh-ant") << QByteArray();
        QTest::newRow("gemini header") << "gemini" << HttpHeaders{{"x-goog-api-key", "gh-gem"}} << QByteArray("alt=sse")
                                       << QByteArray("gh-gem") << QByteArray("alt=sse");
        QTest::newRow("gemini query, others intact")
            << "gemini" << HttpHeaders{} << QByteArray("alt=sse&key=gh%2Dgem&x=a%20b&keyword=1") << QByteArray("gh-gem")
            << QByteArray("alt=sse&x=a%20b&keyword=1");
        QTest::newRow("gemini query only param")
            << "gemini" << HttpHeaders{} << QByteArray("key=gh-gem") << QByteArray("gh-gem") << QByteArray();
        QTest::newRow("header wins, query key still removed")
            << "gemini" << HttpHeaders{{"x-goog-api-key", "gh-header"}} << QByteArray("key=gh-query&alt=sse")
            << QByteArray("gh-header") << QByteArray("alt=sse");
        QTest::newRow("every key parameter removed") << "gemini" << HttpHeaders{} << QByteArray("key=a&key=b&alt=sse")
                                                     << QByteArray("a") << QByteArray("alt=sse");
        QTest::newRow("none") << "gemini" << HttpHeaders{} << QByteArray("alt=sse") << QByteArray()
                              << QByteArray("alt=sse");
    }

    void anOAuthAccountSignsWithItsOwnHeaderTemplateAndExtraHeaders()
    {
        // An Anthropic type sends API keys as x-api-key; its OAuth accounts send a bearer token and a beta header.
        KeyCredential account{"oauth-access-token", "Authorization", "Bearer {key}"};
        account.extraHeaders = {{"anthropic-beta", "oauth-2025-04-20"}};
        account.oauthSessionId = 7;
        const HttpHeaders upstream = RequestHeaders::upstream(
            {{"x-api-key", "gh-client-key"}, {"Authorization", "Bearer gh-client-key"}, {"anthropic-beta", "tools"}},
            BuiltinTypes::profile(QStringLiteral("anthropic")), account);
        QCOMPARE(upstream.value("authorization"), QByteArrayView("Bearer oauth-access-token"));
        QCOMPARE(upstream.value("anthropic-beta"), QByteArrayView("oauth-2025-04-20"));
        QVERIFY(!upstream.contains("x-api-key"));
        QCOMPARE(upstream.values("authorization").size(), 1);
        for (const auto& [name, value] : upstream)
            QVERIFY2(!value.contains("gh-client-key"), name.toByteArray().constData());
    }

    // The key goes where the template says, as often as it says, with the text around it kept.
    void theKeyFillsItsTemplate_data()
    {
        QTest::addColumn<QByteArray>("authTemplate");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("bearer") << QByteArray("Bearer {key}") << QByteArray("Bearer sk-1");
        QTest::newRow("alone") << QByteArray("{key}") << QByteArray("sk-1");
        QTest::newRow("text after") << QByteArray("Token {key}; v=2") << QByteArray("Token sk-1; v=2");
        QTest::newRow("twice") << QByteArray("{key}:{key}") << QByteArray("sk-1:sk-1");
        QTest::newRow("a brace that is no placeholder") << QByteArray("{ke {key}}") << QByteArray("{ke sk-1}");
    }

    void theKeyFillsItsTemplate()
    {
        QFETCH(QByteArray, authTemplate);
        QFETCH(QByteArray, value);
        const KeyCredential key{"sk-1", "X-Key", authTemplate};
        const HttpHeaders upstream = RequestHeaders::upstream({{"Authorization", "Bearer gh-client-key"}},
                                                              BuiltinTypes::profile(QStringLiteral("openai")), key);
        QCOMPARE(upstream.value("x-key"), QByteArrayView(value));
        QCOMPARE(upstream.values("x-key").size(), 1);
    }

    void clientKey()
    {
        QFETCH(QString, provider);
        QFETCH(HttpHeaders, headers);
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, forwardQuery);
        const auto found = RequestHeaders::clientKey(headers, query, BuiltinTypes::profile(provider));
        QCOMPARE(found.key, key);
        QCOMPARE(found.forwardQuery, forwardQuery);
    }

    void requestId_data()
    {
        QTest::addColumn<QByteArray>("given");
        QTest::addColumn<bool>("kept");
        QTest::newRow("uuid") << QByteArray("3f2b8c1e-9a4d-4c6b-8e2f-1a2b3c4d5e6f") << true;
        QTest::newRow("dots and underscores") << QByteArray("req_01.ABC-z") << true;
        QTest::newRow("128 characters") << QByteArray(128, 'a') << true;
        QTest::newRow("129 characters") << QByteArray(129, 'a') << false;
        QTest::newRow("space") << QByteArray("a b") << false;
        QTest::newRow("header injection") << QByteArray("a\r\nX-Evil: 1") << false;
        QTest::newRow("slash") << QByteArray("a/b") << false;
        QTest::newRow("non-ascii") << QByteArray("caf\xc3\xa9") << false;
        QTest::newRow("empty") << QByteArray() << false;
    }

    void requestId()
    {
        QFETCH(QByteArray, given);
        QFETCH(bool, kept);
        const QByteArray id = RequestHeaders::requestIdFrom({{"X-Request-ID", given}});
        if (kept) {
            QCOMPARE(id, given);
            return;
        }
        QCOMPARE(id.size(), 32);
        QVERIFY(QByteArray::fromHex(id).toHex() == id);
        QVERIFY(id != RequestHeaders::requestIdFrom({{"X-Request-ID", given}}));
    }

    // Each thread draws ids from a generator of its own: two workers must not hand out the same ones.
    void generatedIdsAreUniqueAcrossThreads()
    {
        constexpr int kPerThread = 20'000;
        const auto draw = [](QSet<QByteArray>& into) {
            for (int i = 0; i < kPerThread; ++i)
                into.insert(RequestHeaders::requestIdFrom({}));
        };
        QSet<QByteArray> here, there;
        std::unique_ptr<QThread> other(QThread::create([&] { draw(there); }));
        other->start();
        draw(here);
        other->wait();
        QCOMPARE(here.size(), kPerThread);
        QCOMPARE(there.size(), kPerThread);
        QVERIFY(!here.intersects(there));
        for (const QByteArray& id : std::as_const(here))
            QVERIFY2(id.size() == 32 && QByteArray::fromHex(id).toHex() == id, id.constData());
    }
};

GATEHOUSE_TEST_MAIN(TestRequestHeaders)
#include "TestRequestHeaders.moc"
