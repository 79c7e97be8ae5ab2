// RedisConnection against real redis-servers: the shared one from ./test.sh for plain commands, private ones that
// the tests kill, restart and freeze for the failure paths.
#include "BlockingRedis.h"
#include "RedisServer.h"
#include "TestRegistry.h"

#include "cache/RedisConnection.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

namespace {

RedisConnection::Options shortTimeouts()
{
    RedisConnection::Options options = quickReconnectOptions();
    options.connectTimeoutMs = 1000;
    options.commandTimeoutMs = 500;
    return options;
}

RedisUrl urlOf(const QString& text)
{
    return RedisUrl::parse(text).value();
}

} // namespace

class TestRedisConnection : public QObject
{
    Q_OBJECT

private slots:
    void commandsWork()
    {
        const QString shared = qEnvironmentVariable("GATEHOUSE_TEST_REDIS_URL");
        if (shared.isEmpty())
            QSKIP("GATEHOUSE_TEST_REDIS_URL not set (./test.sh sets it)");
        RedisConnection redis(urlOf(shared), shortTimeouts());
        QSignalSpy connected(&redis, &RedisConnection::connected);
        redis.open();
        QVERIFY(connected.wait());
        QVERIFY(redis.isConnected());
        const QByteArray key = uniqueRedisPrefix() + "k";

        const QByteArray binary("a\0b\r\nc", 6);
        Result<RedisReply> reply = blockingCommand(redis, {"SET", key, binary});
        QVERIFY(reply.ok());
        QCOMPARE(reply->string, QByteArray("OK"));
        reply = blockingCommand(redis, {"GET", key});
        QCOMPARE(reply->type, RedisReply::Type::String);
        QCOMPARE(reply->string, binary);
        reply = blockingCommand(redis, {"GET", key + "-missing"});
        QVERIFY(reply->isNil());
        reply = blockingCommand(redis, {"RPUSH", key + "-list", "x", "y"});
        QCOMPARE(reply->integer, 2);
        reply = blockingCommand(redis, {"LRANGE", key + "-list", "0", "-1"});
        QCOMPARE(reply->type, RedisReply::Type::Array);
        QCOMPARE(reply->elements.size(), 2);
        QCOMPARE(reply->elements[1].string, QByteArray("y"));
        reply = blockingCommand(redis, {"INCR", key}); // not an integer: Redis answers with an error reply
        QVERIFY(reply.ok());
        QVERIFY(reply->isError());
        QVERIFY(reply->string.startsWith("ERR"));
        QVERIFY(blockingCommand(redis, {"DEL", key, key + "-list"}).ok());
    }

    void callbacksRunInOrderAndNeverInsideCommand()
    {
        RedisServer server;
        QVERIFY(server.start());
        RedisConnection redis(urlOf(server.url()), shortTimeouts());
        QSignalSpy connected(&redis, &RedisConnection::connected);
        redis.open();
        QVERIFY(connected.wait());
        QList<qint64> order;
        bool insideCommand = true;
        for (int i = 0; i < 100; ++i) {
            redis.command({"INCR", "n"}, [&order, &insideCommand](const Result<RedisReply>& reply) {
                QVERIFY(!insideCommand);
                order.append(reply->integer);
            });
        }
        insideCommand = false;
        QTRY_COMPARE(order.size(), 100);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(order[i], i + 1);
    }

    void commandTimesOutAndConnectionRecovers()
    {
        RedisServer server;
        QVERIFY(server.start());
        RedisConnection redis(urlOf(server.url()), shortTimeouts());
        QSignalSpy connected(&redis, &RedisConnection::connected);
        QSignalSpy disconnected(&redis, &RedisConnection::disconnected);
        redis.open();
        QVERIFY(connected.wait());

        server.pause(); // hiredis would wait forever: only our timer ends this
        const Result<RedisReply> reply = blockingCommand(redis, {"PING"});
        QVERIFY(!reply.ok());
        QCOMPARE(reply.error().code, QStringLiteral("redis_timeout"));
        QTRY_COMPARE(disconnected.size(), 1);
        QVERIFY(!redis.isConnected());

        server.resume();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10'000);
        QCOMPARE(blockingCommand(redis, {"PING"})->string, QByteArray("PONG"));
    }

