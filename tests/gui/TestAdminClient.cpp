#include "FakeHttpServer.h"
#include "GuiTestMain.h"

#include "client/AdminClient.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

// The desktop app's client keeps a session with the gateway that issued it: its tokens are never sent to another
// gateway, and a late answer from the previous gateway neither refreshes nor ends the session with the new one.
// The two "gateways" are fakes that answer like the admin API and record what they receive.
class TestAdminClient : public QObject
{
    Q_OBJECT

private:
    FakeHttpServer m_first;
    FakeHttpServer m_second;

    // A gateway whose sign-in hands out tokens named after it; /api/slow answers 401 after a while.
    static FakeHttpServer::Handler gateway(const QByteArray& name)
    {
        return [name](const FakeHttpRequest& request) {
            if (request.path == QLatin1String("/api/auth/login") || request.path == QLatin1String("/api/auth/refresh"))
                return FakeHttpReply::json(
                    200, QJsonDocument(
                             QJsonObject{{QStringLiteral("accessToken"), QString::fromLatin1("access-" + name)},
                                         {QStringLiteral("refreshToken"), QString::fromLatin1("refresh-" + name)}}));
            if (request.path == QLatin1String("/api/slow")) {
                FakeHttpReply reply = FakeHttpReply::json(
                    401,
                    QJsonDocument(QJsonObject{{QStringLiteral("error"),
                                               QJsonObject{{QStringLiteral("code"), QStringLiteral("unauthenticated")},
                                                           {QStringLiteral("message"), QStringLiteral("expired")}}}}));
                reply.firstByteDelayMs = 300;
                return reply;
            }
            return FakeHttpReply::json(200, QJsonDocument(QJsonObject{{QStringLiteral("ok"), true}}));
        };
    }

    static ApiResult wait(const std::function<void(ApiCallback)>& call)
    {
        std::optional<ApiResult> answer;
        call([&answer](const ApiResult& result) { answer = result; });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10'000))
            return {};
        return *answer;
    }

    static int requestsTo(const FakeHttpServer& server, const QString& path)
    {
        return int(std::count_if(server.requests().begin(), server.requests().end(),
                                 [&path](const FakeHttpRequest& request) { return request.path == path; }));
    }

private slots:
    void initTestCase()
    {
        m_first.setHandler(gateway("first"));
        m_second.setHandler(gateway("second"));
        QVERIFY(m_first.listen());
        QVERIFY(m_second.listen());
    }

    void init()
    {
        m_first.clearRequests();
        m_second.clearRequests();
    }

    void aSessionStaysWithItsGateway()
    {
        AdminClient client;
        client.setBaseUrl(m_first.url());
        QVERIFY(wait([&](ApiCallback done) { client.signIn("admin", "password", this, done); }).ok());
        QVERIFY(wait([&](ApiCallback done) { client.get(QStringLiteral("/api/auth/me"), {}, this, done); }).ok());
        QCOMPARE(m_first.requests().last().header("authorization"), QByteArray("Bearer access-first"));

        client.setBaseUrl(m_second.url());
        QVERIFY(wait([&](ApiCallback done) { client.get(QStringLiteral("/api/auth/me"), {}, this, done); }).ok());
        QCOMPARE(m_second.requests().size(), 1);
        QVERIFY(m_second.requests().last().header("authorization").isEmpty());
    }

    void aLateRefusalFromThePreviousGatewayLeavesTheNewSession()
    {
        AdminClient client;
        QSignalSpy signedOut(&client, &AdminClient::signedOut);
        QSignalSpy tokens(&client, &AdminClient::refreshTokenChanged);
        client.setBaseUrl(m_first.url());
        QVERIFY(wait([&](ApiCallback done) { client.signIn("admin", "password", this, done); }).ok());
        std::optional<ApiResult> late;
        client.get(QStringLiteral("/api/slow"), {}, this, [&late](const ApiResult& result) { late = result; });
        QTRY_COMPARE(requestsTo(m_first, QStringLiteral("/api/slow")), 1);

        client.setBaseUrl(m_second.url());
        QVERIFY(wait([&](ApiCallback done) { client.signIn("admin", "password", this, done); }).ok());
        QTRY_VERIFY(late.has_value());
        QCOMPARE(late->status, 401); // passed on as it came
        QCOMPARE(requestsTo(m_first, QStringLiteral("/api/auth/refresh")), 0);
        QCOMPARE(requestsTo(m_second, QStringLiteral("/api/auth/refresh")), 0);
        QCOMPARE(signedOut.count(), 0);
        QCOMPARE(tokens.last().first().toString(), QStringLiteral("refresh-second"));
        QVERIFY(wait([&](ApiCallback done) { client.get(QStringLiteral("/api/auth/me"), {}, this, done); }).ok());
        QCOMPARE(m_second.requests().last().header("authorization"), QByteArray("Bearer access-second"));
    }

    void takingASessionMovesToItsGateway()
    {
        AdminClient client;
        client.setBaseUrl(m_first.url());
        QVERIFY(wait([&](ApiCallback done) { client.signIn("admin", "password", this, done); }).ok());
        AdminClient attempt;
        attempt.setBaseUrl(m_second.url());
        QVERIFY(wait([&](ApiCallback done) { attempt.signIn("admin", "password", this, done); }).ok());
        QSignalSpy tokens(&client, &AdminClient::refreshTokenChanged);
        client.takeSession(attempt);
        QCOMPARE(client.baseUrl(), m_second.url());
        QCOMPARE(tokens.last().first().toString(), QStringLiteral("refresh-second"));
        QVERIFY(wait([&](ApiCallback done) { client.get(QStringLiteral("/api/auth/me"), {}, this, done); }).ok());
        QCOMPARE(m_second.requests().last().header("authorization"), QByteArray("Bearer access-second"));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestAdminClient)
#include "TestAdminClient.moc"
