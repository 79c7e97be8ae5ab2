#include "TestRegistry.h"
#include "auth/LoginThrottle.h"

#include <QTest>

class TestLoginThrottle : public QObject
{
    Q_OBJECT

private:
    const LoginThrottle::Policy m_policy;

private slots:
    void userWaitsGrowThenLock()
    {
        LoginThrottle throttle;
        LoginThrottle::UserState state;
        const qint64 now = 1'000'000;
        qint64 lastWait = -1;
        for (int failure = 1; failure < m_policy.maxUserFailures; ++failure) {
            bool locked = true;
            state = throttle.userFailure(state, now, &locked);
            QVERIFY(!locked);
            QCOMPARE(state.failedLogins, failure);
            const qint64 wait = state.lockedUntilMs - now;
            QCOMPARE(wait == 0, failure <= m_policy.freeFailures);
            QVERIFY(wait >= lastWait);
            lastWait = wait;
        }
        bool locked = false;
        state = throttle.userFailure(state, now, &locked);
        QVERIFY(locked);
        QCOMPARE(state.failedLogins, 0);
        QCOMPARE(state.lockedUntilMs, now + m_policy.lockoutMs);
    }

    void userFailuresOutsideTheWindowAreForgotten()
    {
        LoginThrottle throttle;
        bool locked = false;
        const LoginThrottle::UserState stale{m_policy.maxUserFailures - 1, 1'000'000};
        const auto next = throttle.userFailure(stale, 1'000'000 + m_policy.windowMs + 1, &locked);
        QVERIFY(!locked);
        QCOMPARE(next.failedLogins, 1);
    }

    void anAccountIsLockedAtTheFailingAddressOnly()
    {
        LoginThrottle throttle;
        const qint64 now = 2'000'000;
        const QString attacker = QStringLiteral("198.51.100.9"), owner = QStringLiteral("192.0.2.1");
        qint64 lockedUntil = 0;
        for (int i = 0; i < m_policy.maxUserFailures; ++i)
            lockedUntil = throttle.accountFailure(QStringLiteral("admin"), attacker, now);
        QCOMPARE(lockedUntil, now + m_policy.lockoutMs);
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("admin"), attacker, now), m_policy.lockoutMs);
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("admin"), owner, now), 0);
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("admin2"), attacker, now), 0);
        // IPv4 through an IPv6 socket is the same address.
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("admin"), QStringLiteral("::ffff:198.51.100.9"), now),
                 m_policy.lockoutMs);

        throttle.accountFailure(QStringLiteral("admin"), owner, now);
        throttle.accountSuccess(QStringLiteral("admin"), owner);
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("admin"), attacker, now), m_policy.lockoutMs);
        throttle.forgetAccount(QStringLiteral("admin"));
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("admin"), attacker, now), 0);
    }

    void addressLocksAfterItsThresholdWithinTheWindow()
    {
        LoginThrottle throttle;
        qint64 now = 5'000'000;
        for (int i = 1; i < m_policy.maxAddressFailures; ++i)
            QVERIFY(!throttle.addressFailure(QStringLiteral("192.0.2.7"), now));
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.7"), now), 0);
        QVERIFY(throttle.addressFailure(QStringLiteral("192.0.2.7"), now));
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.7"), now), m_policy.lockoutMs);
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.8"), now), 0);
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.7"), now + m_policy.lockoutMs), 0);
    }

    void addressFailuresSpreadOverTimeDoNotLock()
    {
        LoginThrottle throttle;
        qint64 now = 5'000'000;
        for (int i = 0; i < 3 * m_policy.maxAddressFailures; ++i) {
            QVERIFY(!throttle.addressFailure(QStringLiteral("192.0.2.9"), now));
            now += m_policy.windowMs / (m_policy.maxAddressFailures - 1) + 1;
        }
    }

    void ipv6AddressesCountPerSlash64()
    {
        LoginThrottle throttle;
        const qint64 now = 5'000'000;
        for (int i = 0; i < m_policy.maxAddressFailures; ++i)
            throttle.addressFailure(QStringLiteral("2001:db8:1:2::%1").arg(i + 1, 0, 16), now);
        QVERIFY(throttle.addressWaitMs(QStringLiteral("2001:db8:1:2:ffff::1"), now) > 0);
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("2001:db8:1:3::1"), now), 0);
        // IPv4 clients seen through an IPv6 socket count as their IPv4 address.
        for (int i = 0; i < m_policy.maxAddressFailures; ++i)
            throttle.addressFailure(QStringLiteral("::ffff:198.51.100.1"), now);
        QVERIFY(throttle.addressWaitMs(QStringLiteral("::ffff:198.51.100.1"), now) > 0);
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("::ffff:198.51.100.2"), now), 0);
    }
};

GATEHOUSE_TEST_MAIN(TestLoginThrottle)
#include "TestLoginThrottle.moc"
