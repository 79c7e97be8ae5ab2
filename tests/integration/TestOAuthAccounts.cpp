#include "AdminApiClient.h"
#include "FakeAuthorizationServer.h"
#include "FakeOpenAI.h"
#include "GatewayFixture.h"
#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "RawHttpClient.h"
#include "TestRegistry.h"

#include "crypto/SecretBox.h"
#include "service/OAuthSessionService.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

namespace {

const QByteArray kChat = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]})";

} // namespace

// Connected OAuth accounts at work: requests signed with the account's access token and its configuration's
// headers, refreshes before expiry (with rotated refresh tokens stored), one refresh and one retry when the
// provider refuses a token, one refresh for many waiting requests, a refresh refused for good marking the key
// invalid; an admin's refresh and revocation, and authorizations left unfinished.
class TestOAuthAccounts : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    FakeOpenAI m_openai;
    FakeAuthorizationServer m_oauth;
    std::unique_ptr<AdminApiClient> m_admin;
    std::unique_ptr<GatewayFixture> m_fixture;
    qint64 m_config = 0;
    int m_accounts = 0;

    struct Account
    {
        qint64 sessionId = 0;
        qint64 keyId = 0;
        QString accessToken;
        QByteArray gatewayKey;
    };

    // Connects an account whose tokens last `lifetimeSeconds`, and a gateway key whose pool is that account alone.
    Account connectAccount(int lifetimeSeconds)
    {
        m_oauth.setAccessTokenLifetimeSeconds(lifetimeSeconds);
        const auto started = m_admin->post(QStringLiteral("/api/oauth/authorize"),
                                           {{QStringLiteral("configId"), m_config},
                                            {QStringLiteral("name"), QStringLiteral("account-%1").arg(++m_accounts)}});
        const QUrl callback = m_oauth.approve(QUrl(started.json()[QLatin1String("authorizationUrl")].toString()));
        const auto session = m_admin->post(QStringLiteral("/api/oauth/exchange"),
                                           {{QStringLiteral("callbackUrl"), callback.toString(QUrl::FullyEncoded)}});
        if (session.status != 200) {
            qWarning("exchange: %d %s", session.status, session.body.constData());
            return {};
        }
        Account account;
        account.sessionId = session.json()[QLatin1String("id")].toInteger();
        account.keyId = session.json()[QLatin1String("providerKeyId")].toInteger();
        account.accessToken = accessTokens().last();
        GatewayFixture::GatewayKeyOptions options; // one enabled key per user and type: a user per account
        options.userId = m_fixture->addUser(QStringLiteral("tenant-%1").arg(m_accounts), QStringLiteral("user"));
        account.gatewayKey = m_fixture->addGatewayKey(QStringLiteral("openai"), {account.keyId}, options);
        return account;
    }

    QStringList accessTokens() const
    {
        QStringList tokens;
        for (const QString& token : m_oauth.issuedTokens()) {
            if (token.startsWith(QLatin1String("fake-access-")))
                tokens << token;
        }
        return tokens;
    }

    int chat(const QByteArray& gatewayKey)
    {
        HttpTestClient client;
        return client
            .post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")), kChat,
                  {{"Authorization", "Bearer " + gatewayKey}, {"Content-Type", "application/json"}})
            .status;
    }

    QVariant sessionValue(qint64 sessionId, const QString& column)
    {
        auto row = m_gateway.service().database().exec(
            QStringLiteral("SELECT %1 FROM oauth_sessions WHERE id = ?").arg(column), {sessionId});
        return row && row->next() ? row->value(0) : QVariant();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_openai.listen());
        QVERIFY(m_oauth.listen());
        // The provider accepts every access token the authorization server issues, from the moment it issues it.
        connect(&m_oauth, &FakeAuthorizationServer::accessTokenIssued, &m_openai, &FakeOpenAI::addApiKey);
        QVERIFY(m_gateway.start());
        m_admin = std::make_unique<AdminApiClient>(m_gateway);
        m_fixture = std::make_unique<GatewayFixture>(m_gateway.service());
        m_fixture->pointProviderAt(QStringLiteral("openai"), m_openai.url());
        const auto config = m_admin->post(
            QStringLiteral("/api/oauth/configs"),
            {{QStringLiteral("providerTypeId"), m_fixture->providerTypeId(QStringLiteral("openai"))},
             {QStringLiteral("name"), QStringLiteral("fake")},
             {QStringLiteral("authorizeUrl"), m_oauth.url(QStringLiteral("/authorize")).toString()},
             {QStringLiteral("tokenUrl"), m_oauth.url(QStringLiteral("/token")).toString()},
             {QStringLiteral("revokeUrl"), m_oauth.url(QStringLiteral("/revoke")).toString()},
             {QStringLiteral("clientId"), QLatin1String(FakeAuthorizationServer::kClientId)},
             {QStringLiteral("redirectUri"), QLatin1String(FakeAuthorizationServer::kRedirectUri)},
             {QStringLiteral("scopes"), QLatin1String(FakeAuthorizationServer::kScopes)},
             {QStringLiteral("extraHeaders"), QJsonObject{{QStringLiteral("openai-beta"), QStringLiteral("oauth")}}}});
        QCOMPARE(config.status, 201);
        m_config = config.json()[QLatin1String("id")].toInteger();
    }

    void init()
    {
        m_oauth.setTokenDelayMs(0);
        m_oauth.setRotatesRefreshTokens(true);
        m_oauth.setOmitsScope(false);
    }

    void requestsAreSignedWithTheAccountsToken()
    {
        const Account account = connectAccount(3600);
        QVERIFY(account.keyId > 0);
        QCOMPARE(chat(account.gatewayKey), 200);
        const FakeHttpRequest& sent = m_openai.requests().last();
        QCOMPARE(sent.header("authorization"), "Bearer " + account.accessToken.toLatin1());
        QCOMPARE(sent.header("openai-beta"), QByteArray("oauth"));
        for (const auto& [name, value] : sent.headers)
            QVERIFY2(!value.contains(account.gatewayKey), name.constData());
    }

    void aTokenIsRefreshedBeforeItExpiresAndItsRotatedRefreshTokenKept()
    {
        // Tokens of 2 s are refreshed when 1 s (less a jitter) is left.
        const int refreshes = m_oauth.refreshRequests();
        const Account account = connectAccount(2);
        QTRY_COMPARE_WITH_TIMEOUT(m_oauth.refreshRequests(), refreshes + 1, 5'000);
        QTRY_VERIFY(accessTokens().last() != account.accessToken);
        QTRY_VERIFY(sessionValue(account.sessionId, QStringLiteral("last_refresh_at")).toLongLong() >
                    sessionValue(account.sessionId, QStringLiteral("created_at")).toLongLong());
        // Refreshes go on (each with the refresh token the one before rotated in: the fake refuses a used one) until
        // one brings an hour's token; then they stop, and leave the tests after this one alone.
        m_oauth.setAccessTokenLifetimeSeconds(3600);
        const auto expiresInMs = [&] {
            return sessionValue(account.sessionId, QStringLiteral("expires_at")).toLongLong() -
                   QDateTime::currentMSecsSinceEpoch();
        };
        QTRY_VERIFY_WITH_TIMEOUT(expiresInMs() > 3000 * 1000, 5'000);
        QVERIFY(m_oauth.refreshRequests() >= refreshes + 2);
        QCOMPARE(m_oauth.lastTokenError(), QString());
        QCOMPARE(sessionValue(account.sessionId, QStringLiteral("status")).toString(), QStringLiteral("active"));

        // Requests use the newest token, and the old ones are of no use any more.
        m_openai.removeApiKey(account.accessToken);
        QCOMPARE(chat(account.gatewayKey), 200);
        QCOMPARE(m_openai.requests().last().header("authorization"), "Bearer " + accessTokens().last().toLatin1());
    }

    void aRefusedTokenIsRefreshedOnceAndTheRequestSentAgain()
    {
        const Account account = connectAccount(3600);
        m_openai.removeApiKey(account.accessToken); // revoked at the provider before its time
        const int refreshes = m_oauth.refreshRequests();
        const qsizetype sent = m_openai.requests().size();
        QCOMPARE(chat(account.gatewayKey), 200);
        QCOMPARE(m_oauth.refreshRequests(), refreshes + 1);
        QCOMPARE(m_openai.requests().size(), sent + 2);
        QCOMPARE(m_openai.requests().at(sent).header("authorization"), "Bearer " + account.accessToken.toLatin1());
        QCOMPARE(m_openai.requests().at(sent + 1).header("authorization"),
                 "Bearer " + accessTokens().last().toLatin1());
    }

    void aTokenRefusedAgainAfterItsRefreshIsPassedOn()
    {
        const Account account = connectAccount(3600);
        disconnect(&m_oauth, &FakeAuthorizationServer::accessTokenIssued, &m_openai, &FakeOpenAI::addApiKey);
        m_openai.removeApiKey(account.accessToken);
        const int refreshes = m_oauth.refreshRequests();
        const int status = chat(account.gatewayKey);
        connect(&m_oauth, &FakeAuthorizationServer::accessTokenIssued, &m_openai, &FakeOpenAI::addApiKey);
        QCOMPARE(status, 401);                              // the provider's own answer
        QCOMPARE(m_oauth.refreshRequests(), refreshes + 1); // one refresh, not one per refusal
        // Out of the way of the next tests: its refusal awaits a probe, whose 401 would ask for a refresh of its own.
        QCOMPARE(m_admin->post(QStringLiteral("/api/oauth/sessions/%1/revoke").arg(account.sessionId)).status, 200);
    }

    void manyRequestsWaitingForARefreshCauseOne()
    {
        const Account account = connectAccount(3600);
        m_openai.removeApiKey(account.accessToken);
        m_oauth.setTokenDelayMs(300); // every request meets the refresh in flight
        const int refreshes = m_oauth.refreshRequests();
        constexpr int kRequests = 50;
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        const QByteArray request =
            "POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + account.gatewayKey +
            "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(kChat.size()) + "\r\n\r\n" +
            kChat;
        for (int i = 0; i < kRequests; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>());
            QVERIFY(clients.back()->connectTo(m_gateway.proxyUrl().port()));
            clients.back()->send(request);
        }
        int succeeded = 0;
        for (const auto& client : clients)
            succeeded += client->readResponse().status == 200 ? 1 : 0;
        QCOMPARE(succeeded, kRequests);
        QCOMPARE(m_oauth.refreshRequests(), refreshes + 1);
    }

    void anotherInstancesRefreshIsWaitedForNotRepeated()
    {
        // Another instance sharing the database holds the session's refresh lease: this one does not use the refresh
        // token too, and the request it holds goes out with the token the other one stores.
        const Account account = connectAccount(3600);
        Database& database = m_gateway.service().database();
        QVERIFY(database.exec(QStringLiteral("UPDATE oauth_sessions SET refresh_lease_until = ? WHERE id = ?"),
                              {QDateTime::currentMSecsSinceEpoch() + 15'000, account.sessionId}));
        m_openai.removeApiKey(account.accessToken);
        const int refreshes = m_oauth.refreshRequests();
        const QString othersToken = QStringLiteral("fake-access-from-the-other-instance");
        m_openai.addApiKey(othersToken);
        QTimer::singleShot(400, this, [&] {
            QVERIFY(database.exec(
                QStringLiteral("UPDATE oauth_sessions SET access_token_ciphertext = ?, last_refresh_at = ?, "
                               "refresh_lease_until = NULL WHERE id = ?"),
                {m_gateway.service().secrets().seal(othersToken.toUtf8(),
                                                    SealedColumns::kOAuthAccessToken.associatedData(account.sessionId)),
                 QDateTime::currentMSecsSinceEpoch(), account.sessionId}));
        });
        QCOMPARE(chat(account.gatewayKey), 200);
        QCOMPARE(m_oauth.refreshRequests(), refreshes);
        QCOMPARE(m_openai.requests().last().header("authorization"), "Bearer " + othersToken.toLatin1());
    }

    void anAdminRefreshesATokenNow()
    {
        const Account account = connectAccount(3600);
        const int refreshes = m_oauth.refreshRequests();
        const auto refreshed = m_admin->post(QStringLiteral("/api/oauth/sessions/%1/refresh").arg(account.sessionId));
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(m_oauth.refreshRequests(), refreshes + 1);
        QCOMPARE(refreshed.json()[QLatin1String("status")].toString(), QStringLiteral("active"));
        m_openai.removeApiKey(account.accessToken);
        QCOMPARE(chat(account.gatewayKey), 200);
        QCOMPARE(m_oauth.refreshRequests(), refreshes + 1); // the request had the new token already

        QVERIFY(AdminApiClient::createUser(m_gateway, QStringLiteral("reader"), QStringLiteral("reader-password-1"),
                                           QStringLiteral("read_only")) > 0);
        AdminApiClient reader(m_gateway, QStringLiteral("reader"), QStringLiteral("reader-password-1"));
        QCOMPARE(reader.post(QStringLiteral("/api/oauth/sessions/%1/refresh").arg(account.sessionId)).status, 403);
        QCOMPARE(reader.post(QStringLiteral("/api/oauth/sessions/%1/revoke").arg(account.sessionId)).status, 403);
        QCOMPARE(m_admin->post(QStringLiteral("/api/oauth/sessions/999999/refresh")).status, 404);
        QCOMPARE(m_oauth.refreshRequests(), refreshes + 1);
    }

    void aRefreshWithoutScopeKeepsTheScope()
    {
        const Account account = connectAccount(3600);
        m_oauth.setOmitsScope(true);
        const auto refreshed = m_admin->post(QStringLiteral("/api/oauth/sessions/%1/refresh").arg(account.sessionId));
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(refreshed.json()[QLatin1String("scope")].toString(), QLatin1String(FakeAuthorizationServer::kScopes));
        m_openai.removeApiKey(account.accessToken);
        QCOMPARE(chat(account.gatewayKey), 200); // with the new token
    }

    void aRateLimitedRefreshIsPostponedNotFinal()
    {
        const Account account = connectAccount(3600);
        m_oauth.failNextTokenRequest(429, QStringLiteral("rate_limit_exceeded"));
        const auto refused = m_admin->post(QStringLiteral("/api/oauth/sessions/%1/refresh").arg(account.sessionId));
        QCOMPARE(refused.status, 502);
        QVERIFY2(refused.body.contains("rate_limit_exceeded"), refused.body.constData());
        QCOMPARE(sessionValue(account.sessionId, QStringLiteral("status")).toString(), QStringLiteral("active"));
        QCOMPARE(chat(account.gatewayKey), 200); // the account still serves

        // While backed off, a refused token does not call the token endpoint again; an admin's refresh still does.
        m_openai.removeApiKey(account.accessToken);
        const int refreshes = m_oauth.refreshRequests();
        QCOMPARE(chat(account.gatewayKey), 502);
        QCOMPARE(m_oauth.refreshRequests(), refreshes);
        QCOMPARE(m_admin->post(QStringLiteral("/api/oauth/sessions/%1/refresh").arg(account.sessionId)).status, 200);
        QCOMPARE(m_oauth.refreshRequests(), refreshes + 1);
        QCOMPARE(chat(account.gatewayKey), 200);
    }

    void aRevocationDuringARefreshWins()
    {
        const Account account = connectAccount(3600);
        m_oauth.setTokenDelayMs(500);
        RawHttpClient refresh; // an admin's refresh, still waiting for the token endpoint when the revocation comes
        QVERIFY(refresh.connectTo(m_gateway.adminUrl().port()));
        const auto [name, value] = m_gateway.login();
        refresh.send("POST /api/oauth/sessions/" + QByteArray::number(account.sessionId) +
                     "/refresh HTTP/1.1\r\nHost: admin\r\n" + name + ": " + value + "\r\nContent-Length: 0\r\n\r\n");
        const int refreshes = m_oauth.refreshRequests();
        QTRY_COMPARE(m_oauth.refreshRequests(), refreshes + 1);
        const auto revoked = m_admin->post(QStringLiteral("/api/oauth/sessions/%1/revoke").arg(account.sessionId));
        QCOMPARE(revoked.status, 200);
        QCOMPARE(refresh.readResponse().status, 502); // its tokens were dropped, not stored
        QCOMPARE(sessionValue(account.sessionId, QStringLiteral("status")).toString(), QStringLiteral("revoked"));
        QVERIFY(sessionValue(account.sessionId, QStringLiteral("access_token_ciphertext")).isNull());
        QVERIFY(sessionValue(account.sessionId, QStringLiteral("refresh_token_ciphertext")).isNull());
    }

    void revokingEndsTheAccountHereAndAtTheProvider()
    {
        const Account account = connectAccount(3600);
        QCOMPARE(chat(account.gatewayKey), 200);
        const QString refreshToken = m_oauth.issuedTokens().last();
        QVERIFY(refreshToken.startsWith(QLatin1String("fake-refresh-")));
        const auto revoked = m_admin->post(QStringLiteral("/api/oauth/sessions/%1/revoke").arg(account.sessionId));
        QCOMPARE(revoked.status, 200);
        QCOMPARE(revoked.json()[QLatin1String("status")].toString(), QStringLiteral("revoked"));
        QCOMPARE(revoked.json()[QLatin1String("revokedAtProvider")].toBool(), true);
        QVERIFY(m_oauth.revokedTokens().contains(refreshToken));
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys/%1").arg(account.keyId)).status, 404);
        QVERIFY(sessionValue(account.sessionId, QStringLiteral("access_token_ciphertext")).isNull());
        QVERIFY(sessionValue(account.sessionId, QStringLiteral("refresh_token_ciphertext")).isNull());
        QCOMPARE(chat(account.gatewayKey), 403); // its pool is empty now
        QCOMPARE(m_admin->post(QStringLiteral("/api/oauth/sessions/%1/revoke").arg(account.sessionId)).status, 409);
        auto audited = m_gateway.service().database().exec(
            QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'oauth.revoke' AND object_id = ?"),
            {QString::number(account.sessionId)});
        QVERIFY(audited && audited->next());
        QCOMPARE(audited->value(0).toInt(), 1);
    }

    void authorizationsLeftUnfinishedExpire()
    {
        const auto started = m_admin->post(
            QStringLiteral("/api/oauth/authorize"),
            {{QStringLiteral("configId"), m_config}, {QStringLiteral("name"), QStringLiteral("never-finished")}});
        QCOMPARE(started.status, 201);
        const qint64 sessionId = started.json()[QLatin1String("sessionId")].toInteger();
        QVERIFY(!sessionValue(sessionId, QStringLiteral("code_verifier_ciphertext")).isNull());
        auto& sessions = m_gateway.service().oauthSessions();
        auto expired = sessions.expireAbandoned();
        QVERIFY(expired);
        QCOMPARE(*expired, 0); // still within its 10 minutes
        QVERIFY(m_gateway.service().database().exec(
            QStringLiteral("UPDATE oauth_sessions SET created_at = created_at - ? WHERE id = ?"),
            {11 * 60 * 1000, sessionId}));
        expired = sessions.expireAbandoned();
        QVERIFY(expired);
        QCOMPARE(*expired, 1);
        QCOMPARE(sessionValue(sessionId, QStringLiteral("status")).toString(), QStringLiteral("expired"));
        QVERIFY(sessionValue(sessionId, QStringLiteral("code_verifier_ciphertext")).isNull());
        QVERIFY(sessionValue(sessionId, QStringLiteral("state_hash")).isNull());
    }

    void aProbesRefusalAsksForOneRefreshThenJudgesTheKey()
    {
        const Account account = connectAccount(3600);
        disconnect(&m_oauth, &FakeAuthorizationServer::accessTokenIssued, &m_openai, &FakeOpenAI::addApiKey);
        m_openai.removeApiKey(account.accessToken); // the provider refuses every token of this account now
        const auto probe = [&] {
            return m_admin->post(QStringLiteral("/api/health/%1/probe").arg(account.keyId)).status;
        };
        const auto health = [&] {
            for (const QJsonValue& key :
                 m_admin->get(QStringLiteral("/api/health")).json()[QLatin1String("keys")].toArray()) {
                if (key[QLatin1String("id")].toInteger() == account.keyId)
                    return key.toObject();
            }
            return QJsonObject();
        };
        // This account's refreshes, whatever other accounts do meanwhile.
        const auto refreshedAt = [&] {
            return sessionValue(account.sessionId, QStringLiteral("last_refresh_at")).toLongLong();
        };
        const qint64 connectedAt = refreshedAt();
        QVERIFY(probe() < 300);
        QTRY_VERIFY(refreshedAt() > connectedAt); // the first refusal asks for a refresh
        const qint64 firstRefresh = refreshedAt();
        QTRY_VERIFY(!health()[QLatin1String("lastProbe")].isNull());
        QCOMPARE(health()[QLatin1String("status")].toString(), QStringLiteral("healthy"));
        QVERIFY(probe() < 300);
        // Refused again soon after: the key is judged, and the token endpoint is not asked again.
        QTRY_COMPARE(health()[QLatin1String("status")].toString(), QStringLiteral("invalid"));
        QCOMPARE(refreshedAt(), firstRefresh);
        connect(&m_oauth, &FakeAuthorizationServer::accessTokenIssued, &m_openai, &FakeOpenAI::addApiKey);
        QCOMPARE(m_admin->post(QStringLiteral("/api/oauth/sessions/%1/revoke").arg(account.sessionId)).status, 200);
    }

    void aRefreshRefusedForGoodMarksTheKeyInvalid()
    {
        const Account account = connectAccount(3600);
        m_oauth.revokeRefreshTokens(); // the user disconnected the app at the provider
        m_openai.removeApiKey(account.accessToken);
        QCOMPARE(chat(account.gatewayKey), 502);
        QCOMPARE(m_oauth.lastTokenError(), QStringLiteral("invalid_grant"));
        QCOMPARE(sessionValue(account.sessionId, QStringLiteral("status")).toString(), QStringLiteral("error"));

        const auto health = m_admin->get(QStringLiteral("/api/health"));
        QCOMPARE(health.status, 200);
        QJsonObject key;
        for (const QJsonValue& item : health.json()[QLatin1String("keys")].toArray()) {
            if (item[QLatin1String("id")].toInteger() == account.keyId)
                key = item.toObject();
        }
        QVERIFY2(!key.isEmpty(), health.body.constData());
        QCOMPARE(key[QLatin1String("status")].toString(), QStringLiteral("invalid"));
        QVERIFY2(key[QLatin1String("invalidReason")].toString().contains(QLatin1String("invalid_grant")),
                 health.body.constData());
        auto audited = m_gateway.service().database().exec(
            QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'oauth.refresh_failed' AND object_id = ?"),
            {QString::number(account.keyId)});
        QVERIFY(audited && audited->next());
        QCOMPARE(audited->value(0).toInt(), 1);
        QCOMPARE(chat(account.gatewayKey), 503); // no usable key left in its pool
    }
};

GATEHOUSE_TEST_MAIN(TestOAuthAccounts)
#include "TestOAuthAccounts.moc"
