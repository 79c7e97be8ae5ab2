#include "FakeHttpServer.h"
#include "GuiTestMain.h"
#include "ScriptedUpstream.h"
#include "TestCertificates.h"

#include "app/ConnectDialog.h"
#include "client/AdminClient.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTest>

// The desktop app's client keeps a session with the gateway that issued it: its tokens are never sent to another
// gateway, and a late answer from the previous gateway neither refreshes nor ends the session with the new one.
// Over TLS it trusts the system's store, or the one certificate the user pinned; the Connect dialog shows an
// untrusted certificate's fingerprint and asks before plain http to another machine. The "gateways" are fakes that
// answer like the admin API and record what they receive.
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
            if (request.path == QLatin1String("/api/auth/refresh") && name == "flaky") {
                FakeHttpReply cut = FakeHttpReply::json(200, QJsonDocument(QJsonObject{}));
                cut.cutAfterPieces = 0; // the connection drops before an answer
                return cut;
            }
            if (request.path == QLatin1String("/api/auth/login") ||
                request.path == QLatin1String("/api/auth/refresh")) {
                FakeHttpReply tokens = FakeHttpReply::json(
                    200, QJsonDocument(
                             QJsonObject{{QStringLiteral("accessToken"), QString::fromLatin1("access-" + name)},
                                         {QStringLiteral("refreshToken"), QString::fromLatin1("refresh-" + name)}}));
                if (name == "slow")
                    tokens.firstByteDelayMs = 300;
                return tokens;
            }
            if (request.path == QLatin1String("/api/expired"))
                return FakeHttpReply::json(401, QJsonDocument(QJsonObject{}));
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

    TestCertificates m_certificates;
    std::unique_ptr<ScriptedUpstream> m_tls; // a gateway over TLS with a certificate from a CA nobody trusts

    QByteArray tlsCertificate() const
    {
        return QSslCertificate::fromPath(m_certificates.certificateFile())
            .value(0)
            .digest(QCryptographicHash::Sha256)
            .toHex();
    }

