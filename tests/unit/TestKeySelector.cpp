#include "TestRegistry.h"
#include "balance/KeySelector.h"

#include <QTest>

#include <atomic>
#include <deque>
#include <functional>
#include <random>
#include <thread>

using namespace std::chrono_literals;
using Kind = KeyOutcome::Kind;

namespace {

const KeyTime kSelectionStart = KeyTime{} + 1h;

// Keys with ids 1..n; a quota per key (missing or unlimited: no limits object).
std::unique_ptr<KeyPool> makePool(const std::vector<int>& weights, const std::vector<KeyQuota>& quotas = {})
{
    std::vector<PoolKey> keys;
    for (size_t i = 0; i < weights.size(); ++i) {
        PoolKey key{qint64(i + 1), weights[i], std::make_shared<KeyState>(qint64(i + 1)), nullptr, {}};
        if (i < quotas.size() && !quotas[i].isUnlimited())
            key.limits = std::make_shared<KeyLimits>(quotas[i]);
        keys.push_back(key);
    }
    return std::make_unique<KeyPool>(std::move(keys));
}

std::unique_ptr<KeyPool> makeEqualPool(int size)
{
    return makePool(std::vector<int>(size_t(size), 1));
}

const KeySelector& selector(const char* strategy)
{
    return *KeySelector::forStrategy(QString::fromLatin1(strategy));
}

qsizetype indexOf(const KeyPool& pool, const Selection& selection)
{
    return selection.key ? selection.key - pool.keys().data() : -1;
}

KeyState& stateOf(const KeyPool& pool, qsizetype index)
{
    return *pool.keys()[size_t(index)].state;
}

// A refusal marks a key invalid only when its probe gets it; other failures come from requests.
void fail(KeyState& state, KeyTime now, Kind kind, qint64 retryAfterMs = 0)
{
    if (kind == Kind::AuthRejected)
        return state.report(KeyOutcome::error(kind, QStringLiteral("probe refused")).asProbe(), now);
    state.begin();
    state.report(kind == Kind::RateLimited ? KeyOutcome::rateLimited(retryAfterMs, QStringLiteral("429"))
                                           : KeyOutcome::error(kind, QStringLiteral("test failure")),
                 now);
}

void eject(KeyState& state, KeyTime now)
{
    for (int i = 0; i < 3; ++i)
        fail(state, now, Kind::ServerError);
}

// Keys as letters, for readable sequences.
QString letters(const std::vector<qsizetype>& indexes)
{
    QString text;
    for (qsizetype index : indexes)
        text += QChar(char16_t(u'a' + index));
    return text;
}

// nginx's smooth weighted round-robin written out directly, as the reference the pool's sequence must match.
std::vector<qsizetype> nginxSequence(const std::vector<int>& weights, int count)
{
    std::vector<int> current(weights.size(), 0);
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    std::vector<qsizetype> picks;
    for (int n = 0; n < count; ++n) {
        qsizetype best = -1;
        for (size_t i = 0; i < weights.size(); ++i) {
            current[i] += weights[i];
            if (best < 0 || current[i] > current[size_t(best)])
                best = qsizetype(i);
        }
        current[size_t(best)] -= total;
        picks.push_back(best);
    }
    return picks;
}

int longestRun(const std::vector<qsizetype>& picks, qsizetype key)
{
    int longest = 0;
    int run = 0;
    for (qsizetype pick : picks) {
        run = pick == key ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

// Requests one after another, `step` apart, each answered with the latency its key has at that moment.
std::vector<qsizetype> sendSequentially(const KeySelector& selector, const KeyPool& pool, KeyTime& now, int count,
                                        const std::function<qint64(qsizetype)>& latencyOf,
                                        std::chrono::milliseconds step = 10ms)
{
    std::vector<qsizetype> picks;
    for (int i = 0; i < count; ++i) {
        const Selection selection = selector.select(pool, now);
        const qsizetype index = indexOf(pool, selection);
        if (index < 0)
            return picks;
        selection.key->state->report(KeyOutcome::success(latencyOf(index)), now);
        picks.push_back(index);
        now += step;
    }
    return picks;
}

double share(const std::vector<qsizetype>& picks, qsizetype key)
{
    return double(std::count(picks.begin(), picks.end(), key)) / double(picks.size());
}

std::vector<qsizetype> lastOf(const std::vector<qsizetype>& picks, size_t count)
{
    return std::vector<qsizetype>(picks.end() - qsizetype(std::min(count, picks.size())), picks.end());
}

void addStrategyRows()
{
    QTest::addColumn<QByteArray>("strategy");
    for (const char* name : {"round_robin", "weighted", "health_best", "smart"})
        QTest::newRow(name) << QByteArray(name);
}

} // namespace

class TestKeySelector : public QObject
{
    Q_OBJECT

private slots:
    void strategiesByName()
    {
        for (const char* name : {"round_robin", "weighted", "health_best", "smart"})
            QVERIFY2(KeySelector::forStrategy(QString::fromLatin1(name)), name);
        QVERIFY(!KeySelector::forStrategy(u"fastest"));
        QVERIFY(!KeySelector::forStrategy(u""));
    }

    void roundRobinIsExact()
    {
        auto pool = makeEqualPool(3);
        KeyTime now = kSelectionStart;
        const std::vector<qsizetype> picks =
            sendSequentially(selector("round_robin"), *pool, now, 3000, [](qsizetype) { return 100; });
        QCOMPARE(picks.size(), size_t(3000));
        for (size_t i = 0; i < picks.size(); ++i)
            QCOMPARE(picks[i], qsizetype(i % 3));
    }

    void roundRobinKeepsItsOrderAroundAnUnavailableKey()
    {
        auto pool = makeEqualPool(4);
        eject(stateOf(*pool, 1), kSelectionStart);
        KeyTime now = kSelectionStart;
        const auto latency = [](qsizetype) { return 100; };
        QCOMPARE(letters(sendSequentially(selector("round_robin"), *pool, now, 9, latency, 1ms)),
                 QStringLiteral("acdacdacd"));
        now = kSelectionStart + 10s;
        QCOMPARE(letters(sendSequentially(selector("round_robin"), *pool, now, 8, latency, 1ms)),
                 QStringLiteral("abcdabcd"));
    }

    void weightedIsNginxSmoothSequence()
    {
        auto pool = makePool({5, 1, 1});
        KeyTime now = kSelectionStart;
        QCOMPARE(letters(sendSequentially(selector("weighted"), *pool, now, 14, [](qsizetype) { return 100; })),
                 QStringLiteral("aabacaaaabacaa"));
    }

    void weightedMatchesTheWeights_data()
    {
        QTest::addColumn<std::vector<int>>("weights");
        QTest::newRow("5,1,1") << std::vector<int>{5, 1, 1};
        QTest::newRow("3,7,2,9") << std::vector<int>{3, 7, 2, 9};
        QTest::newRow("10,1") << std::vector<int>{10, 1};
        QTest::newRow("70,30") << std::vector<int>{70, 30};
        QTest::newRow("100,50,25,1,1") << std::vector<int>{100, 50, 25, 1, 1};
        QTest::newRow("2,4,6,8") << std::vector<int>{2, 4, 6, 8};
    }

    void weightedMatchesTheWeights()
    {
        QFETCH(std::vector<int>, weights);
        auto pool = makePool(weights);
        KeyTime now = kSelectionStart;
        const int count = 10'007; // not a multiple of any period
        const std::vector<qsizetype> picks = sendSequentially(
            selector("weighted"), *pool, now, count, [](qsizetype) { return 100; }, 1ms);
        QCOMPARE(picks.size(), size_t(count));
        const int total = std::accumulate(weights.begin(), weights.end(), 0);
        for (size_t i = 0; i < weights.size(); ++i) {
            const double expected = double(count) * weights[i] / total;
            const double got = double(std::count(picks.begin(), picks.end(), qsizetype(i)));
            QVERIFY2(std::abs(got - expected) <= 0.01 * expected,
                     qPrintable(QStringLiteral("key %1: %2 of %3").arg(i).arg(got).arg(expected)));
        }
        QCOMPARE(letters(picks), letters(nginxSequence(weights, count)));
    }

    void weightedWithTheHeaviestKeyDownKeepsTheOthersSmooth()
    {
        auto pool = makePool({5, 3, 1});
        eject(stateOf(*pool, 0), kSelectionStart);
        KeyTime now = kSelectionStart;
        const std::vector<qsizetype> picks = sendSequentially(
            selector("weighted"), *pool, now, 4000, [](qsizetype) { return 100; }, 1ms);
        QCOMPARE(picks.size(), size_t(4000));
        QVERIFY(std::abs(share(picks, 1) - 0.75) < 0.01);
        QVERIFY(std::abs(share(picks, 2) - 0.25) < 0.01);
        // Compared with the ideal smooth sequence for 3:1, at most one extra request in a row.
        std::vector<qsizetype> ideal = nginxSequence({3, 1}, 4000);
        QVERIFY(longestRun(picks, 1) <= longestRun(ideal, 0) + 1);
    }

    void healthBestAndSmartFollowLatency_data()
    {
        QTest::addColumn<QByteArray>("strategy");
        QTest::addColumn<double>("maxSlowShare");
        QTest::addColumn<double>("minRecoveredShare");
        QTest::newRow("health_best") << QByteArray("health_best") << 0.01 << 0.95;
        // Power of two choices sends a key only its draws, 2 of 3 keys each time.
        QTest::newRow("smart") << QByteArray("smart") << 0.01 << 0.55;
    }

    void healthBestAndSmartFollowLatency()
    {
        QFETCH(QByteArray, strategy);
        QFETCH(double, maxSlowShare);
        QFETCH(double, minRecoveredShare);
        auto pool = makeEqualPool(3);
        std::vector<qint64> latency{100, 100, 100};
        const auto latencyOf = [&](qsizetype index) { return latency[size_t(index)]; };
        KeyTime now = kSelectionStart;
        const KeySelector& chosen = selector(strategy.constData());

        sendSequentially(chosen, *pool, now, 1000, latencyOf);
        latency[0] = 400;
        // 60 s of traffic at 100 requests/s while key a is slow: it is tried again only now and then.
        const std::vector<qsizetype> slow = sendSequentially(chosen, *pool, now, 6000, latencyOf);
        QVERIFY2(share(slow, 0) < maxSlowShare, qPrintable(QString::number(share(slow, 0))));
        QVERIFY2(share(lastOf(slow, 1000), 0) < maxSlowShare, qPrintable(QString::number(share(slow, 0))));

        latency[0] = 50;
        const std::vector<qsizetype> recovered = sendSequentially(chosen, *pool, now, 6000, latencyOf);
        QVERIFY2(share(lastOf(recovered, 1000), 0) > minRecoveredShare,
                 qPrintable(QString::number(share(lastOf(recovered, 1000), 0))));
    }

    void untriedKeysGetTried_data() { addStrategyRows(); }

    void untriedKeysGetTried()
    {
        QFETCH(QByteArray, strategy);
        auto pool = makeEqualPool(5);
        KeyTime now = kSelectionStart;
        // Every key eventually gets a sample, even with the first one fast.
        sendSequentially(selector(strategy.constData()), *pool, now, 200,
                         [](qsizetype index) { return index == 0 ? 1 : 500; });
        for (qsizetype i = 0; i < 5; ++i)
            QVERIFY(stateOf(*pool, i).latencyEwmaMs(now).has_value());
    }

    void smartSpreadsLoadAcrossEqualKeys()
    {
        auto pool = makeEqualPool(4);
        const KeySelector& smart = selector("smart");
        KeyTime now = kSelectionStart;
        std::mt19937 random(7);
        std::uniform_int_distribution<int> jitter(90, 110);
        // Sequential: equal latencies with some jitter.
        const std::vector<qsizetype> sequential =
            sendSequentially(smart, *pool, now, 20'000, [&](qsizetype) { return jitter(random); });
        // Concurrent: 16 requests outstanding at any time, answered in order.
        std::deque<const PoolKey*> outstanding;
        std::vector<qsizetype> concurrent;
        for (int i = 0; i < 20'000; ++i) {
            const Selection selection = smart.select(*pool, now);
            QVERIFY(selection);
            concurrent.push_back(indexOf(*pool, selection));
            outstanding.push_back(selection.key);
            if (outstanding.size() == 16) {
                outstanding.front()->state->report(KeyOutcome::success(100), now);
                outstanding.pop_front();
            }
            now += 1ms;
        }
        for (qsizetype i = 0; i < 4; ++i) {
            QVERIFY2(share(sequential, i) > 0.2 && share(sequential, i) < 0.3,
                     qPrintable(QString::number(share(sequential, i))));
            QVERIFY2(share(concurrent, i) > 0.22 && share(concurrent, i) < 0.28,
                     qPrintable(QString::number(share(concurrent, i))));
        }
    }

    void smartAvoidsAKeyThatFails()
    {
        auto pool = makeEqualPool(2);
        const KeySelector& smart = selector("smart");
        KeyTime now = kSelectionStart;
        std::vector<qsizetype> picks;
        // Key a fails one request in three: never three in a row, so never ejected, but its error rate shows.
        int sent = 0;
        for (int i = 0; i < 3000; ++i) {
            const Selection selection = smart.select(*pool, now);
            const qsizetype index = indexOf(*pool, selection);
            picks.push_back(index);
            const bool failing = index == 0 && sent++ % 3 == 0;
            selection.key->state->report(failing ? KeyOutcome::error(Kind::ServerError) : KeyOutcome::success(100),
                                         now);
            now += 10ms;
        }
        QVERIFY2(share(lastOf(picks, 1000), 0) < 0.1, qPrintable(QString::number(share(lastOf(picks, 1000), 0))));
    }

    void clientFaultsDoNotMoveTraffic()
    {
        auto pool = makeEqualPool(2);
        KeyTime now = kSelectionStart;
        for (int i = 0; i < 100; ++i) {
            const Selection selection = selector("round_robin").select(*pool, now);
            selection.key->state->report(KeyOutcome::error(i % 2 ? Kind::ClientAborted : Kind::ClientError), now);
        }
        const std::vector<qsizetype> picks =
            sendSequentially(selector("round_robin"), *pool, now, 4, [](qsizetype) { return 100; });
        QCOMPARE(letters(picks), QStringLiteral("abab"));
    }

    void everyKeyUnavailableGivesTheEarliestRetry_data() { addStrategyRows(); }

    void everyKeyUnavailableGivesTheEarliestRetry()
    {
        QFETCH(QByteArray, strategy);
        const KeySelector& chosen = selector(strategy.constData());
        // a: 1 request per minute, spent; b: cooling down 25 s; c: invalid; d: ejected 10 s, and 1 request per
        // 30 s, spent 4 s ago: free again at the end of the ejection.
        auto pool = makePool({1, 1, 1, 1}, {KeyQuota{1, 0, 0}, {}, {}, KeyQuota{2, 0, 0}});
        QVERIFY(pool->keys()[0].limits->tryAcquire(kSelectionStart));
        fail(stateOf(*pool, 1), kSelectionStart, Kind::RateLimited, 25'000);
        fail(stateOf(*pool, 2), kSelectionStart, Kind::AuthRejected);
        QVERIFY(pool->keys()[3].limits->tryAcquire(kSelectionStart - 4s));
        eject(stateOf(*pool, 3), kSelectionStart);

        Selection selection = chosen.select(*pool, kSelectionStart);
        QVERIFY(!selection);
        QCOMPARE(selection.retryAfterMs, std::optional<qint64>(10'000));
        selection = chosen.select(*pool, kSelectionStart + 2500ms);
        QCOMPARE(selection.retryAfterMs, std::optional<qint64>(7'500));

        selection = chosen.select(*pool, kSelectionStart + 10s);
        QCOMPARE(indexOf(*pool, selection), 3);
        selection.key->state->report(KeyOutcome::success(100), kSelectionStart + 10s);
        // d's limit is spent again; b cools down until 25 s.
        selection = chosen.select(*pool, kSelectionStart + 10s);
        QVERIFY(!selection);
        QCOMPARE(selection.retryAfterMs, std::optional<qint64>(15'000));
    }

    void onlyInvalidOrTriedKeysGiveNoRetryTime_data() { addStrategyRows(); }

    void onlyInvalidOrTriedKeysGiveNoRetryTime()
    {
        QFETCH(QByteArray, strategy);
        const KeySelector& chosen = selector(strategy.constData());
        auto pool = makeEqualPool(3);
        fail(stateOf(*pool, 0), kSelectionStart, Kind::AuthRejected);
        const std::vector<qint64> tried{2, 3};
        Selection selection = chosen.select(*pool, kSelectionStart, tried);
        QVERIFY(!selection);
        QVERIFY(!selection.retryAfterMs.has_value());

        KeyPool empty({});
        QVERIFY(!chosen.select(empty, kSelectionStart));
    }

    void retriesSkipKeysAlreadyTried_data() { addStrategyRows(); }

    void retriesSkipKeysAlreadyTried()
    {
        QFETCH(QByteArray, strategy);
        const KeySelector& chosen = selector(strategy.constData());
        auto pool = makeEqualPool(4);
        for (int i = 0; i < 100; ++i) {
            std::vector<qint64> tried;
            for (int attempt = 0; attempt < 4; ++attempt) {
                const Selection selection = chosen.select(*pool, kSelectionStart, tried);
                QVERIFY(selection);
                QVERIFY(std::find(tried.begin(), tried.end(), selection.key->id) == tried.end());
                tried.push_back(selection.key->id);
                selection.key->state->report(KeyOutcome::error(Kind::ClientError), kSelectionStart);
            }
            QVERIFY(!chosen.select(*pool, kSelectionStart, tried));
        }
    }

    void selectionCountsInFlightAndReservesTheLimit()
    {
        auto pool = makePool({1}, {KeyQuota{2, 0, 0}});
        const KeySelector& chosen = selector("round_robin");
        const Selection first = chosen.select(*pool, kSelectionStart);
        const Selection second = chosen.select(*pool, kSelectionStart);
        QVERIFY(first && second);
        QCOMPARE(stateOf(*pool, 0).inFlight(), 2);
        QVERIFY(!chosen.select(*pool, kSelectionStart));
        first.key->state->report(KeyOutcome::success(10), kSelectionStart);
        second.key->state->report(KeyOutcome::error(Kind::ClientAborted), kSelectionStart);
        QCOMPARE(stateOf(*pool, 0).inFlight(), 0);
    }

    void concurrentSelectionsStayWithinLimits_data() { addStrategyRows(); }

    void concurrentSelectionsStayWithinLimits()
    {
        QFETCH(QByteArray, strategy);
        const KeySelector& chosen = selector(strategy.constData());
        auto pool = makePool(std::vector<int>(8, 1), std::vector<KeyQuota>(8, KeyQuota{500, 0, 0}));
        std::vector<std::atomic<int>> perKey(8);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 2000; ++i) {
                    const Selection selection = chosen.select(*pool, kSelectionStart);
                    if (!selection)
                        continue;
                    perKey[size_t(indexOf(*pool, selection))].fetch_add(1);
                    selection.key->state->report(KeyOutcome::success(100), kSelectionStart);
                }
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        for (qsizetype i = 0; i < 8; ++i) {
            QCOMPARE(perKey[size_t(i)].load(), 500);
            QCOMPARE(stateOf(*pool, i).inFlight(), 0);
        }
    }

    void concurrentSelectAndReport_data() { addStrategyRows(); }

    void concurrentSelectAndReport()
    {
        QFETCH(QByteArray, strategy);
        const KeySelector& chosen = selector(strategy.constData());
        auto pool = makePool({3, 1, 2, 1, 1, 5, 1, 2}, std::vector<KeyQuota>(8, KeyQuota{600'000, 10'000'000, 0}));
        std::atomic<qint64> clockMs{0};
        std::atomic<int> selected{0};
        std::atomic<int> reported{0};
        std::atomic<int> selectedTried{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937 random(t);
                std::deque<const PoolKey*> outstanding;
                const auto finishOne = [&](KeyTime now) {
                    const int roll = int(random() % 100);
                    KeyOutcome outcome = KeyOutcome::success(qint64(50 + random() % 200));
                    if (roll < 5)
                        outcome = KeyOutcome::error(Kind::ServerError, QStringLiteral("502"));
                    else if (roll < 8)
                        outcome = KeyOutcome::error(Kind::Timeout, QStringLiteral("timeout"));
                    else if (roll < 10)
                        outcome = KeyOutcome::rateLimited(20, QStringLiteral("429"));
                    else if (roll < 12)
                        outcome = KeyOutcome::error(Kind::ClientAborted);
                    else if (roll < 15)
                        outcome = KeyOutcome::error(Kind::ClientError);
                    const PoolKey* key = outstanding.front();
                    outstanding.pop_front();
                    if (outcome.kind == Kind::Success && key->limits)
                        key->limits->addTokens(qint64(random() % 1000), now);
                    key->state->report(outcome, now);
                    reported.fetch_add(1);
                };
                for (int i = 0; i < 20'000; ++i) {
                    const KeyTime now = kSelectionStart + std::chrono::milliseconds(clockMs.fetch_add(1));
                    std::vector<qint64> tried;
                    if (i % 10 == 0)
                        tried.push_back(qint64(random() % 8 + 1));
                    const Selection selection = chosen.select(*pool, now, tried);
                    if (selection) {
                        if (!tried.empty() && selection.key->id == tried.front())
                            selectedTried.fetch_add(1);
                        selected.fetch_add(1);
                        outstanding.push_back(selection.key);
                    }
                    if (outstanding.size() > 4 || (!selection && !outstanding.empty()))
                        finishOne(now);
                    if (i % 1000 == 0)
                        pool->keys()[size_t(t)].state->snapshot(now); // the admin view races with traffic
                }
                while (!outstanding.empty())
                    finishOne(kSelectionStart + std::chrono::milliseconds(clockMs.load()));
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        QCOMPARE(reported.load(), selected.load());
        QCOMPARE(selectedTried.load(), 0);
        QVERIFY(selected.load() > 40'000);
        for (qsizetype i = 0; i < 8; ++i)
            QCOMPARE(stateOf(*pool, i).inFlight(), 0);
    }
};

GATEHOUSE_TEST_MAIN(TestKeySelector)
#include "TestKeySelector.moc"
