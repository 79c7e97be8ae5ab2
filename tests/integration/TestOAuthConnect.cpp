#include "AdminApiClient.h"
#include "FakeAuthorizationServer.h"
#include "GatewayHarness.h"
#include "RawHttpClient.h"
#include "RecordedLog.h"
#include "TestRegistry.h"

#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include <memory>

namespace {

QString text(const HttpTestClient::Response& response, const char* member)
{
    return response.json()[QLatin1String(member)].toString();
}

QString errorMessage(const HttpTestClient::Response& response)
{
    return response.json()[QLatin1String("error")][QLatin1String("message")].toString();
}

} // namespace

// OAuth configurations and connecting a provider account with them: /api/oauth/configs, /api/oauth/authorize, the
// user's part at a fake authorization server, /api/oauth/exchange, /api/oauth/sessions. What is stored (sealed),
// what is refused (a used, foreign, mismatched or expired state; a wrong verifier; a refusal) and who may do it.
class TestOAuthConnect : public QObject
{
    Q_OBJECT

private:
    static constexpr auto kClientSecret = "client-secret-Zq8Lw3Nv6Rt1Yb5Xm2Kd9Hj4";

    GatewayHarness m_gateway;
    FakeAuthorizationServer m_oauth;
    std::unique_ptr<AdminApiClient> m_admin;
    qint64 m_openai = 0;
    qint64 m_config = 0;
    int m_names = 0;

    QJsonObject configBody(const QString& name) const
    {
        return {
            {QStringLiteral("providerTypeId"), m_openai},
            {QStringLiteral("name"), name},
            {QStringLiteral("authorizeUrl"), m_oauth.url(QStringLiteral("/authorize")).toString()},
            {QStringLiteral("tokenUrl"), m_oauth.url(QStringLiteral("/token")).toString()},
            {QStringLiteral("clientId"), QLatin1String(FakeAuthorizationServer::kClientId)},
            {QStringLiteral("clientSecret"), QLatin1String(kClientSecret)},
            {QStringLiteral("scopes"), QLatin1String(FakeAuthorizationServer::kScopes)},
            {QStringLiteral("redirectUri"), QLatin1String(FakeAuthorizationServer::kRedirectUri)},
            {QStringLiteral("extraHeaders"), QJsonObject{{QStringLiteral("openai-beta"), QStringLiteral("oauth")}}}};
    }

    // authorize as `admin`: the session id and the authorization URL.
    QPair<qint64, QUrl> authorize(AdminApiClient& admin, const QString& name)
    {
        const auto started = admin.post(QStringLiteral("/api/oauth/authorize"),
                                        {{QStringLiteral("configId"), m_config}, {QStringLiteral("name"), name}});
        if (started.status != 201)
            qWarning("authorize: %d %s", started.status, started.body.constData());
        return {started.json()[QLatin1String("sessionId")].toInteger(), QUrl(text(started, "authorizationUrl"))};
    }

    HttpTestClient::Response exchange(AdminApiClient& admin, const QUrl& callback)
    {
        return admin.post(QStringLiteral("/api/oauth/exchange"),
                          {{QStringLiteral("callbackUrl"), callback.toString(QUrl::FullyEncoded)}});
    }

    QString sessionStatus(qint64 id)
    {
        auto row =
            m_gateway.service().database().exec(QStringLiteral("SELECT status FROM oauth_sessions WHERE id = ?"), {id});
        return row && row->next() ? row->value(0).toString() : QString();
    }

