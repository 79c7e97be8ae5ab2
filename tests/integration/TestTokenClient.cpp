#include "FakeHttpServer.h"
#include "TestRegistry.h"

#include "oauth/TokenClient.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <optional>

// TokenClient against a token endpoint that answers as scripted: what a grant holds, how each kind of bad answer is
// told apart (the server's refusal, or no usable answer), and what the request looks like on the wire.
class TestTokenClient : public QObject
{
    Q_OBJECT

private:
    FakeHttpServer m_server;
    FakeHttpReply m_reply;

    Result<TokenGrant> request(const TokenClient::Form& form = {
                                   {QStringLiteral("grant_type"), QStringLiteral("authorization_code")}})
    {
        TokenClient client;
        std::optional<Result<TokenGrant>> answer;
        QUrl url = m_server.url();
        url.setPath(QStringLiteral("/token"));
        client.request(url, form, [&answer](Result<TokenGrant> grant) { answer = std::move(grant); });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
            return Error::make(QStringLiteral("test_timeout"), QStringLiteral("no answer"));
        return *answer;
    }

    static FakeHttpReply json(int status, const QJsonObject& object)
    {
        return FakeHttpReply::json(status, QJsonDocument(object));
    }

private slots:
    void initTestCase()
    {
        m_server.setHandler([this](const FakeHttpRequest&) { return m_reply; });
        QVERIFY(m_server.listen());
    }

