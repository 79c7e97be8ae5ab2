// SharedCounter across two "instances" through a real redis-server: agreement, window rollover, Redis away.
#include "BlockingRedis.h"
#include "RedisServer.h"
#include "TestRegistry.h"

#include "cache/RedisConnection.h"
#include "cache/SharedCounter.h"

#include <QSignalSpy>
#include <QTest>

namespace {

constexpr qint64 kWindowMs = 60'000;

struct CounterInstance
{
    CounterInstance(const QString& url, const QByteArray& prefix, const qint64* now)
        : redis(RedisUrl::parse(url).value(), quickReconnectOptions()),
          counter(&redis, prefix, 20, [now] { return *now; }), synchronized(&counter, &SharedCounter::synchronized)
    {
        redis.open();
    }
    RedisConnection redis;
    SharedCounter counter;
    QSignalSpy synchronized;
};

QString sharedUrl()
{
    return qEnvironmentVariable("GATEHOUSE_TEST_REDIS_URL");
}

} // namespace

class TestRedisSharedCounter : public QObject
{
    Q_OBJECT

private slots:
    void agreesAcrossInstances()
    {
        if (sharedUrl().isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        qint64 now = 100 * kWindowMs; // start of a window
        const QByteArray prefix = uniqueRedisPrefix();
        CounterInstance a(sharedUrl(), prefix, &now);
        CounterInstance b(sharedUrl(), prefix, &now);

        QCOMPARE(a.counter.increment("key:1", kWindowMs), 1); // answered at once, Redis or not
        QCOMPARE(a.counter.increment("key:1", kWindowMs, 2), 3);
        QCOMPARE(b.counter.increment("key:1", kWindowMs, 2), 2);
        QTRY_COMPARE(a.counter.increment("key:1", kWindowMs, 0), 5);
        QTRY_COMPARE(b.counter.increment("key:1", kWindowMs, 0), 5);
        QCOMPARE(a.counter.increment("key:2", kWindowMs, 0), 0); // counters are per key
        QCOMPARE(a.counter.increment("key:1", 1000, 0), 0);      // and per window length
    }

    void startsOverInTheNextWindow()
    {
        if (sharedUrl().isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        qint64 now = 200 * kWindowMs + kWindowMs - 1; // last millisecond of a window
        const QByteArray prefix = uniqueRedisPrefix();
        CounterInstance a(sharedUrl(), prefix, &now);
        CounterInstance b(sharedUrl(), prefix, &now);
        a.counter.increment("key", kWindowMs, 4);
        b.counter.increment("key", kWindowMs, 3);
        QTRY_COMPARE(a.counter.increment("key", kWindowMs, 0), 7);
        QTRY_COMPARE(b.counter.increment("key", kWindowMs, 0), 7);

        now += 1; // rollover
        QCOMPARE(a.counter.increment("key", kWindowMs), 1);
        QCOMPARE(b.counter.increment("key", kWindowMs, 0), 0);
        QTRY_COMPARE(b.counter.increment("key", kWindowMs, 0), 1);
        QCOMPARE(b.counter.increment("key", kWindowMs), 2);
        QTRY_COMPARE(a.counter.increment("key", kWindowMs, 0), 2);
    }

    void countsLocallyWhileRedisIsAway()
    {
        RedisServer server;
        QVERIFY(server.start());
        qint64 now = 300 * kWindowMs;
        const QByteArray prefix = uniqueRedisPrefix();
        CounterInstance a(server.url(), prefix, &now);
        CounterInstance b(server.url(), prefix, &now);
        a.counter.increment("key", kWindowMs, 2);
        QTRY_COMPARE(b.counter.increment("key", kWindowMs, 0), 2);

        server.kill();
        QTRY_VERIFY(!a.redis.isConnected());
        QCOMPARE(a.counter.increment("key", kWindowMs, 5), 7); // never waits, never fails: counts alone
        QCOMPARE(b.counter.increment("key", kWindowMs, 1), 3);

        QVERIFY(server.start()); // empty again: the counters rebuild from what each instance holds
        QTRY_VERIFY_WITH_TIMEOUT(a.redis.isConnected() && b.redis.isConnected(), 10'000);
        QTRY_COMPARE(a.counter.increment("key", kWindowMs, 0), 6);
        QTRY_COMPARE(b.counter.increment("key", kWindowMs, 0), 6);
    }

    void withoutRedisCountsInProcess()
    {
        qint64 now = 400 * kWindowMs;
        SharedCounter counter(nullptr, "unused:", 20, [&now] { return now; });
        QCOMPARE(counter.increment("login:alice", kWindowMs), 1);
        QCOMPARE(counter.increment("login:alice", kWindowMs), 2);
        now += kWindowMs;
        QCOMPARE(counter.increment("login:alice", kWindowMs), 1);
    }
};

GATEHOUSE_TEST_MAIN(TestRedisSharedCounter)
#include "TestRedisSharedCounter.moc"