    qint64 auditCount(const QString& action)
    {
        auto row = m_gateway.service().database().exec(
            QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = ?"), {action});
        return row && row->next() ? row->value(0).toLongLong() : -1;
    }

    QString nextName() { return QStringLiteral("account-%1").arg(++m_names); }

private slots:
    void initTestCase()
    {
        RecordedLog::start();
        QVERIFY(m_oauth.listen());
        QVERIFY(m_gateway.start());
        m_admin = std::make_unique<AdminApiClient>(m_gateway);
        const auto types = m_admin->get(QStringLiteral("/api/provider-types?q=openai"));
        for (const QJsonValue& type : types.json()[QLatin1String("items")].toArray()) {
            if (type[QLatin1String("name")].toString() == QLatin1String("openai"))
                m_openai = type[QLatin1String("id")].toInteger();
        }
        QVERIFY(m_openai > 0);
        const auto created = m_admin->post(QStringLiteral("/api/oauth/configs"), configBody(QStringLiteral("fake")));
        QCOMPARE(created.status, 201);
        m_config = created.json()[QLatin1String("id")].toInteger();
        m_oauth.setClientSecret(QLatin1String(kClientSecret));
    }

    void cleanupTestCase() { RecordedLog::stop(); }

    void init() { m_oauth.setUserRefuses(false); }

    void configurationKeepsItsClientSecretSealed()
    {
        const auto config = m_admin->get(QStringLiteral("/api/oauth/configs/%1").arg(m_config));
        QCOMPARE(config.status, 200);
        QCOMPARE(config.json()[QLatin1String("clientSecretSet")].toBool(), true);
        QCOMPARE(config.json()[QLatin1String("authTemplate")].toString(), QStringLiteral("Bearer {token}"));
        QCOMPARE(config.json()[QLatin1String("extraHeaders")][QLatin1String("openai-beta")].toString(),
                 QStringLiteral("oauth"));
        QVERIFY(!config.body.contains(kClientSecret));
        QVERIFY(!m_admin->get(QStringLiteral("/api/oauth/configs")).body.contains(kClientSecret));
        QVERIFY(!m_gateway.storedBytes().contains(kClientSecret));
        QCOMPARE(auditCount(QStringLiteral("oauth_config.create")), 1);

        const auto again = m_admin->post(QStringLiteral("/api/oauth/configs"), configBody(QStringLiteral("fake")));
        QCOMPARE(again.status, 409);
    }

    void presetsShipDisabledWithWhatTheyLack()
    {
        const auto presets = m_admin->get(QStringLiteral("/api/oauth/configs?enabled=false"));
        QCOMPARE(presets.status, 200);
        QStringList names;
        for (const QJsonValue& preset : presets.json()[QLatin1String("items")].toArray()) {
            names << preset[QLatin1String("name")].toString();
            QVERIFY2(preset[QLatin1String("note")].toString().contains(QLatin1String("Missing")) ||
                         preset[QLatin1String("note")].toString().contains(QLatin1String("Not confirmed")),
                     qPrintable(preset[QLatin1String("note")].toString()));
            const auto refused = m_admin->post(
                QStringLiteral("/api/oauth/authorize"),
                {{QStringLiteral("configId"), preset[QLatin1String("id")]}, {QStringLiteral("name"), nextName()}});
            QCOMPARE(refused.status, 400);
            QVERIFY2(errorMessage(refused).contains(QLatin1String("disabled")), qPrintable(errorMessage(refused)));
        }
        names.sort();
        QCOMPARE(names, QStringList({QStringLiteral("Claude Code (Claude sign-in)"),
                                     QStringLiteral("Gemini CLI (Google sign-in)"),
                                     QStringLiteral("OpenAI Codex CLI (ChatGPT sign-in)")}));
    }

    void badConfigurationsAreRefused_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("problem");
        QTest::newRow("plain http to another host")
            << "tokenUrl" << QJsonValue(QStringLiteral("http://auth.example/token"))
            << "'tokenUrl' must be an https URL";
        QTest::newRow("template without the token")
            << "authTemplate" << QJsonValue(QStringLiteral("Bearer")) << "'authTemplate' must contain {token}";
        QTest::newRow("a parameter the flow sets")
            << "authorizeParams" << QJsonValue(QJsonObject{{QStringLiteral("state"), QStringLiteral("fixed")}})
            << "'authorizeParams' may not set 'state'";
        QTest::newRow("a header with a line break")
            << "extraHeaders" << QJsonValue(QJsonObject{{QStringLiteral("x-a"), QStringLiteral("1\r\nx-b: 2")}})
            << "'extraHeaders' must map header names to string values";
        QTest::newRow("a redirect with a fragment")
            << "redirectUri" << QJsonValue(QStringLiteral("http://localhost:1455/cb#x")) << "'redirectUri' must be";
    }