    void aGrantCarriesTheTokens()
    {
        m_reply = json(200, {{QStringLiteral("access_token"), QStringLiteral("at-1")},
                             {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                             {QStringLiteral("expires_in"), 3599},
                             {QStringLiteral("refresh_token"), QStringLiteral("rt-1")},
                             {QStringLiteral("scope"), QStringLiteral("a b")}});
        const auto grant = request({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                    {QStringLiteral("code"), QStringLiteral("a code/with+odd=chars&more")},
                                    {QStringLiteral("redirect_uri"), QStringLiteral("http://localhost:1455/cb")}});
        QVERIFY2(grant, grant ? "" : qPrintable(grant.error().message));
        QCOMPARE(grant->accessToken, QStringLiteral("at-1"));
        QCOMPARE(grant->refreshToken, QStringLiteral("rt-1"));
        QCOMPARE(grant->expiresInSeconds, 3599);
        QCOMPARE(grant->scope, QStringLiteral("a b"));

        const FakeHttpRequest& sent = m_server.requests().last();
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.header("content-type"), QByteArray("application/x-www-form-urlencoded"));
        QVERIFY(!sent.hasHeader("cookie"));
        const QUrlQuery form(QString::fromLatin1(sent.body));
        QCOMPARE(form.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded),
                 QStringLiteral("a code/with+odd=chars&more"));
        QCOMPARE(form.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                 QStringLiteral("http://localhost:1455/cb"));
    }

    void expiresInAsAStringIsRead()
    {
        m_reply = json(200, {{QStringLiteral("access_token"), QStringLiteral("at")},
                             {QStringLiteral("expires_in"), QStringLiteral("120")}});
        const auto grant = request();
        QVERIFY(grant);
        QCOMPARE(grant->expiresInSeconds, 120);
        QCOMPARE(grant->refreshToken, QString());
    }

    void badAnswersAreToldApart_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("RFC 6749 error") << 400
                                        << QByteArray(R"({"error":"invalid_grant","error_description":"code used"})")
                                        << "oauth_rejected"
                                        << "invalid_grant: code used";
        QTest::newRow("client authentication") << 401 << QByteArray(R"({"error":"invalid_client"})") << "oauth_rejected"
                                               << "invalid_client";
        QTest::newRow("server error") << 500 << QByteArray(R"({"error":"server_error"})") << "oauth_unavailable"
                                      << "answered HTTP 500";
        QTest::newRow("no access token") << 200 << QByteArray(R"({"token_type":"Bearer"})") << "oauth_unavailable"
                                         << "no access_token";
        QTest::newRow("not JSON") << 200 << QByteArray("<html>sign in</html>") << "oauth_unavailable"
                                  << "no access_token";
        QTest::newRow("a 4xx without an error member") << 403 << QByteArray("forbidden") << "oauth_unavailable"
                                                       << "answered HTTP 403";
        QTest::newRow("a line break in the access token")
            << 200 << QByteArray(R"({"access_token":"at\r\nX-Injected: 1","token_type":"Bearer"})")
            << "oauth_unavailable"
            << "characters a header cannot carry";
        QTest::newRow("a space in the access token")
            << 200 << QByteArray(R"({"access_token":"at 1"})") << "oauth_unavailable"
            << "characters a header cannot carry";
        QTest::newRow("a line break in the description")
            << 400 << QByteArray(R"({"error":"invalid_grant","error_description":"a\r\nInjected: header"})")
            << "oauth_rejected"
            << "invalid_grant: a Injected: header";
    }

    void badAnswersAreToldApart()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, message);
        m_reply = FakeHttpReply();
        m_reply.status = status;
        m_reply.addHeader("Content-Type", "application/json");
        m_reply.pieces = {body};
        const auto grant = request();
        QVERIFY(!grant);
        QCOMPARE(grant.error().code, code);
        QVERIFY2(grant.error().message.contains(message), qPrintable(grant.error().message));
    }

    void aLifetimeBeyondTenYearsIsTakenAsTen()
    {
        m_reply =
            json(200, {{QStringLiteral("access_token"), QStringLiteral("at")}, {QStringLiteral("expires_in"), 1e300}});
        const auto grant = request();
        QVERIFY(grant);
        QCOMPARE(grant->expiresInSeconds, TokenClient::kMaxLifetimeSeconds);
        m_reply =
            json(200, {{QStringLiteral("access_token"), QStringLiteral("at")}, {QStringLiteral("expires_in"), -5}});
        const auto negative = request();
        QVERIFY(negative);
        QCOMPARE(negative->expiresInSeconds, 0);
    }

    void onlyRefusalsOfTheGrantOrClientAreFinal_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("final");
        QTest::newRow("invalid_grant") << "oauth_rejected"
                                       << "invalid_grant: revoked" << true;
        QTest::newRow("invalid_client") << "oauth_rejected"
                                        << "invalid_client" << true;
        QTest::newRow("unauthorized_client") << "oauth_rejected"
                                             << "unauthorized_client: no" << true;
        QTest::newRow("a rate limit") << "oauth_rejected"
                                      << "rate_limit_exceeded: slow down" << false;
        QTest::newRow("invalid_request") << "oauth_rejected"
                                         << "invalid_request: bad parameter" << false;
        QTest::newRow("unreachable") << "oauth_unavailable"
                                     << "invalid_grant" << false;
    }

    void onlyRefusalsOfTheGrantOrClientAreFinal()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(bool, final);
        QCOMPARE(TokenClient::isFinal(Error::make(code, message)), final);
    }

    void aRedirectIsNotFollowed()
    {
        m_reply = FakeHttpReply();
        m_reply.status = 302;
        m_reply.addHeader("Location", m_server.url().toString().toLatin1() + "/elsewhere");
        const qsizetype before = m_server.requests().size();
        const auto grant = request();
        QVERIFY(!grant);
        QVERIFY2(grant.error().message.contains(QLatin1String("HTTP 302")), qPrintable(grant.error().message));
        QCOMPARE(m_server.requests().size(), before + 1);
    }

    void aHugeAnswerIsRefused()
    {
        m_reply = json(200, {{QStringLiteral("access_token"), QString(TokenClient::kMaxAnswerBytes, u'a')}});
        const auto grant = request();
        QVERIFY(!grant);
        QCOMPARE(grant.error().code, QStringLiteral("oauth_unavailable"));
        QVERIFY2(grant.error().message.contains(QLatin1String("larger than")), qPrintable(grant.error().message));
    }

    void aRevocationSucceedsOnAny200AndIsRefusedOnAnError()
    {
        QUrl url = m_server.url();
        url.setPath(QStringLiteral("/revoke"));
        TokenClient client;
        std::optional<Result<void>> answer;
        const auto revoke = [&] {
            answer.reset();
            client.revoke(url, {{QStringLiteral("token"), QStringLiteral("rt")}},
                          [&answer](Result<void> done) { answer = std::move(done); });
            return QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000);
        };
        m_reply = FakeHttpReply();
        m_reply.status = 200; // RFC 7009: an empty 200
        QVERIFY(revoke());
        QVERIFY(*answer);
        m_reply = json(400, {{QStringLiteral("error"), QStringLiteral("unsupported_token_type")}});
        QVERIFY(revoke());
        QVERIFY(!*answer);
        QCOMPARE(answer->error().code, QStringLiteral("oauth_rejected"));
    }

    void anEndpointThatIsDownIsUnavailable()
    {
        m_server.refuseConnections();
        const auto grant = request();
        QVERIFY(m_server.acceptConnections());
        QVERIFY(!grant);
        QCOMPARE(grant.error().code, QStringLiteral("oauth_unavailable"));
        QVERIFY2(grant.error().message.contains(QLatin1String("could not be reached")),
                 qPrintable(grant.error().message));
    }
};

GATEHOUSE_TEST_MAIN(TestTokenClient)
#include "TestTokenClient.moc"