    void downAtStartThenComesUp()
    {
        RedisServer server; // port chosen, not started
        RedisConnection redis(urlOf(server.url()), shortTimeouts());
        QSignalSpy connected(&redis, &RedisConnection::connected);
        redis.open();
        QVERIFY(!redis.isConnected());
        const Result<RedisReply> reply = blockingCommand(redis, {"PING"});
        QVERIFY(!reply.ok());
        QCOMPARE(reply.error().code, QStringLiteral("redis_unavailable"));

        QVERIFY(server.start());
        QVERIFY(connected.wait(10'000));
        QCOMPARE(blockingCommand(redis, {"PING"})->string, QByteArray("PONG"));
    }

    void killedMidRunFailsPendingAndReconnects()
    {
        RedisServer server;
        QVERIFY(server.start());
        RedisConnection::Options options = shortTimeouts();
        options.commandTimeoutMs = 10'000; // the kill must end this command, not the timeout
        RedisConnection redis(urlOf(server.url()), options);
        QSignalSpy connected(&redis, &RedisConnection::connected);
        QSignalSpy disconnected(&redis, &RedisConnection::disconnected);
        redis.open();
        QVERIFY(connected.wait());

        std::optional<Result<RedisReply>> pending;
        redis.command({"BLPOP", "never-filled", "0"}, [&pending](const Result<RedisReply>& r) { pending = r; });
        server.kill();
        QTRY_VERIFY(pending.has_value());
        QVERIFY(!pending->ok());
        QCOMPARE(pending->error().code, QStringLiteral("redis_unavailable"));
        QTRY_COMPARE(disconnected.size(), 1);
        QCOMPARE(blockingCommand(redis, {"PING"}).error().code, QStringLiteral("redis_unavailable"));

        QVERIFY(server.start());
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10'000);
        QCOMPARE(blockingCommand(redis, {"SET", "k", "v"})->string, QByteArray("OK"));
    }

    void authenticatesAndSelectsDatabase()
    {
        RedisServer server({QStringLiteral("--requirepass"), QStringLiteral("s3cret")});
        QVERIFY(server.start());
        RedisConnection db3(urlOf(server.url(QStringLiteral("s3cret"), 3)), shortTimeouts());
        RedisConnection db0(urlOf(server.url(QStringLiteral("s3cret"), 0)), shortTimeouts());
        QSignalSpy connected3(&db3, &RedisConnection::connected);
        QSignalSpy connected0(&db0, &RedisConnection::connected);
        db3.open();
        db0.open();
        QVERIFY(connected3.wait());
        QTRY_COMPARE(connected0.size(), 1);
        QCOMPARE(blockingCommand(db3, {"SET", "where", "db3"})->string, QByteArray("OK"));
        QVERIFY(blockingCommand(db0, {"GET", "where"})->isNil());
        QCOMPARE(blockingCommand(db3, {"GET", "where"})->string, QByteArray("db3"));
    }

    void wrongPasswordNeverConnects()
    {
        RedisServer server({QStringLiteral("--requirepass"), QStringLiteral("s3cret")});
        QVERIFY(server.start());
        RedisConnection redis(urlOf(server.url(QStringLiteral("wrong"))), shortTimeouts());
        QSignalSpy connected(&redis, &RedisConnection::connected);
        redis.open();
        QVERIFY(!connected.wait(1000)); // several attempts at 20..200 ms backoff, all refused
        QCOMPARE(blockingCommand(redis, {"PING"}).error().code, QStringLiteral("redis_unavailable"));
    }

    void destroyedFromItsOwnCallback()
    {
        RedisServer server;
        QVERIFY(server.start());
        auto* redis = new RedisConnection(urlOf(server.url()), shortTimeouts());
        QSignalSpy connected(redis, &RedisConnection::connected);
        redis->open();
        QVERIFY(connected.wait());
        QPointer<RedisConnection> watch(redis);
        int calls = 0;
        redis->command({"PING"}, [&calls, redis](const Result<RedisReply>&) {
            ++calls;
            delete redis; // the next callback must not run, and nothing may touch the freed objects
        });
        redis->command({"PING"}, [&calls](const Result<RedisReply>&) { ++calls; });
        QTRY_VERIFY(watch.isNull());
        QCoreApplication::processEvents();
        QCOMPARE(calls, 1);
    }

    void destroyedWhenItNoticesRedisWentAway()
    {
        RedisServer server;
        QVERIFY(server.start());
        auto* redis = new RedisConnection(urlOf(server.url()), shortTimeouts());
        QSignalSpy connected(redis, &RedisConnection::connected);
        QPointer<RedisConnection> watch(redis);
        connect(redis, &RedisConnection::disconnected, redis, [redis] { delete redis; });
        redis->open();
        QVERIFY(connected.wait());
        server.kill();
        QTRY_VERIFY(watch.isNull());
    }

    void destroyedWithCommandsInFlight()
    {
        RedisServer server;
        QVERIFY(server.start());
        auto redis = std::make_unique<RedisConnection>(urlOf(server.url()), shortTimeouts());
        QSignalSpy connected(redis.get(), &RedisConnection::connected);
        redis->open();
        QVERIFY(connected.wait());
        bool called = false;
        redis->command({"BLPOP", "never-filled", "0"}, [&called](const Result<RedisReply>&) { called = true; });
        redis.reset(); // ASan would catch hiredis or the adapter touching freed memory here or below
        QCoreApplication::processEvents();
        QVERIFY(!called);
    }
};

GATEHOUSE_TEST_MAIN(TestRedisConnection)
#include "TestRedisConnection.moc"