    void badConfigurationsAreRefused()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, problem);
        QJsonObject body = configBody(nextName());
        body.insert(field, value);
        const auto refused = m_admin->post(QStringLiteral("/api/oauth/configs"), body);
        QCOMPARE(refused.status, 400);
        QVERIFY2(errorMessage(refused).contains(problem), qPrintable(errorMessage(refused)));
    }

    void anAccountIsConnectedAsAnOAuthProviderKey()
    {
        const QString name = nextName();
        const auto [sessionId, url] = authorize(*m_admin, name);
        QVERIFY(sessionId > 0);
        const QUrlQuery query(url);
        QCOMPARE(url.path(), QStringLiteral("/authorize"));
        QCOMPARE(query.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
        QCOMPARE(query.queryItemValue(QStringLiteral("client_id")), QLatin1String(FakeAuthorizationServer::kClientId));
        QCOMPARE(query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
                 QLatin1String(FakeAuthorizationServer::kScopes));
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
        QVERIFY(query.queryItemValue(QStringLiteral("state")).size() >= 32);
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("pending"));

        const QUrl callback = m_oauth.approve(url);
        QVERIFY2(!callback.isEmpty(), "the authorization server did not redirect back");
        const int tokenRequests = m_oauth.tokenRequests();
        const auto connected = exchange(*m_admin, callback);
        QCOMPARE(connected.status, 200);
        QCOMPARE(m_oauth.tokenRequests(), tokenRequests + 1);
        QCOMPARE(m_oauth.lastTokenError(), QString());
        const QJsonObject session = connected.json().object();
        QCOMPARE(session[QLatin1String("status")].toString(), QStringLiteral("active"));
        QCOMPARE(session[QLatin1String("name")].toString(), name);
        QCOMPARE(session[QLatin1String("scope")].toString(), QLatin1String(FakeAuthorizationServer::kScopes));
        const qint64 expiresAt =
            QDateTime::fromString(session[QLatin1String("expiresAt")].toString(), Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
        QVERIFY(qAbs(expiresAt - (QDateTime::currentMSecsSinceEpoch() + 3600 * 1000)) < 60 * 1000);
        const qint64 keyId = session[QLatin1String("providerKeyId")].toInteger();
        QVERIFY(keyId > 0);

        const auto key = m_admin->get(QStringLiteral("/api/provider-keys/%1").arg(keyId));
        QCOMPARE(key.status, 200);
        QCOMPARE(text(key, "authKind"), QStringLiteral("oauth"));
        QCOMPARE(text(key, "name"), name);
        QCOMPARE(m_admin->post(QStringLiteral("/api/provider-keys/%1/reveal").arg(keyId)).status, 409);

        const auto sessions = m_admin->get(QStringLiteral("/api/oauth/sessions?status=active"));
        QCOMPARE(sessions.status, 200);
        bool listed = false;
        for (const QJsonValue& item : sessions.json()[QLatin1String("items")].toArray())
            listed = listed || item[QLatin1String("id")].toInteger() == sessionId;
        QVERIFY(listed);
        QCOMPARE(auditCount(QStringLiteral("oauth.connect")), 1);

        // The tokens exist only sealed: in no answer, no database byte and no log line.
        const QByteArray stored = m_gateway.storedBytes();
        const QString logs = RecordedLog::text();
        QVERIFY(!m_oauth.issuedTokens().isEmpty());
        for (const QString& token : m_oauth.issuedTokens()) {
            QVERIFY2(!stored.contains(token.toUtf8()), "a token is stored in clear");
            QVERIFY2(!logs.contains(token), "a token is in the log");
            QVERIFY(!connected.body.contains(token.toUtf8()));
            QVERIFY(!sessions.body.contains(token.toUtf8()));
        }
        const QString code = QUrlQuery(callback).queryItemValue(QStringLiteral("code"));
        QVERIFY2(!logs.contains(code), "the authorization code is in the log");
    }

    void anAccountsKeyKeepsNoSecretAndTakesItsTokensAlong()
    {
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        const auto connected = exchange(*m_admin, m_oauth.approve(url));
        QCOMPARE(connected.status, 200);
        const qint64 keyId = connected.json()[QLatin1String("providerKeyId")].toInteger();
        const auto replaced =
            m_admin->patch(QStringLiteral("/api/provider-keys/%1").arg(keyId),
                           {{QStringLiteral("secret"), QStringLiteral("sk-not-an-oauth-token-1234")}});
        QCOMPARE(replaced.status, 400);
        QVERIFY2(errorMessage(replaced).contains(QLatin1String("OAuth account")), qPrintable(errorMessage(replaced)));

        QCOMPARE(m_admin->remove(QStringLiteral("/api/provider-keys/%1").arg(keyId)).status, 204);
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("revoked"));
        auto row = m_gateway.service().database().exec(
            QStringLiteral("SELECT access_token_ciphertext, refresh_token_ciphertext FROM oauth_sessions WHERE id = ?"),
            {sessionId});
        QVERIFY(row && row->next());
        QVERIFY(row->value(0).isNull());
        QVERIFY(row->value(1).isNull());
    }

    void aClientThatLeavesDuringTheExchangeHarmsNoOne()
    {
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        const QUrl callback = m_oauth.approve(url);
        const int tokenRequests = m_oauth.tokenRequests();
        m_oauth.setTokenDelayMs(300);
        {
            RawHttpClient client;
            QVERIFY(client.connectTo(m_gateway.adminUrl().port()));
            const auto [name, value] = m_gateway.login();
            const QByteArray body =
                QJsonDocument(QJsonObject{{QStringLiteral("callbackUrl"), callback.toString(QUrl::FullyEncoded)}})
                    .toJson(QJsonDocument::Compact);
            client.send("POST /api/oauth/exchange HTTP/1.1\r\nHost: admin\r\n" + name + ": " + value +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                        "\r\n\r\n" + body);
            QTRY_COMPARE(m_oauth.tokenRequests(), tokenRequests + 1);     // the exchange is out
        }                                                                 // and the client leaves before its answer
        QTRY_COMPARE(sessionStatus(sessionId), QStringLiteral("active")); // the exchange still completes
        m_oauth.setTokenDelayMs(0);
        QCOMPARE(m_admin->get(QStringLiteral("/api/oauth/sessions")).status, 200); // and the admin API serves on
    }

    void aCallbackIsUsedOnce()
    {
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        const QUrl callback = m_oauth.approve(url);
        QCOMPARE(exchange(*m_admin, callback).status, 200);
        const int tokenRequests = m_oauth.tokenRequests();
        const auto replayed = exchange(*m_admin, callback);
        QCOMPARE(replayed.status, 400);
        QVERIFY2(errorMessage(replayed).contains(QLatin1String("no pending authorization")),
                 qPrintable(errorMessage(replayed)));
        QCOMPARE(m_oauth.tokenRequests(), tokenRequests); // refused before the code went anywhere
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("active"));
    }

    void aForgedStateIsRefused()
    {
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        QUrl callback = m_oauth.approve(url);
        QUrlQuery query(callback);
        query.removeAllQueryItems(QStringLiteral("state"));
        query.addQueryItem(QStringLiteral("state"), QStringLiteral("forged-state-of-an-attacker-0123456789abcdef"));
        callback.setQuery(query);
        const int tokenRequests = m_oauth.tokenRequests();
        QCOMPARE(exchange(*m_admin, callback).status, 400);
        QCOMPARE(m_oauth.tokenRequests(), tokenRequests);
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("pending")); // still the user's to finish
    }

    void aCodeExchangedWithAnotherVerifierIsRejected()
    {
        // The code of one authorization under the state of another: the gateway sends the second one's verifier,
        // which does not match the first one's challenge.
        const auto [first, firstUrl] = authorize(*m_admin, nextName());
        const auto [second, secondUrl] = authorize(*m_admin, nextName());
        const QUrl firstCallback = m_oauth.approve(firstUrl);
        const QUrl secondCallback = m_oauth.approve(secondUrl);
        const auto mixed = m_admin->post(
            QStringLiteral("/api/oauth/exchange"),
            {{QStringLiteral("code"), QUrlQuery(firstCallback).queryItemValue(QStringLiteral("code"))},
             {QStringLiteral("state"), QUrlQuery(secondCallback).queryItemValue(QStringLiteral("state"))}});
        QCOMPARE(mixed.status, 400);
        QCOMPARE(m_oauth.lastTokenError(), QStringLiteral("invalid_grant"));
        QVERIFY2(errorMessage(mixed).contains(QLatin1String("rejected the code: invalid_grant")),
                 qPrintable(errorMessage(mixed)));
        QCOMPARE(sessionStatus(second), QStringLiteral("error"));
        QCOMPARE(sessionStatus(first), QStringLiteral("pending"));
        QVERIFY(auditCount(QStringLiteral("oauth.exchange_failed")) >= 1);
    }

    void anExpiredAuthorizationIsRefused()
    {
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        const QUrl callback = m_oauth.approve(url);
        // Started eleven minutes ago, as far as the gateway knows.
        QVERIFY(m_gateway.service().database().exec(
            QStringLiteral("UPDATE oauth_sessions SET created_at = created_at - ? WHERE id = ?"),
            {11 * 60 * 1000, sessionId}));
        const int tokenRequests = m_oauth.tokenRequests();
        const auto late = exchange(*m_admin, callback);
        QCOMPARE(late.status, 400);
        QVERIFY2(errorMessage(late).contains(QLatin1String("expired")), qPrintable(errorMessage(late)));
        QCOMPARE(m_oauth.tokenRequests(), tokenRequests);
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("expired"));
        QCOMPARE(exchange(*m_admin, callback).status, 400); // and it stays so
    }

    void aRefusalByTheUserEndsTheSession()
    {
        m_oauth.setUserRefuses(true);
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        const QUrl callback = m_oauth.approve(url);
        QCOMPARE(QUrlQuery(callback).queryItemValue(QStringLiteral("error")), QStringLiteral("access_denied"));
        const auto refused = exchange(*m_admin, callback);
        QCOMPARE(refused.status, 400);
        QVERIFY2(errorMessage(refused).contains(QLatin1String("refused: access_denied")),
                 qPrintable(errorMessage(refused)));
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("error"));
    }

    void anUnreachableTokenEndpointIsABadGateway()
    {
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        const QUrl callback = m_oauth.approve(url);
        m_oauth.http().refuseConnections();
        const auto failed = exchange(*m_admin, callback);
        QVERIFY(m_oauth.http().acceptConnections());
        QCOMPARE(failed.status, 502);
        QCOMPARE(failed.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("bad_gateway"));
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("error"));
    }

    void onlyTheUserWhoStartedItCanFinishIt()
    {
        QVERIFY(AdminApiClient::createUser(m_gateway, QStringLiteral("other-admin"),
                                           QStringLiteral("other-admin-password"), QStringLiteral("admin")) > 0);
        AdminApiClient other(m_gateway, QStringLiteral("other-admin"), QStringLiteral("other-admin-password"));
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        const QUrl callback = m_oauth.approve(url);
        QCOMPARE(exchange(other, callback).status, 400);
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("pending"));
        QCOMPARE(exchange(*m_admin, callback).status, 200);
    }

    void lowerRolesCannotConnectAccounts()
    {
        QVERIFY(AdminApiClient::createUser(m_gateway, QStringLiteral("reader"), QStringLiteral("reader-password-1"),
                                           QStringLiteral("read_only")) > 0);
        AdminApiClient reader(m_gateway, QStringLiteral("reader"), QStringLiteral("reader-password-1"));
        QCOMPARE(reader
                     .post(QStringLiteral("/api/oauth/authorize"),
                           {{QStringLiteral("configId"), m_config}, {QStringLiteral("name"), nextName()}})
                     .status,
                 403);
        const auto [sessionId, url] = authorize(*m_admin, nextName());
        QCOMPARE(exchange(reader, m_oauth.approve(url)).status, 403);
        QCOMPARE(sessionStatus(sessionId), QStringLiteral("pending"));
        QCOMPARE(reader.post(QStringLiteral("/api/oauth/configs"), configBody(nextName())).status, 403);
        QCOMPARE(reader.get(QStringLiteral("/api/oauth/sessions")).status, 200);

        HttpTestClient stranger;
        QCOMPARE(stranger.post(m_gateway.adminUrl(QStringLiteral("/api/oauth/exchange")), "{}").status, 401);
    }
};

GATEHOUSE_TEST_MAIN(TestOAuthConnect)
#include "TestOAuthConnect.moc"
