#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include "crypto/SecretBox.h"
#include "service/AuthService.h"
#include "storage/SettingsStore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QTest>

// Access and refresh tokens end to end over HTTP: forged and expired JWTs, refresh rotation and reuse detection,
// logout, password changes, disabled and deleted users. Time is moved through AuthService::setClock.
class TestAdminAuthTokens : public QObject
{
    Q_OBJECT

private:
    using Header = QPair<QByteArray, QByteArray>;
    static constexpr const char* kUserPassword = "user-password-for-tests";

    GatewayHarness m_gateway;
    HttpTestClient m_client;
    qint64 m_nowMs = 0;
    Header m_adminHeader;
    qint64 m_adminLoginMs = 0;

    static QByteArray b64(const QByteArray& bytes)
    {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    }

    static QByteArray json(const QJsonObject& object) { return QJsonDocument(object).toJson(QJsonDocument::Compact); }

    QByteArray jwtSecret()
    {
        auto sealed = SettingsStore(m_gateway.service().database()).value(QStringLiteral("jwt_secret"));
        if (!sealed || !sealed->has_value())
            return {};
        auto secret = m_gateway.service().secrets().open(sealed->value().toLatin1(), "setting:jwt_secret");
        return secret ? secret->view().toByteArray() : QByteArray();
    }

    // A token built by hand: header and claims as given, signed with HMAC (SHA-256 unless told) over `secret`.
    static QByteArray forge(const QJsonObject& header, const QJsonObject& claims, const QByteArray& secret,
                            QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha256)
    {
        const QByteArray input = b64(json(header)) + '.' + b64(json(claims));
        return input + '.' + b64(QMessageAuthenticationCode::hash(input, secret, algorithm));
    }

    QJsonObject claimsFor(qint64 userId, qint64 issuedAtSeconds, qint64 expiresAtSeconds) const
    {
        return {{QStringLiteral("sub"), QString::number(userId)},
                {QStringLiteral("role"), QStringLiteral("super_admin")},
                {QStringLiteral("iat"), issuedAtSeconds},
                {QStringLiteral("exp"), expiresAtSeconds},
                {QStringLiteral("jti"), QStringLiteral("forged")}};
    }

    // A second ahead, so hand-made tokens are never older than the user's password (iat is whole seconds here).
    qint64 nowSeconds() const { return m_nowMs / 1000 + 1; }

    // The tests move the clock past the life of earlier tokens: log in again when the last admin token got old.
    Header admin()
    {
        if (m_adminHeader.second.isEmpty() || m_nowMs - m_adminLoginMs > 60'000) {
            m_adminHeader = m_gateway.login();
            m_adminLoginMs = m_nowMs;
        }
        return m_adminHeader;
    }

    HttpTestClient::Response me(const QByteArray& token)
    {
        return m_client.get(m_gateway.adminUrl(QStringLiteral("/api/auth/me")), {{"Authorization", "Bearer " + token}});
    }

    HttpTestClient::Response post(const QString& path, const QJsonObject& body, const QList<Header>& headers = {})
    {
        return m_client.post(m_gateway.adminUrl(path), json(body), headers);
    }

    HttpTestClient::Response login(const QString& username, const QString& password)
    {
        return post(QStringLiteral("/api/auth/login"),
                    {{QStringLiteral("username"), username}, {QStringLiteral("password"), password}});
    }

    HttpTestClient::Response refresh(const QString& refreshToken)
    {
        return post(QStringLiteral("/api/auth/refresh"), {{QStringLiteral("refreshToken"), refreshToken}});
    }

    static QByteArray access(const HttpTestClient::Response& session)
    {
        return session.json()[QLatin1String("accessToken")].toString().toLatin1();
    }

    static QString refreshTokenOf(const HttpTestClient::Response& session)
    {
        return session.json()[QLatin1String("refreshToken")].toString();
    }

    static Header bearer(const QByteArray& token) { return {"Authorization", "Bearer " + token}; }

    qint64 createUser(const QString& username)
    {
        const auto created = post(QStringLiteral("/api/users"),
                                  {{QStringLiteral("username"), username},
                                   {QStringLiteral("password"), QLatin1String(kUserPassword)},
                                   {QStringLiteral("role"), QStringLiteral("user")}},
                                  {admin()});
        if (created.status != 201)
            qWarning("create %s: %d %s", qPrintable(username), created.status, created.body.constData());
        return created.json()[QLatin1String("id")].toInteger();
    }

