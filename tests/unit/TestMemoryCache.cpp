#include "TestRegistry.h"
#include "cache/MemoryCache.h"

#include <QTest>

class TestMemoryCache : public QObject
{
    Q_OBJECT

private slots:
    void expiresAfterTtl()
    {
        qint64 now = 1000;
        MemoryCache cache(10, [&now] { return now; });
        cache.set("state", "verifier", 500);
        now = 1499;
        QCOMPARE(cache.value("state"), QByteArray("verifier"));
        now = 1500;
        QCOMPARE(cache.value("state"), std::nullopt);
        QCOMPARE(cache.size(), 0);
    }

    void evictsLeastRecentlyUsed()
    {
        qint64 now = 0;
        MemoryCache cache(2, [&now] { return now; });
        cache.set("a", "1", 60'000);
        cache.set("b", "2", 60'000);
        QVERIFY(cache.value("a")); // a is now the most recently used
        cache.set("c", "3", 60'000);
        QCOMPARE(cache.size(), 2);
        QCOMPARE(cache.value("b"), std::nullopt);
        QCOMPARE(cache.value("a"), QByteArray("1"));
        QCOMPARE(cache.value("c"), QByteArray("3"));
    }

    void setReplacesValueAndTtl()
    {
        qint64 now = 0;
        MemoryCache cache(10, [&now] { return now; });
        cache.set("k", "old", 100);
        cache.set("k", "new", 1000);
        now = 500;
        QCOMPARE(cache.value("k"), QByteArray("new"));
        QCOMPARE(cache.size(), 1);
    }

    void takeIsOneUse()
    {
        MemoryCache cache;
        cache.set("oauth-state", "pkce", 60'000);
        QCOMPARE(cache.takeValue("oauth-state"), QByteArray("pkce"));
        QCOMPARE(cache.takeValue("oauth-state"), std::nullopt);
        cache.set("k", "v", 60'000);
        cache.remove("k");
        QCOMPARE(cache.value("k"), std::nullopt);
    }

    void asyncInterfaceAnswersFromEventLoop()
    {
        MemoryCache cache;
        cache.set("k", "v", 60'000);
        std::optional<QByteArray> answer;
        bool answered = false;
        cache.get("k", [&](std::optional<QByteArray> value) {
            answer = std::move(value);
            answered = true;
        });
        QVERIFY(!answered); // never inside the call
        QTRY_VERIFY(answered);
        QCOMPARE(answer, QByteArray("v"));
    }
};

GATEHOUSE_TEST_MAIN(TestMemoryCache)
#include "TestMemoryCache.moc"
