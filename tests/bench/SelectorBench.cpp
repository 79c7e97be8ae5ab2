// Cost of one key selection (select + report, as a proxy request does them) per strategy and pool size, on one
// thread and on two threads sharing the pool, with and without per-key limits.
#include "balance/KeySelector.h"

#include <QString>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <memory>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr auto kRunTime = 300ms;

// CPU time of the calling thread: the machine is shared, so wall time would count other processes' turns.
double threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

std::unique_ptr<KeyPool> makePool(int size, bool limited)
{
    std::vector<PoolKey> keys;
    for (int i = 0; i < size; ++i) {
        PoolKey key{i + 1, 1 + i % 5, std::make_shared<KeyState>(i + 1), nullptr, {}};
        // High enough never to refuse at the simulated rate below, so the reservation path is what is timed.
        if (limited)
            key.limits = std::make_shared<KeyLimits>(KeyQuota{100'000'000, 1'000'000'000, 10'000'000'000});
        keys.push_back(key);
    }
    return std::make_unique<KeyPool>(std::move(keys));
}

// Runs select + report until the time is up; returns this thread's CPU nanoseconds per selection.
double run(const KeySelector& selector, const KeyPool& pool, const std::atomic<bool>& go)
{
    while (!go.load())
        std::this_thread::yield();
    // Simulated time moves 50 us per request, so latency samples stay fresh and limits refill.
    KeyTime now = std::chrono::steady_clock::now();
    quint64 count = 0;
    quint64 failures = 0;
    const double startCpuNs = threadCpuNs();
    const auto end = std::chrono::steady_clock::now() + kRunTime;
    while (true) {
        for (int i = 0; i < 1024; ++i) {
            const Selection selection = selector.select(pool, now);
            if (!selection) {
                ++failures;
                continue;
            }
            const qint64 latency = 100 + (selection.key->id * 7 + qint64(count)) % 40;
            selection.key->state->report(KeyOutcome::success(latency), now);
            now += 50us;
            ++count;
        }
        if (std::chrono::steady_clock::now() >= end)
            break;
    }
    const double elapsedNs = threadCpuNs() - startCpuNs;
    if (failures > 0)
        std::fprintf(stderr, "unexpected: %llu selections found no key\n", static_cast<unsigned long long>(failures));
    return elapsedNs / double(count + failures);
}

double measure(const char* strategy, int size, int threads, bool limited)
{
    const KeySelector& selector = *KeySelector::forStrategy(QString::fromLatin1(strategy));
    auto pool = makePool(size, limited);
    std::atomic<bool> go{false};
    std::vector<double> results(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] { results[size_t(t)] = run(selector, *pool, go); });
    go.store(true);
    for (std::thread& worker : workers)
        worker.join();
    double sum = 0;
    for (double result : results)
        sum += result;
    return sum / threads;
}

} // namespace

int main()
{
    std::printf("CPU ns per selection (select + report), %d ms per cell; 2 threads: each thread's cost, pool shared\n",
                int(std::chrono::milliseconds(kRunTime).count()));
    std::printf("%-12s %5s %10s %10s %12s %12s\n", "strategy", "keys", "1 thread", "2 threads", "1t limits",
                "2t limits");
    for (const char* strategy : {"round_robin", "weighted", "health_best", "smart"}) {
        for (int size : {2, 8, 64}) {
            std::printf("%-12s %5d %10.1f %10.1f %12.1f %12.1f\n", strategy, size, measure(strategy, size, 1, false),
                        measure(strategy, size, 2, false), measure(strategy, size, 1, true),
                        measure(strategy, size, 2, true));
            std::fflush(stdout);
        }
    }
    return 0;
}
