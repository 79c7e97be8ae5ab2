// SharedLimits of two "instances" through a real redis-server: one count for both, all-or-nothing decisions, daily
// totals, and what happens when Redis is away or frozen.
#include "BlockingRedis.h"
#include "RedisServer.h"
#include "TestRegistry.h"

#include "cache/SharedLimits.h"

#include <QTest>

#include <optional>

namespace {

using Limit = SharedLimits::Limit;
using Verdict = SharedLimits::Verdict;

QString sharedUrl()
{
    return qEnvironmentVariable("GATEHOUSE_TEST_REDIS_URL");
}

RedisConnection::Options options()
{
    RedisConnection::Options options = quickReconnectOptions();
    options.commandTimeoutMs = 100;
    return options;
}

// Waits for the answer, which never comes from inside acquire().
std::optional<SharedLimits::Answer> decide(SharedLimits& limits, const QList<Limit>& asked)
{
    std::optional<SharedLimits::Answer> answer;
    bool inside = true;
    const auto now = limits.acquire(asked, [&](SharedLimits::Answer given) {
        if (!inside)
            answer = given;
    });
    inside = false;
    if (now == Verdict::Admitted) // from a lease
        return SharedLimits::Answer{now};
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 5000))
        return std::nullopt;
    return answer;
}

Verdict verdictOf(SharedLimits& limits, const QList<Limit>& asked)
{
    const auto answer = decide(limits, asked);
    return answer ? answer->verdict : Verdict::Unanswered;
}

struct Instance
{
    explicit Instance(const QString& url) : limits(RedisUrl::parse(url).value(), options()) {}
    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return limits.isConnected(); }, 10'000);
    }
    SharedLimits limits;
};

} // namespace

