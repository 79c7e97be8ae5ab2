#include "TestRegistry.h"
#include "common/Logging.h"
#include "common/Result.h"

#include <QTest>

class TestResult : public QObject
{
    Q_OBJECT

private slots:
    void valueAndError()
    {
        Result<int> good(42);
        QVERIFY(good.ok());
        QCOMPARE(*good, 42);
        Result<int> bad(Error::make(QStringLiteral("not_found"), QStringLiteral("no such thing")));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, QStringLiteral("not_found"));
    }

    void redactShowsAtMostAThird()
    {
        QCOMPARE(Logging::redact(QStringLiteral("sk-proj-0123456789abcdef0123")), QStringLiteral("sk-proj-…"));
        QCOMPARE(Logging::redact(QStringLiteral("abcdef")), QStringLiteral("ab…"));
        QCOMPARE(Logging::redact(QString()), QStringLiteral("…"));
    }
};

GATEHOUSE_TEST_MAIN(TestResult)
#include "TestResult.moc"
