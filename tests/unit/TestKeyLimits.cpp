#include "TestRegistry.h"
#include "balance/KeyLimits.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

const KeyTime kStart = KeyTime{} + 1h;

int acquireAll(KeyLimits& limits, KeyTime now, int attempts)
{
    int granted = 0;
    for (int i = 0; i < attempts; ++i)
        granted += limits.tryAcquire(now) ? 1 : 0;
    return granted;
}

} // namespace

class TestKeyLimits : public QObject
{
    Q_OBJECT

private slots:
    void unlimitedAlwaysAcquires()
    {
        KeyLimits limits;
        QCOMPARE(acquireAll(limits, kStart, 100'000), 100'000);
        limits.addTokens(1'000'000'000, kStart);
        QVERIFY(limits.isAvailable(kStart));
        QCOMPARE(limits.availableAt(kStart), kStart);
    }

    void requestsPerMinuteAllowABurstThenRefill()
    {
        KeyLimits limits(KeyQuota{3, 0, 0});
        QCOMPARE(acquireAll(limits, kStart, 10), 3);
        QVERIFY(!limits.isAvailable(kStart));
        // One request's worth comes back every 20 s.
        QCOMPARE(limits.availableAt(kStart), kStart + 20s);
        QVERIFY(!limits.tryAcquire(kStart + 19999ms));
        QVERIFY(limits.tryAcquire(kStart + 20s));
        QVERIFY(!limits.tryAcquire(kStart + 20s));
        QCOMPARE(limits.availableAt(kStart + 20s), kStart + 40s);
    }

    void aFullWindowLaterTheWholeLimitIsBack()
    {
        KeyLimits limits(KeyQuota{100, 0, 0});
        KeyTime now = kStart;
        for (int minute = 0; minute < 5; ++minute) {
            QCOMPARE(acquireAll(limits, now, 150), 100);
            now += 60s;
        }
    }

    void requestsPerDay()
    {
        KeyLimits limits(KeyQuota{0, 0, 2});
        QCOMPARE(acquireAll(limits, kStart, 5), 2);
        QCOMPARE(limits.availableAt(kStart), kStart + 12h);
        QCOMPARE(acquireAll(limits, kStart + 11h, 5), 0);
        QCOMPARE(acquireAll(limits, kStart + 24h, 5), 2);
    }

    void aRefusedMinuteDoesNotSpendTheDay()
    {
        KeyLimits limits(KeyQuota{1, 0, 3});
        QCOMPARE(acquireAll(limits, kStart, 50), 1);
        QCOMPARE(acquireAll(limits, kStart + 60s, 50), 1);
        QCOMPARE(acquireAll(limits, kStart + 120s, 50), 1);
        QCOMPARE(acquireAll(limits, kStart + 180s, 50), 0);
        QCOMPARE(limits.availableAt(kStart + 180s), kStart + 8h);
    }

    // A request the shared limits refused after this instance admitted it does not count here either.
    void aReleasedRequestIsGivenBack()
    {
        KeyLimits limits(KeyQuota{2, 0, 2});
        QVERIFY(limits.tryAcquire(kStart));
        QVERIFY(limits.tryAcquire(kStart));
        QVERIFY(!limits.tryAcquire(kStart));
        limits.release();
        QVERIFY(limits.tryAcquire(kStart)); // the minute's and the day's unit both came back
        QVERIFY(!limits.tryAcquire(kStart));
    }

    void tokensPerMinuteBlockOnceSpent()
    {
        KeyLimits limits(KeyQuota{0, 1000, 0});
        QVERIFY(limits.tryAcquire(kStart));
        limits.addTokens(600, kStart);
        QVERIFY(limits.isAvailable(kStart));
        QVERIFY(limits.tryAcquire(kStart));
        // The second response overshoots: 1500 tokens of 1000 per minute.
        limits.addTokens(900, kStart);
        QVERIFY(!limits.tryAcquire(kStart));
        QVERIFY(!limits.isAvailable(kStart + 30s));
        const KeyTime freeAt = limits.availableAt(kStart);
        QVERIFY(freeAt > kStart + 30s && freeAt <= kStart + 30001ms);
        QVERIFY(limits.tryAcquire(freeAt));
    }

    void changingTheQuotaKeepsTheUsage()
    {
        KeyLimits limits(KeyQuota{10, 0, 0});
        QCOMPARE(acquireAll(limits, kStart, 10), 10);
        limits.setQuota(KeyQuota{20, 0, 0}, kStart);
        QCOMPARE(acquireAll(limits, kStart, 50), 10);
        limits.setQuota(KeyQuota{5, 0, 0}, kStart);
        QCOMPARE(acquireAll(limits, kStart, 50), 0);
        // 20 used at 5 per minute: the next one fits once 16 have refilled, at 12 s each.
        QCOMPARE(limits.availableAt(kStart), kStart + 192s);
        limits.setQuota(KeyQuota{}, kStart);
        QCOMPARE(acquireAll(limits, kStart, 50), 50);
    }

    void concurrentAcquiresNeverExceedTheLimit()
    {
        KeyLimits limits(KeyQuota{5000, 0, 20000});
        std::atomic<int> granted{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 5000; ++i)
                    granted.fetch_add(limits.tryAcquire(kStart) ? 1 : 0);
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        QCOMPARE(granted.load(), 5000);
        // The refused minute slots gave their day slots back: the day still holds 15000, plus what it refills
        // meanwhile at one request per 4.32 s (240 s: 55).
        QCOMPARE(acquireAll(limits, kStart + 60s, 20000), 5000);
        QCOMPARE(acquireAll(limits, kStart + 120s, 20000), 5000);
        QCOMPARE(acquireAll(limits, kStart + 180s, 20000), 5000);
        QCOMPARE(acquireAll(limits, kStart + 240s, 20000), 55);
    }
};

GATEHOUSE_TEST_MAIN(TestKeyLimits)
#include "TestKeyLimits.moc"
