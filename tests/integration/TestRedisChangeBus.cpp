// ChangeBus between two "instances" (each with its own connections) over a real redis-server, including a restart.
#include "BlockingRedis.h"
#include "RedisServer.h"
#include "TestRegistry.h"

#include "cache/ChangeBus.h"
#include "cache/RedisConnection.h"

#include <QSignalSpy>
#include <QTest>

namespace {

// One gateway instance's view: its command connection and its bus.
struct BusInstance
{
    explicit BusInstance(const QString& url)
        : redis(RedisUrl::parse(url).value(), quickReconnectOptions()), bus(&redis),
          subscribed(&bus, &ChangeBus::subscribed), received(&bus, &ChangeBus::messageReceived)
    {
        redis.open();
        bus.subscribe("gatehouse.changes");
    }

    RedisConnection redis;
    ChangeBus bus;
    QSignalSpy subscribed;
    QSignalSpy received;
};

} // namespace

class TestRedisChangeBus : public QObject
{
    Q_OBJECT

private slots:
    void reachesEveryInstance()
    {
        RedisServer server;
        QVERIFY(server.start());
        BusInstance a(server.url());
        BusInstance b(server.url());
        QTRY_COMPARE(a.subscribed.size(), 1);
        QTRY_COMPARE(b.subscribed.size(), 1);
        QTRY_VERIFY(a.redis.isConnected());

        a.bus.publish("gatehouse.changes", "gateway_key:42");
        a.bus.publish("other.channel", "ignored");
        QTRY_COMPARE(b.received.size(), 1);
        QTRY_COMPARE(a.received.size(), 1); // the publisher hears its own change too
        QCOMPARE(b.received[0][0].toByteArray(), QByteArray("gatehouse.changes"));
        QCOMPARE(b.received[0][1].toByteArray(), QByteArray("gateway_key:42"));
    }

    void resubscribesAfterRedisRestart()
    {
        RedisServer server;
        QVERIFY(server.start());
        BusInstance a(server.url());
        BusInstance b(server.url());
        QTRY_COMPARE(b.subscribed.size(), 1);
        QTRY_VERIFY(a.redis.isConnected());

        server.kill();
        QTRY_VERIFY(!a.redis.isConnected());
        QVERIFY(server.start());
        QTRY_COMPARE_WITH_TIMEOUT(b.subscribed.size(), 2, 10'000); // told: messages may have been missed
        QTRY_VERIFY_WITH_TIMEOUT(a.redis.isConnected(), 10'000);

        a.bus.publish("gatehouse.changes", "provider_key:7");
        QTRY_COMPARE(b.received.size(), 1);
        QCOMPARE(b.received[0][1].toByteArray(), QByteArray("provider_key:7"));
    }

    void deliveredLocallyWhileRedisIsAway()
    {
        RedisServer server; // never started
        BusInstance a(server.url());
        a.bus.publish("gatehouse.changes", "user:3");
        QTRY_COMPARE(a.received.size(), 1);
        QCOMPARE(a.received[0][1].toByteArray(), QByteArray("user:3"));
    }

    void withoutRedisStaysInProcess()
    {
        ChangeBus bus(nullptr);
        QSignalSpy subscribed(&bus, &ChangeBus::subscribed);
        QSignalSpy received(&bus, &ChangeBus::messageReceived);
        bus.subscribe("gatehouse.changes");
        QVERIFY(subscribed.wait());
        bus.publish("gatehouse.changes", "settings");
        bus.publish("not.subscribed", "x");
        QTRY_COMPARE(received.size(), 1);
        QCOMPARE(received[0][1].toByteArray(), QByteArray("settings"));
    }
};

GATEHOUSE_TEST_MAIN(TestRedisChangeBus)
#include "TestRedisChangeBus.moc"
