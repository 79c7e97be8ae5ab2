#include "TestRegistry.h"
#include "cache/RedisUrl.h"

#include <QTest>

class TestRedisUrl : public QObject
{
    Q_OBJECT

private slots:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("db");
        QTest::newRow("plain") << "redis://127.0.0.1:6380/0"
                               << "127.0.0.1" << 6380 << "" << 0;
        QTest::newRow("default port, no db") << "redis://cache.internal"
                                             << "cache.internal" << 6379 << "" << 0;
        QTest::newRow("password and db") << "redis://:s3cr%40t@10.0.0.5:7000/3"
                                         << "10.0.0.5" << 7000 << "s3cr@t" << 3;
    }
    void parses()
    {
        QFETCH(QString, text);
        const Result<RedisUrl> url = RedisUrl::parse(text);
        QVERIFY2(url.ok(), qPrintable(url.ok() ? QString() : url.error().message));
        QTEST(url->host, "host");
        QTEST(url->port, "port");
        QTEST(url->password, "password");
        QTEST(url->db, "db");
        QVERIFY(!url->toDisplayString().contains(QStringLiteral("s3cr")));
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("scheme") << "http://127.0.0.1:6379";
        QTest::newRow("no host") << "redis:///0";
        QTest::newRow("db not a number") << "redis://127.0.0.1:6379/cache";
        QTest::newRow("negative db") << "redis://127.0.0.1:6379/-1";
    }
    void rejects()
    {
        QFETCH(QString, text);
        const Result<RedisUrl> url = RedisUrl::parse(text);
        QVERIFY(!url.ok());
        QCOMPARE(url.error().code, QStringLiteral("invalid_argument"));
    }
};

GATEHOUSE_TEST_MAIN(TestRedisUrl)
#include "TestRedisUrl.moc"
