#include "TestRegistry.h"
#include "providers/RateLimitReset.h"

#include <QDateTime>
#include <QTest>

// When a key that answered 429 may be used again, from each provider's own headers.
class TestRateLimitReset : public QObject
{
    Q_OBJECT

private:
    static qint64 resetOf(const QByteArray& name, const QByteArray& value)
    {
        HttpHeaders headers;
        headers.append(name, value);
        return RateLimitReset::fromHeaders(headers);
    }

private slots:
    void readsEachProvidersHeaders_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("expectedMs");
        QTest::newRow("retry-after seconds") << QByteArray("retry-after") << QByteArray("20") << qint64(20'000);
        QTest::newRow("retry-after fraction") << QByteArray("Retry-After") << QByteArray(" 1.5 ") << qint64(1500);
        QTest::newRow("openai minutes") << QByteArray("x-ratelimit-reset-requests") << QByteArray("6m0s")
                                        << qint64(360'000);
        QTest::newRow("openai seconds") << QByteArray("x-ratelimit-reset-requests") << QByteArray("1.5s")
                                        << qint64(1500);
        QTest::newRow("openai milliseconds")
            << QByteArray("x-ratelimit-reset-requests") << QByteArray("250ms") << qint64(250);
        QTest::newRow("openai hours") << QByteArray("x-ratelimit-reset-requests") << QByteArray("1h2m3s")
                                      << qint64(3'723'000);
        QTest::newRow("nothing known") << QByteArray("x-other") << QByteArray("5") << qint64(0);
        QTest::newRow("garbage") << QByteArray("retry-after") << QByteArray("soon") << qint64(0);
    }

    void readsEachProvidersHeaders()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(qint64, expectedMs);
        QCOMPARE(resetOf(name, value), expectedMs);
    }

    // Times: an HTTP date in Retry-After, Anthropic's RFC 3339 reset; a time past is "now".
    void readsTimes()
    {
        const QDateTime in30s = QDateTime::currentDateTimeUtc().addSecs(30);
        const qint64 http = resetOf("retry-after", in30s.toString(Qt::RFC2822Date).toLatin1());
        QVERIFY2(http > 27'000 && http <= 30'000, qPrintable(QString::number(http)));
        const qint64 anthropic =
            resetOf("anthropic-ratelimit-requests-reset", in30s.toString(Qt::ISODateWithMs).toLatin1());
        QVERIFY2(anthropic > 28'000 && anthropic <= 30'000, qPrintable(QString::number(anthropic)));
        QCOMPARE(resetOf("anthropic-ratelimit-requests-reset", "2020-01-01T00:00:00Z"), 0);
    }
};

GATEHOUSE_TEST_MAIN(TestRateLimitReset)
#include "TestRateLimitReset.moc"
