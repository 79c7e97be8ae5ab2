#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include "auth/AuthService.h"
#include "auth/LoginThrottle.h"

#include <QJsonObject>
#include <QTest>

// Brute-force limits on /api/auth/login, per user and per client address, over HTTP. The auth clock is moved
// instead of waiting.
class TestAdminLockout : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kPassword = "lockout-password-1";

    std::unique_ptr<GatewayHarness> m_gateway;
    HttpTestClient m_client;
    qint64 m_nowMs = 0;

    HttpTestClient::Response login(const QString& username, const QString& password)
    {
        return m_client.post(
            m_gateway->adminUrl(QStringLiteral("/api/auth/login")),
            QJsonDocument(QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}})
                .toJson());
    }

    int auditCount(const QString& query)
    {
        return m_client.get(m_gateway->adminUrl(QStringLiteral("/api/audit?") + query), {m_gateway->login()})
            .json()[QLatin1String("total")]
            .toInt();
    }

    static void verifyLocked(const HttpTestClient::Response& response)
    {
        QCOMPARE(response.status, 429);
        QCOMPARE(response.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("too_many_requests"));
        QVERIFY(response.header("Retry-After").toInt() > 0);
    }

private slots:
    void init()
    {
        m_gateway = std::make_unique<GatewayHarness>();
        QVERIFY(m_gateway->start());
        const auto created =
            m_client.post(m_gateway->adminUrl(QStringLiteral("/api/users")),
                          QJsonDocument(QJsonObject{{QStringLiteral("username"), QStringLiteral("target")},
                                                    {QStringLiteral("password"), QLatin1String(kPassword)},
                                                    {QStringLiteral("role"), QStringLiteral("user")}})
                              .toJson(),
                          {m_gateway->login()});
        QCOMPARE(created.status, 201);
        // Set after the user was created: tokens issued before its password was set would not count.
        m_nowMs = QDateTime::currentMSecsSinceEpoch() + 1;
        m_gateway->service().auth().setClock([this] { return m_nowMs; });
    }

    void cleanup() { m_gateway.reset(); }

    void userIsSlowedDownThenLockedOut()
    {
        const LoginThrottle::Policy policy;
        // The first failures cost nothing but the answer.
        for (int i = 0; i < policy.freeFailures; ++i)
            QCOMPARE(login(QStringLiteral("target"), QStringLiteral("wrong-guess")).status, 401);
        // Then each failure makes the next attempt wait, longer every time.
        int lastWait = 0;
        for (int i = policy.freeFailures; i < policy.maxUserFailures - 1; ++i) {
            QCOMPARE(login(QStringLiteral("target"), QStringLiteral("wrong-guess")).status, 401);
            const auto waiting = login(QStringLiteral("target"), QLatin1String(kPassword)); // even the right one
            verifyLocked(waiting);
            const int wait = waiting.header("Retry-After").toInt();
            QVERIFY(wait > lastWait);
            lastWait = wait;
            m_nowMs += wait * 1000LL;
        }
        QCOMPARE(login(QStringLiteral("target"), QStringLiteral("wrong-guess")).status, 401);

        // Locked: the right password is refused exactly like a wrong one, without being checked.
        const auto right = login(QStringLiteral("target"), QLatin1String(kPassword));
        const auto wrong = login(QStringLiteral("target"), QStringLiteral("wrong-guess"));
        verifyLocked(right);
        QCOMPARE(right.body, wrong.body);
        QCOMPARE(right.header("Retry-After").toLongLong(), policy.lockoutMs / 1000);
        QCOMPARE(auditCount(QStringLiteral("action=auth.lockout&objectType=user")), 1);
        QVERIFY(auditCount(QStringLiteral("action=auth.login_failed")) >= policy.maxUserFailures + 2);

        // Other users are not affected.
        QCOMPARE(login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword)).status, 200);

        m_nowMs += policy.lockoutMs - 1000;
        verifyLocked(login(QStringLiteral("target"), QLatin1String(kPassword)));
        m_nowMs += 1000;
        QCOMPARE(login(QStringLiteral("target"), QLatin1String(kPassword)).status, 200);
        // A success starts the count afresh.
        QCOMPARE(login(QStringLiteral("target"), QStringLiteral("wrong-guess")).status, 401);
        QCOMPARE(login(QStringLiteral("target"), QLatin1String(kPassword)).status, 200);
    }

    void unknownUsersAreLockedOutLikeRealOnes()
    {
        // Otherwise a 429 after a few guesses would tell which usernames exist.
        const LoginThrottle::Policy policy;
        for (int i = 0; i < policy.maxUserFailures; ++i) {
            QCOMPARE(login(QStringLiteral("target"), QStringLiteral("wrong-guess")).status, 401);
            QCOMPARE(login(QStringLiteral("ghost"), QStringLiteral("wrong-guess")).status, 401);
            m_nowMs += 60'000;
        }
        const auto real = login(QStringLiteral("target"), QLatin1String(kPassword));
        const auto ghost = login(QStringLiteral("ghost"), QLatin1String(kPassword));
        verifyLocked(real);
        QCOMPARE(ghost.status, real.status);
        QCOMPARE(ghost.body, real.body);
        QCOMPARE(ghost.header("Retry-After"), real.header("Retry-After"));
    }

    void oldFailuresAreForgotten()
    {
        const LoginThrottle::Policy policy;
        for (int i = 0; i < policy.maxUserFailures - 1; ++i) {
            QCOMPARE(login(QStringLiteral("target"), QStringLiteral("wrong-guess")).status, 401);
            m_nowMs += 60'000; // past every slow-down wait
        }
        m_nowMs += policy.windowMs;
        QCOMPARE(login(QStringLiteral("target"), QStringLiteral("wrong-guess")).status, 401);
        // Counted as the first of a new series: no wait, no lockout.
        QCOMPARE(login(QStringLiteral("target"), QLatin1String(kPassword)).status, 200);
    }

    void addressIsLockedOut()
    {
        const LoginThrottle::Policy policy;
        // Different unknown usernames each time, so no per-user limit applies.
        for (int i = 0; i < policy.maxAddressFailures; ++i)
            QCOMPARE(login(QStringLiteral("guess-%1").arg(i), QStringLiteral("wrong-guess")).status, 401);
        const auto locked = login(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword));
        verifyLocked(locked);
        QCOMPARE(locked.header("Retry-After").toLongLong(), policy.lockoutMs / 1000);
        verifyLocked(login(QStringLiteral("target"), QLatin1String(kPassword)));

        m_nowMs += policy.lockoutMs;
        QCOMPARE(login(QStringLiteral("target"), QLatin1String(kPassword)).status, 200);
        QCOMPARE(auditCount(QStringLiteral("action=auth.lockout&objectType=address&objectId=127.0.0.1")), 1);
    }

    void wrongCurrentPasswordCountsAsAFailedLogin()
    {
        const LoginThrottle::Policy policy;
        const auto session = login(QStringLiteral("target"), QLatin1String(kPassword));
        const QByteArray bearer = "Bearer " + session.json()[QLatin1String("accessToken")].toString().toLatin1();
        for (int i = 0; i < policy.maxUserFailures; ++i) {
            const auto changed = m_client.post(
                m_gateway->adminUrl(QStringLiteral("/api/auth/password")),
                QJsonDocument(QJsonObject{{QStringLiteral("currentPassword"), QStringLiteral("wrong-guess")},
                                          {QStringLiteral("newPassword"), QStringLiteral("new-password-123")}})
                    .toJson(),
                {{"Authorization", bearer}});
            QCOMPARE(changed.status, 403);
            m_nowMs += 60'000;
        }
        verifyLocked(login(QStringLiteral("target"), QLatin1String(kPassword)));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminLockout)
#include "TestAdminLockout.moc"
