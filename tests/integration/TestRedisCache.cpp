// RedisCache shared by two "instances" through a real redis-server, and its fallback to memory while Redis is away.
#include "BlockingRedis.h"
#include "RedisServer.h"
#include "TestRegistry.h"

#include "cache/RedisCache.h"
#include "cache/RedisConnection.h"

#include <QSignalSpy>
#include <QTest>

namespace {

std::optional<QByteArray> wait(const std::function<void(Cache::ValueCallback)>& call)
{
    std::optional<std::optional<QByteArray>> answer;
    call([&answer](std::optional<QByteArray> value) { answer = std::move(value); });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
        return QByteArray("<no answer>");
    return *answer;
}

std::optional<QByteArray> get(Cache& cache, const QByteArray& key)
{
    return wait([&](Cache::ValueCallback done) { cache.get(key, std::move(done)); });
}

std::optional<QByteArray> take(Cache& cache, const QByteArray& key)
{
    return wait([&](Cache::ValueCallback done) { cache.take(key, std::move(done)); });
}

struct CacheInstance
{
    CacheInstance(const QString& url, const QByteArray& prefix)
        : redis(RedisUrl::parse(url).value(), quickReconnectOptions()), cache(&redis, prefix)
    {
        redis.open();
    }
    RedisConnection redis;
    RedisCache cache;
};

} // namespace

class TestRedisCache : public QObject
{
    Q_OBJECT

private slots:
    void sharedAcrossInstances()
    {
        const QString shared = qEnvironmentVariable("GATEHOUSE_TEST_REDIS_URL");
        if (shared.isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        const QByteArray prefix = uniqueRedisPrefix();
        CacheInstance a(shared, prefix);
        CacheInstance b(shared, prefix);
        QTRY_VERIFY(a.redis.isConnected() && b.redis.isConnected());

        a.cache.set("oauth:state-1", "verifier-1", 60'000);
        QCOMPARE(get(b.cache, "oauth:state-1"), QByteArray("verifier-1"));
        QCOMPARE(take(b.cache, "oauth:state-1"), QByteArray("verifier-1"));
        QCOMPARE(take(a.cache, "oauth:state-1"), std::nullopt); // one use across all instances
        QCOMPARE(get(a.cache, "missing"), std::nullopt);

        a.cache.set("short", "v", 50);
        QTRY_COMPARE(get(b.cache, "short"), std::nullopt); // Redis expired it

        a.cache.set("gone", "v", 60'000);
        a.cache.remove("gone");
        QCOMPARE(get(b.cache, "gone"), std::nullopt);
    }

    void fallsBackToMemoryWhileRedisIsAway()
    {
        RedisServer server;
        QVERIFY(server.start());
        const QByteArray prefix = uniqueRedisPrefix();
        CacheInstance a(server.url(), prefix);
        CacheInstance b(server.url(), prefix);
        QTRY_VERIFY(a.redis.isConnected() && b.redis.isConnected());

        server.kill();
        QTRY_VERIFY(!a.redis.isConnected());
        a.cache.set("oauth:state-2", "verifier-2", 60'000);
        QCOMPARE(get(a.cache, "oauth:state-2"), QByteArray("verifier-2")); // served from memory
        QCOMPARE(get(b.cache, "oauth:state-2"), std::nullopt);             // the other instance cannot know

        QVERIFY(server.start());
        QTRY_VERIFY_WITH_TIMEOUT(a.redis.isConnected() && b.redis.isConnected(), 10'000);
        QCOMPARE(get(a.cache, "oauth:state-2"), QByteArray("verifier-2")); // Redis has nothing: memory still does
        QCOMPARE(take(a.cache, "oauth:state-2"), QByteArray("verifier-2"));
        QCOMPARE(get(a.cache, "oauth:state-2"), std::nullopt);

        a.cache.set("after", "shared-again", 60'000);
        QCOMPARE(get(b.cache, "after"), QByteArray("shared-again"));
    }
};

GATEHOUSE_TEST_MAIN(TestRedisCache)
#include "TestRedisCache.moc"
