#include "ScratchDatabase.h"
#include "TestRegistry.h"
#include "auth/LoginThrottle.h"
#include "storage/Migrator.h"

#include <QTest>

// The throttle on a real database of each engine: what one LoginThrottle counts, another on the same database (another
// instance) sees.
class TestLoginThrottle : public QObject
{
    Q_OBJECT

private:
    const LoginThrottle::Policy m_policy;

    // A migrated scratch database of the row's engine.
    struct Store
    {
        explicit Store(const QString& engine) : scratch(engine) {}
        bool open()
        {
            database = std::make_unique<Database>(scratch.config());
            return Migrator(*database).migrate().ok();
        }
        ScratchDatabase scratch;
        std::unique_ptr<Database> database;
    };

private slots:
    void userWaitsGrowThenLock_data() { ScratchDatabase::addEngineRows(); }
    void userWaitsGrowThenLock()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        LoginThrottle throttle(*store.database);
        const QString address = QStringLiteral("192.0.2.1");
        const qint64 now = 1'000'000;
        qint64 lastWait = -1;
        for (int failure = 1; failure < m_policy.maxUserFailures; ++failure) {
            QCOMPARE(throttle.accountFailure(QStringLiteral("alice"), address, now), 0); // no lockout yet
            const qint64 wait = throttle.accountWaitMs(QStringLiteral("alice"), address, now);
            QCOMPARE(wait == 0, failure <= m_policy.freeFailures);
            QVERIFY(wait >= lastWait);
            lastWait = wait;
        }
        QCOMPARE(throttle.accountFailure(QStringLiteral("alice"), address, now), now + m_policy.lockoutMs);
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("alice"), address, now), m_policy.lockoutMs);
        // After the lockout a fresh count begins.
        const qint64 later = now + m_policy.lockoutMs;
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("alice"), address, later), 0);
        QCOMPARE(throttle.accountFailure(QStringLiteral("alice"), address, later), 0);
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("alice"), address, later), 0);
    }

    void userFailuresOutsideTheWindowAreForgotten_data() { ScratchDatabase::addEngineRows(); }
    void userFailuresOutsideTheWindowAreForgotten()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        LoginThrottle throttle(*store.database);
        const QString address = QStringLiteral("192.0.2.1");
        const qint64 now = 1'000'000;
        for (int failure = 1; failure < m_policy.maxUserFailures; ++failure)
            throttle.accountFailure(QStringLiteral("bob"), address, now);
        // Two windows on, none of them counts: the next failure is a first one, with no wait.
        const qint64 later = now + 2 * m_policy.windowMs;
        QCOMPARE(throttle.accountFailure(QStringLiteral("bob"), address, later), 0);
        QCOMPARE(throttle.accountWaitMs(QStringLiteral("bob"), address, later), 0);
    }

    // The count slides: failures late in one window still count early in the next, in proportion.
    void addressFailuresAcrossAWindowBoundaryStillLock_data() { ScratchDatabase::addEngineRows(); }
    void addressFailuresAcrossAWindowBoundaryStillLock()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        LoginThrottle throttle(*store.database);
        const QString address = QStringLiteral("192.0.2.60");
        const qint64 start = 7'000'000;
        throttle.addressFailure(address, start); // opens the window
        const qint64 lateInWindow = start + m_policy.windowMs - 1000;
        const int burst = m_policy.maxAddressFailures / 2 + 1;
        for (int i = 0; i < burst; ++i)
            QVERIFY(!throttle.addressFailure(address, lateInWindow));
        // Just past the boundary the previous window's failures almost all count still.
        const qint64 early = start + m_policy.windowMs + 1000;
        int more = 0;
        while (more < m_policy.maxAddressFailures && !throttle.addressFailure(address, early))
            ++more;
        ++more; // the one that locked
        QVERIFY2(more <= m_policy.maxAddressFailures - burst, qPrintable(QString::number(more)));
        QVERIFY(throttle.addressWaitMs(address, early) > 0);
    }

    void anAccountIsLockedAtTheFailingAddressOnly_data() { ScratchDatabase::addEngineRows(); }
    void anAccountIsLockedAtTheFailingAddressOnly()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        LoginThrottle throttle(*store.database);
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

    void addressLocksAfterItsThresholdWithinTheWindow_data() { ScratchDatabase::addEngineRows(); }
    void addressLocksAfterItsThresholdWithinTheWindow()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        LoginThrottle throttle(*store.database);
        qint64 now = 5'000'000;
        for (int i = 1; i < m_policy.maxAddressFailures; ++i)
            QVERIFY(!throttle.addressFailure(QStringLiteral("192.0.2.7"), now));
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.7"), now), 0);
        QVERIFY(throttle.addressFailure(QStringLiteral("192.0.2.7"), now));
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.7"), now), m_policy.lockoutMs);
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.8"), now), 0);
        QCOMPARE(throttle.addressWaitMs(QStringLiteral("192.0.2.7"), now + m_policy.lockoutMs), 0);
    }

    void addressFailuresSpreadOverTimeDoNotLock_data() { ScratchDatabase::addEngineRows(); }
    void addressFailuresSpreadOverTimeDoNotLock()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        LoginThrottle throttle(*store.database);
        qint64 now = 5'000'000;
        for (int i = 0; i < 3 * m_policy.maxAddressFailures; ++i) {
            QVERIFY(!throttle.addressFailure(QStringLiteral("192.0.2.9"), now));
            now += m_policy.windowMs / (m_policy.maxAddressFailures - 1) + 1;
        }
    }

    void ipv6AddressesCountPerSlash64_data() { ScratchDatabase::addEngineRows(); }
    void ipv6AddressesCountPerSlash64()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        LoginThrottle throttle(*store.database);
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

    void aLockoutHoldsOnEveryInstance_data() { ScratchDatabase::addEngineRows(); }
    void aLockoutHoldsOnEveryInstance()
    {
        QFETCH(QString, engine);
        Store store(engine);
        REQUIRE_SCRATCH_DATABASE(store.scratch);
        QVERIFY(store.open());
        Database other(store.scratch.config()); // another instance's connection
        LoginThrottle a(*store.database), b(other);
        const qint64 now = 3'000'000;
        const QString attacker = QStringLiteral("198.51.100.9");
        qint64 lockedUntil = 0;
        for (int i = 0; i < m_policy.maxUserFailures; ++i)
            lockedUntil = (i % 2 ? a : b).accountFailure(QStringLiteral("admin"), attacker, now);
        QCOMPARE(lockedUntil, now + m_policy.lockoutMs);
        QCOMPARE(a.accountWaitMs(QStringLiteral("admin"), attacker, now), m_policy.lockoutMs);
        QCOMPARE(b.accountWaitMs(QStringLiteral("admin"), attacker, now), m_policy.lockoutMs);
        for (int i = 0; i < m_policy.maxAddressFailures; ++i)
            (i % 2 ? a : b).addressFailure(QStringLiteral("192.0.2.50"), now);
        QCOMPARE(a.addressWaitMs(QStringLiteral("192.0.2.50"), now), m_policy.lockoutMs);
        QCOMPARE(b.addressWaitMs(QStringLiteral("192.0.2.50"), now), m_policy.lockoutMs);

        // Once their window and lockout are over, rows are forgotten (swept by a later failure).
        LoginThrottle restarted(other);
        restarted.addressFailure(QStringLiteral("192.0.2.51"), now + m_policy.windowMs + m_policy.lockoutMs);
        auto rows = store.database->exec(QStringLiteral("SELECT address FROM login_throttle"));
        QVERIFY(rows.ok());
        QVERIFY(rows->next());
        QCOMPARE(rows->value(0).toString(), QStringLiteral("192.0.2.51"));
        QVERIFY(!rows->next());
    }
};

GATEHOUSE_TEST_MAIN(TestLoginThrottle)
#include "TestLoginThrottle.moc"