private slots:
    void initTestCase()
    {
        m_first.setHandler(gateway("first"));
        m_second.setHandler(gateway("second"));
        QVERIFY(m_first.listen());
        QVERIFY(m_second.listen());
        QVERIFY(m_certificates.isValid());
        m_tls = std::make_unique<ScriptedUpstream>(m_certificates.serverConfiguration());
        m_tls->setResponder(ScriptedUpstream::fixed(
            200, R"({"accessToken":"access-tls","refreshToken":"refresh-tls"})",
            HttpHeaders{{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}}));
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
        QCOMPARE(tokens.last().at(1).toString(), QStringLiteral("refresh-second"));
        QVERIFY(wait([&](ApiCallback done) { client.get(QStringLiteral("/api/auth/me"), {}, this, done); }).ok());
        QCOMPARE(m_second.requests().last().header("authorization"), QByteArray("Bearer access-second"));
    }

    // The gateway used up the previous refresh token when it answered: a late answer's token is still kept, under
    // the name of the session it belongs to, and never used for the session of the moment.
    void aLateSignInIsKeptForItsSession()
    {
        FakeHttpServer slow;
        slow.setHandler(gateway("slow"));
        QVERIFY(slow.listen());
        AdminClient client;
        QSignalSpy tokens(&client, &AdminClient::refreshTokenChanged);
        client.setBaseUrl(slow.url(), {}, QStringLiteral("session:slow"));
        client.resume(QStringLiteral("refresh-slow-before"), this, [](const ApiResult&) {});
        QTRY_COMPARE(requestsTo(slow, QStringLiteral("/api/auth/refresh")), 1);
        client.setBaseUrl(m_first.url(), {}, QStringLiteral("session:first"));
        QTRY_COMPARE(tokens.size(), 1);
        QCOMPARE(tokens.first().at(0).toString(), QStringLiteral("session:slow"));
        QCOMPARE(tokens.first().at(1).toString(), QStringLiteral("refresh-slow"));
        QVERIFY(wait([&](ApiCallback done) { client.get(QStringLiteral("/api/auth/me"), {}, this, done); }).ok());
        QVERIFY(m_first.requests().last().header("authorization").isEmpty());
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
        QCOMPARE(tokens.last().at(1).toString(), QStringLiteral("refresh-second"));
        QVERIFY(wait([&](ApiCallback done) { client.get(QStringLiteral("/api/auth/me"), {}, this, done); }).ok());
        QCOMPARE(m_second.requests().last().header("authorization"), QByteArray("Bearer access-second"));
    }

    // No connection: said once with the reason, asked again after 1 s, 2 s..., and said again when it answers.
    void anUnreachableGatewayIsAskedAgainUntilItAnswers()
    {
        FakeHttpServer gone;
        gone.setHandler(gateway("gone"));
        QVERIFY(gone.listen());
        gone.refuseConnections();
        AdminClient client;
        QSignalSpy reachability(&client, &AdminClient::reachabilityChanged);
        client.setBaseUrl(gone.url());
        const ApiResult refused =
            wait([&](ApiCallback done) { client.get(QStringLiteral("/api/users"), {}, this, done); });
        QCOMPARE(refused.errorCode, QStringLiteral("unreachable"));
        QCOMPARE(reachability.size(), 1);
        QCOMPARE(reachability.first().at(0).toBool(), false);
        QVERIFY(!reachability.first().at(1).toString().isEmpty());
        QCOMPARE(reachability.first().at(2).toInt(), 1);
        QVERIFY(reachability.wait(5'000)); // the second question failed too: next in 2 s
        QCOMPARE(reachability.last().at(2).toInt(), 2);

        QVERIFY(gone.acceptConnections());
        QVERIFY(reachability.wait(5'000));
        QCOMPARE(reachability.last().at(0).toBool(), true);
        QCOMPARE(gone.requests().last().path, QStringLiteral("/api/system/info"));
    }

    // A refresh cut off by the network is not a refusal: the session stays, to be refreshed when the gateway answers.
    void aNetworkBlipDuringARefreshKeepsTheSession()
    {
        FakeHttpServer flaky;
        flaky.setHandler(gateway("flaky"));
        QVERIFY(flaky.listen());
        AdminClient client;
        QSignalSpy signedOut(&client, &AdminClient::signedOut);
        QSignalSpy tokens(&client, &AdminClient::refreshTokenChanged);
        client.setBaseUrl(flaky.url());
        QVERIFY(wait([&](ApiCallback done) { client.signIn("admin", "password", this, done); }).ok());
        const ApiResult result =
            wait([&](ApiCallback done) { client.get(QStringLiteral("/api/expired"), {}, this, done); });
        QCOMPARE(requestsTo(flaky, QStringLiteral("/api/auth/refresh")), 1);
        QCOMPARE(result.errorCode, QStringLiteral("unreachable"));
        QCOMPARE(signedOut.count(), 0);
        QCOMPARE(tokens.last().at(1).toString(), QStringLiteral("refresh-flaky")); // never forgotten
    }

    void anUntrustedCertificateIsRefusedAndNamed()
    {
        AdminClient client;
        client.setBaseUrl(m_tls->url());
        const ApiResult result = wait([&](ApiCallback done) { client.signIn("admin", "password", this, done); });
        QCOMPARE(result.status, 0);
        QCOMPARE(result.errorCode, QStringLiteral("untrusted_certificate"));
        QCOMPARE(result.certificate, tlsCertificate());
        QVERIFY(m_tls->requests().isEmpty()); // nothing, the password least of all, went over that connection
    }

    void thePinnedCertificateIsTrustedAndNoOther()
    {
        AdminClient pinned;
        pinned.setBaseUrl(m_tls->url(), tlsCertificate());
        QVERIFY(wait([&](ApiCallback done) { pinned.signIn("admin", "password", this, done); }).ok());
        QCOMPARE(m_tls->requests().size(), 1);

        AdminClient wrongPin;
        const QByteArray ca =
            QSslCertificate::fromPath(m_certificates.caFile()).value(0).digest(QCryptographicHash::Sha256).toHex();
        wrongPin.setBaseUrl(m_tls->url(), ca);
        const ApiResult refused = wait([&](ApiCallback done) { wrongPin.signIn("admin", "password", this, done); });
        QCOMPARE(refused.errorCode, QStringLiteral("untrusted_certificate"));
        QCOMPARE(m_tls->requests().size(), 1);
    }

    // The dialog names the certificate; trusting it connects and the connection keeps the pin.
    void theConnectDialogOffersToTrustTheCertificate()
    {
        AdminClient client;
        ConnectDialog dialog(client);
        QSignalSpy connected(&dialog, &ConnectDialog::connected);
        dialog.findChild<QLineEdit*>(QStringLiteral("url"))->setText(m_tls->url().toString());
        dialog.findChild<QLineEdit*>(QStringLiteral("username"))->setText(QStringLiteral("admin"));
        dialog.findChild<QLineEdit*>(QStringLiteral("password"))->setText(QStringLiteral("password"));
        auto* trust = dialog.findChild<QCheckBox*>(QStringLiteral("trustCertificate"));
        dialog.accept();
        QTRY_VERIFY(trust->isVisibleTo(&dialog));
        const QByteArray digest = tlsCertificate();
        QVERIFY2(dialog.findChild<QLabel*>(QStringLiteral("dialogError"))
                     ->text()
                     .contains(QString::fromLatin1(digest.left(4)).toUpper().insert(2, QLatin1Char(':'))),
                 qPrintable(dialog.findChild<QLabel*>(QStringLiteral("dialogError"))->text()));
        QCOMPARE(connected.count(), 0);
        trust->setChecked(true);
        dialog.accept();
        QTRY_COMPARE(connected.count(), 1);
        QCOMPARE(connected.first().first().value<RemoteConnection>().pinnedCertificate, digest);
        QCOMPARE(client.baseUrl(), m_tls->url());
    }

    // Plain http to another machine: said plainly, and nothing is sent until the user agrees.
    void plainHttpElsewhereNeedsConsent()
    {
        AdminClient client;
        ConnectDialog dialog(client);
        dialog.findChild<QLineEdit*>(QStringLiteral("url"))->setText(QStringLiteral("http://192.0.2.1:9090"));
        dialog.findChild<QLineEdit*>(QStringLiteral("username"))->setText(QStringLiteral("admin"));
        dialog.findChild<QLineEdit*>(QStringLiteral("password"))->setText(QStringLiteral("password"));
        dialog.accept();
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("dialogError"))->text().contains(QLatin1String("in clear")));
        auto* inClear = dialog.findChild<QCheckBox*>(QStringLiteral("connectInClear"));
        QVERIFY(inClear->isVisibleTo(&dialog));
        QVERIFY(dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled()); // nothing sent

        // Loopback is this machine: no question asked.
        dialog.findChild<QLineEdit*>(QStringLiteral("url"))->setText(m_first.url().toString());
        emit dialog.findChild<QLineEdit*>(QStringLiteral("url"))->textEdited({});
        QSignalSpy connected(&dialog, &ConnectDialog::connected);
        dialog.accept();
        QTRY_COMPARE(connected.count(), 1);
        QVERIFY(!inClear->isVisibleTo(&dialog));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestAdminClient)
#include "TestAdminClient.moc"