class TestRedisSharedLimits : public QObject
{
    Q_OBJECT

private slots:
    void oneCountForAllInstances()
    {
        if (sharedUrl().isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        Instance a(sharedUrl());
        Instance b(sharedUrl());
        QVERIFY(a.waitConnected() && b.waitConnected());
        const QList<Limit> threePerMinute{{uniqueRedisPrefix() + "g1:rpm", 60'000, 3, 1}};

        QCOMPARE(verdictOf(a.limits, threePerMinute), Verdict::Admitted);
        QCOMPARE(verdictOf(b.limits, threePerMinute), Verdict::Admitted);
        QCOMPARE(verdictOf(a.limits, threePerMinute), Verdict::Admitted);
        const auto refused = decide(b.limits, threePerMinute);
        QVERIFY(refused);
        QCOMPARE(refused->verdict, Verdict::Refused);
        // A unit frees every 20 s; the first was taken moments ago.
        QVERIFY2(refused->retryAfterMs > 15'000 && refused->retryAfterMs <= 20'000,
                 QByteArray::number(refused->retryAfterMs));
        QCOMPARE(refused->limit, 0);
        QCOMPARE(verdictOf(a.limits, threePerMinute), Verdict::Refused);
    }

    void takesAllLimitsOrNone()
    {
        if (sharedUrl().isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        Instance a(sharedUrl());
        QVERIFY(a.waitConnected());
        const QByteArray prefix = uniqueRedisPrefix();
        const Limit perMinute{prefix + "rpm", 60'000, 5, 1};
        const Limit perDay{prefix + "rpd", 86'400'000, 1, 1};

        QCOMPARE(verdictOf(a.limits, {perMinute, perDay}), Verdict::Admitted);
        const auto refused = decide(a.limits, {perMinute, perDay});
        QVERIFY(refused);
        QCOMPARE(refused->verdict, Verdict::Refused);
        QCOMPARE(refused->limit, 1); // the day's limit refused; the minute's unit was not taken for it
        QVERIFY(refused->retryAfterMs > 3'600'000);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(verdictOf(a.limits, {perMinute}), Verdict::Admitted);
        QCOMPARE(verdictOf(a.limits, {perMinute}), Verdict::Refused);
    }

    void tokensSpentCloseTheirLimits()
    {
        if (sharedUrl().isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        Instance a(sharedUrl());
        Instance b(sharedUrl());
        QVERIFY(a.waitConnected() && b.waitConnected());
        const QByteArray prefix = uniqueRedisPrefix();
        Limit tokensPerDay{prefix + "g7:tokens", 0, 1000, 0};
        Limit tokensPerMinute{prefix + "p3:tpm", 60'000, 600, 0};
        QCOMPARE(verdictOf(b.limits, {tokensPerDay, tokensPerMinute}), Verdict::Admitted);

        tokensPerDay.units = 999;
        a.limits.add({tokensPerDay});
        tokensPerDay.units = 0;
        QTRY_COMPARE(verdictOf(b.limits, {tokensPerDay}), Verdict::Admitted); // 999 of 1000: some left
        tokensPerDay.units = 1;
        a.limits.add({tokensPerDay});
        tokensPerDay.units = 0;
        QTRY_COMPARE(verdictOf(b.limits, {tokensPerMinute, tokensPerDay}), Verdict::Refused);
        const auto answer = decide(b.limits, {tokensPerMinute, tokensPerDay});
        QVERIFY(answer);
        QCOMPARE(answer->limit, 1);
        const qint64 untilMidnight = 86'400'000 - QDateTime::currentMSecsSinceEpoch() % 86'400'000;
        QVERIFY(qAbs(answer->retryAfterMs - untilMidnight) < 5'000);

        // Usage of nothing (a 4xx answer) charges nothing and spoils nothing sent with it.
        const Limit perDay{prefix + "p3:rpd", 86'400'000, 1, 1};
        tokensPerMinute.units = 0;
        a.limits.add({tokensPerMinute, perDay});
        QTRY_COMPARE(verdictOf(b.limits, {perDay}), Verdict::Refused);

        tokensPerMinute.units = 700; // more than the minute allows: spent for a little over a minute
        a.limits.add({tokensPerMinute});
        tokensPerMinute.units = 0;
        QTRY_COMPARE(verdictOf(b.limits, {tokensPerMinute}), Verdict::Refused);
    }

    void largeLimitsAreLeasedAndStillHold()
    {
        if (sharedUrl().isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        Instance a(sharedUrl());
        Instance b(sharedUrl());
        QVERIFY(a.waitConnected() && b.waitConnected());
        const QList<Limit> thousand{{uniqueRedisPrefix() + "g2:rpm", 60'000, 1000, 1}};
        // A worker that keeps asking leases more each time, up to a hundredth of the limit: of 100 requests in a
        // row, most are admitted here at once.
        int atOnce = 0;
        for (int i = 0; i < 100; ++i) {
            std::optional<SharedLimits::Answer> later;
            if (a.limits.acquire(thousand, [&](SharedLimits::Answer answer) { later = answer; }) == Verdict::Admitted) {
                ++atOnce;
                continue;
            }
            QTRY_VERIFY(later);
            QCOMPARE(later->verdict, Verdict::Admitted);
        }
        QVERIFY2(atOnce >= 80, QByteArray::number(atOnce));

        // Both instances in turn until neither may: never more than the limit, at most the two leases less. (Per day,
        // so that no unit refills while the loop runs.)
        const QList<Limit> threeHundred{{uniqueRedisPrefix() + "g3:rpd", 86'400'000, 300, 1}};
        int admitted = 0;
        for (int i = 0; i < 400; ++i)
            admitted += verdictOf(i % 2 ? a.limits : b.limits, threeHundred) == Verdict::Admitted ? 1 : 0;
        QVERIFY2(admitted <= 300 && admitted >= 300 - 2 * 3, QByteArray::number(admitted));
    }

    void awayRedisLeavesTheDecisionToTheInstanceAndLearnsWhatItMissed()
    {
        RedisServer server;
        QVERIFY(server.start());
        Instance a(server.url());
        Instance b(server.url());
        QVERIFY(a.waitConnected() && b.waitConnected());
        const QList<Limit> twoPerMinute{{"g5:rpm", 60'000, 2, 1}};
        QCOMPARE(verdictOf(a.limits, twoPerMinute), Verdict::Admitted);

        server.kill();
        QTRY_VERIFY(!a.limits.isConnected());
        QCOMPARE(verdictOf(a.limits, twoPerMinute), Verdict::Unanswered); // at once: no waiting for a dead server
        a.limits.add(twoPerMinute);                                       // what the instance admitted alone meanwhile
        a.limits.add(twoPerMinute);

        QVERIFY(server.start()); // empty: it learns only what the instances tell it
        QVERIFY(a.waitConnected() && b.waitConnected());
        QTRY_COMPARE(verdictOf(b.limits, twoPerMinute), Verdict::Refused);
    }

    void frozenRedisIsNotWaitedFor()
    {
        RedisServer server;
        QVERIFY(server.start());
        Instance a(server.url());
        QVERIFY(a.waitConnected());
        server.pause();
        const auto answer = decide(a.limits, {{"g6:rpm", 60'000, 2, 1}});
        server.resume();
        QVERIFY(answer); // within decide()'s 5 s, from the 100 ms command timeout
        QCOMPARE(answer->verdict, Verdict::Unanswered);
        QVERIFY(a.waitConnected());
        QCOMPARE(verdictOf(a.limits, {{"g6:rpm", 60'000, 2, 1}}), Verdict::Admitted);
    }
};

GATEHOUSE_TEST_MAIN(TestRedisSharedLimits)
#include "TestRedisSharedLimits.moc"