    int auditCount(const QString& action, const QString& objectId)
    {
        const auto entries = m_client.get(
            m_gateway.adminUrl(QStringLiteral("/api/audit?action=%1&objectId=%2").arg(action, objectId)), {admin()});
        return entries.json()[QLatin1String("total")].toInt();
    }

    static void verifyRefused(const HttpTestClient::Response& response)
    {
        QVERIFY2(response.status == 401,
                 qPrintable(QStringLiteral("%1 %2").arg(response.status).arg(response.networkError)));
        QCOMPARE(response.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("unauthenticated"));
    }

    // Refused on a route that needs an access token: also the Bearer challenge.
    static void verifyUnauthenticated(const HttpTestClient::Response& response)
    {
        verifyRefused(response);
        QCOMPARE(response.header("WWW-Authenticate"), QByteArray("Bearer"));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_gateway.start());
        m_nowMs = QDateTime::currentMSecsSinceEpoch();
        m_gateway.service().auth().setClock([this] { return m_nowMs; });
        QVERIFY(!jwtSecret().isEmpty());
    }

    void handForgedTokenWithTheRealSecretIsAccepted()
    {
        // The control for the rejections below: a hand-made token passes when nothing is wrong with it.
        const QByteArray token =
            forge({{QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("typ"), QStringLiteral("JWT")}},
                  claimsFor(1, nowSeconds(), nowSeconds() + 60), jwtSecret());
        QCOMPARE(me(token).status, 200);
    }

    void forgedTokensAreRejected_data()
    {
        QTest::addColumn<QByteArray>("token");
        const QByteArray secret = jwtSecret();
        const QJsonObject hs256{{QStringLiteral("alg"), QStringLiteral("HS256")},
                                {QStringLiteral("typ"), QStringLiteral("JWT")}};
        const QJsonObject valid = claimsFor(1, nowSeconds(), nowSeconds() + 600);
        const QByteArray noneInput =
            b64(json({{QStringLiteral("alg"), QStringLiteral("none")}})) + '.' + b64(json(valid));
        QTest::newRow("alg none, no signature") << noneInput + '.';
        QTest::newRow("alg none, with signature") << noneInput + '.' + b64("x");
        QTest::newRow("alg HS512") << forge({{QStringLiteral("alg"), QStringLiteral("HS512")}}, valid, secret,
                                            QCryptographicHash::Sha512);
        QTest::newRow("alg RS256 header, HMAC signature")
            << forge({{QStringLiteral("alg"), QStringLiteral("RS256")}}, valid, secret);
        QTest::newRow("bad signature") << forge(hs256, valid, QByteArray(32, 'k'));
        const QByteArray real = forge(hs256, valid, secret);
        QTest::newRow("payload swapped") << b64(json(hs256)) + '.' +
                                                b64(json(claimsFor(2, nowSeconds(), nowSeconds() + 600))) + '.' +
                                                real.split('.').at(2);
        QTest::newRow("expired") << forge(hs256, claimsFor(1, nowSeconds() - 7200, nowSeconds() - 3600), secret);
        QJsonObject notYet = valid;
        notYet.insert(QStringLiteral("nbf"), nowSeconds() + 3600);
        QTest::newRow("nbf in the future") << forge(hs256, notYet, secret);
        QJsonObject noExp = valid;
        noExp.remove(QStringLiteral("exp"));
        QTest::newRow("no exp") << forge(hs256, noExp, secret);
        QTest::newRow("unknown user") << forge(hs256, claimsFor(999999, nowSeconds(), nowSeconds() + 600), secret);
    }

    void forgedTokensAreRejected()
    {
        QFETCH(QByteArray, token);
        verifyUnauthenticated(me(token));
    }

    void accessTokenExpiresAndRefreshGivesANewOne()
    {
        const auto session = login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword));
        QCOMPARE(session.status, 200);
        QCOMPARE(session.json()[QLatin1String("expiresIn")].toInt(), AuthService::kAccessTokenSeconds);
        QCOMPARE(me(access(session)).status, 200);
        m_nowMs += (AuthService::kAccessTokenSeconds + 60) * 1000LL;
        verifyUnauthenticated(me(access(session)));

        const auto renewed = refresh(refreshTokenOf(session));
        QCOMPARE(renewed.status, 200);
        QCOMPARE(me(access(renewed)).status, 200);
    }

    void refreshRotatesAndReuseEndsEverySession()
    {
        createUser(QStringLiteral("rotating"));
        const auto first = login(QStringLiteral("rotating"), QLatin1String(kUserPassword));
        QCOMPARE(first.status, 200);
        m_nowMs += 1000;
        const auto second = refresh(refreshTokenOf(first));
        QCOMPARE(second.status, 200);
        QVERIFY(refreshTokenOf(second) != refreshTokenOf(first));
        QVERIFY(access(second) != access(first));
        QCOMPARE(me(access(second)).status, 200);
        const QString userId = QString::number(second.json()[QLatin1String("user")][QLatin1String("id")].toInteger());

        // The first token was rotated: presenting it again means someone holds a copy.
        m_nowMs += 1000;
        verifyRefused(refresh(refreshTokenOf(first)));
        verifyRefused(refresh(refreshTokenOf(second)));
        verifyUnauthenticated(me(access(second)));
        QCOMPARE(auditCount(QStringLiteral("auth.refresh_reuse"), userId), 1);

        // Logging in again works.
        m_nowMs += 1000;
        const auto again = login(QStringLiteral("rotating"), QLatin1String(kUserPassword));
        QCOMPARE(again.status, 200);
        QCOMPARE(me(access(again)).status, 200);
    }

    void refreshTokenExpires()
    {
        const auto session = login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword));
        m_nowMs += AuthService::kRefreshTokenMs + 1000;
        verifyRefused(refresh(refreshTokenOf(session)));
    }

    void refreshWithGarbageIsRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown token") << QByteArray("{\"refreshToken\":\"abc\"}") << 401;
        QTest::newRow("empty token") << QByteArray("{\"refreshToken\":\"\"}") << 400;
        QTest::newRow("number") << QByteArray("{\"refreshToken\":5}") << 400;
        QTest::newRow("extra field") << QByteArray("{\"refreshToken\":\"abc\",\"user\":1}") << 400;
        QTest::newRow("broken json") << QByteArray("{\"refreshToken\":") << 400;
    }

    void refreshWithGarbageIsRefused()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        const auto response = m_client.post(m_gateway.adminUrl(QStringLiteral("/api/auth/refresh")), body);
        QCOMPARE(response.status, status);
        QVERIFY(!response.json()[QLatin1String("error")][QLatin1String("message")].toString().isEmpty());
    }

    void logoutRevokesRefreshAndAccessToken()
    {
        const auto session = login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword));
        const auto other = login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword));
        QCOMPARE(me(access(session)).status, 200);

        const auto out = post(QStringLiteral("/api/auth/logout"),
                              {{QStringLiteral("refreshToken"), refreshTokenOf(session)}}, {bearer(access(session))});
        QCOMPARE(out.status, 204);
        verifyUnauthenticated(me(access(session)));
        verifyRefused(refresh(refreshTokenOf(session)));
        // Another session of the same user goes on.
        const auto stillIn = me(access(other));
        QVERIFY2(stillIn.status == 200, qPrintable(stillIn.networkError));
        QCOMPARE(refresh(refreshTokenOf(other)).status, 200);
    }

    void logoutNeedsTheCallersOwnRefreshToken()
    {
        createUser(QStringLiteral("victim"));
        const auto victim = login(QStringLiteral("victim"), QLatin1String(kUserPassword));
        const auto admin = login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword));
        const auto out = post(QStringLiteral("/api/auth/logout"),
                              {{QStringLiteral("refreshToken"), refreshTokenOf(victim)}}, {bearer(access(admin))});
        QCOMPARE(out.status, 400);
        // Nothing changed: both sessions still work.
        QCOMPARE(me(access(admin)).status, 200);
        QCOMPARE(refresh(refreshTokenOf(victim)).status, 200);
        verifyUnauthenticated(
            post(QStringLiteral("/api/auth/logout"), {{QStringLiteral("refreshToken"), refreshTokenOf(admin)}}));
    }

    void passwordChangeEndsOlderTokens()
    {
        createUser(QStringLiteral("changer"));
        const auto before = login(QStringLiteral("changer"), QLatin1String(kUserPassword));
        QCOMPARE(before.status, 200);
        m_nowMs += 1000;

        const auto wrong = post(QStringLiteral("/api/auth/password"),
                                {{QStringLiteral("currentPassword"), QStringLiteral("not my password")},
                                 {QStringLiteral("newPassword"), QStringLiteral("a-new-password-2")}},
                                {bearer(access(before))});
        QCOMPARE(wrong.status, 403);
        const auto tooShort = post(QStringLiteral("/api/auth/password"),
                                   {{QStringLiteral("currentPassword"), QLatin1String(kUserPassword)},
                                    {QStringLiteral("newPassword"), QStringLiteral("short")}},
                                   {bearer(access(before))});
        QCOMPARE(tooShort.status, 400);
        QVERIFY(tooShort.json()[QLatin1String("error")][QLatin1String("message")].toString().contains(
            QLatin1String("newPassword")));
        QCOMPARE(me(access(before)).status, 200); // neither changed anything

        const auto changed = post(QStringLiteral("/api/auth/password"),
                                  {{QStringLiteral("currentPassword"), QLatin1String(kUserPassword)},
                                   {QStringLiteral("newPassword"), QStringLiteral("a-new-password-2")}},
                                  {bearer(access(before))});
        QCOMPARE(changed.status, 200);
        verifyUnauthenticated(me(access(before)));
        verifyRefused(refresh(refreshTokenOf(before)));
        QCOMPARE(me(access(changed)).status, 200);
        QCOMPARE(refresh(refreshTokenOf(changed)).status, 200);
        verifyRefused(login(QStringLiteral("changer"), QLatin1String(kUserPassword)));
        QCOMPARE(login(QStringLiteral("changer"), QStringLiteral("a-new-password-2")).status, 200);
    }

    void handForgedTokenOlderThanThePasswordIsRejected()
    {
        const qint64 id = createUser(QStringLiteral("reset-me"));
        // Users get their first password at the real time of creation, whatever the auth clock says.
        const qint64 beforeCreation = QDateTime::currentSecsSinceEpoch() - 60;
        const QByteArray token = forge({{QStringLiteral("alg"), QStringLiteral("HS256")}},
                                       claimsFor(id, beforeCreation, nowSeconds() + 600), jwtSecret());
        verifyUnauthenticated(me(token));
    }

    void adminResetEndsTheUsersSessions()
    {
        const qint64 id = createUser(QStringLiteral("forgetful"));
        const auto session = login(QStringLiteral("forgetful"), QLatin1String(kUserPassword));
        m_nowMs += 1000;
        const auto reset = post(QStringLiteral("/api/users/%1/password").arg(id),
                                {{QStringLiteral("password"), QStringLiteral("set-by-the-admin-1")}}, {admin()});
        QCOMPARE(reset.status, 204);
        verifyUnauthenticated(me(access(session)));
        verifyRefused(refresh(refreshTokenOf(session)));
        QCOMPARE(login(QStringLiteral("forgetful"), QStringLiteral("set-by-the-admin-1")).status, 200);
    }

    void disabledUsersTokensStopWorking()
    {
        const qint64 id = createUser(QStringLiteral("to-disable"));
        const auto session = login(QStringLiteral("to-disable"), QLatin1String(kUserPassword));
        const QByteArray forged = forge({{QStringLiteral("alg"), QStringLiteral("HS256")}},
                                        claimsFor(id, nowSeconds(), nowSeconds() + 600), jwtSecret());
        m_nowMs += 2000;
        QCOMPARE(me(forged).status, 200);
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto disabled =
            m_client.send("PATCH", m_gateway.adminUrl(QStringLiteral("/api/users/%1").arg(id)),
                          json({{QStringLiteral("enabled"), false}}), {admin(), {"Content-Type", "application/json"}});
        QCOMPARE(disabled.status, 200);
        QCOMPARE(routing.count(), 1);
        verifyUnauthenticated(me(access(session)));
        verifyUnauthenticated(me(forged));
        verifyRefused(refresh(refreshTokenOf(session)));
        verifyRefused(login(QStringLiteral("to-disable"), QLatin1String(kUserPassword)));
    }

    void deletedUsersTokensStopWorking()
    {
        const qint64 id = createUser(QStringLiteral("to-delete"));
        const auto session = login(QStringLiteral("to-delete"), QLatin1String(kUserPassword));
        const QByteArray forged = forge({{QStringLiteral("alg"), QStringLiteral("HS256")}},
                                        claimsFor(id, nowSeconds(), nowSeconds() + 600), jwtSecret());
        m_nowMs += 2000;
        QCOMPARE(me(forged).status, 200);
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto deleted =
            m_client.send("DELETE", m_gateway.adminUrl(QStringLiteral("/api/users/%1").arg(id)), {}, {admin()});
        QCOMPARE(deleted.status, 204);
        QCOMPARE(routing.count(), 1);
        verifyUnauthenticated(me(access(session)));
        verifyUnauthenticated(me(forged));
        verifyRefused(refresh(refreshTokenOf(session)));
        verifyRefused(login(QStringLiteral("to-delete"), QLatin1String(kUserPassword)));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminAuthTokens)
#include "TestAdminAuthTokens.moc"
