#include "TestRegistry.h"
#include "crypto/ConstantTime.h"

#include <QTest>

class TestConstantTime : public QObject
{
    Q_OBJECT

private slots:
    void equals_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("same") << QByteArray("abcdef") << QByteArray("abcdef") << true;
        QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("first byte differs") << QByteArray("xbcdef") << QByteArray("abcdef") << false;
        QTest::newRow("last byte differs") << QByteArray("abcdex") << QByteArray("abcdef") << false;
        QTest::newRow("prefix of the other") << QByteArray("abc") << QByteArray("abcdef") << false;
        QTest::newRow("longer than the other") << QByteArray("abcdef") << QByteArray("abc") << false;
        QTest::newRow("one empty") << QByteArray() << QByteArray("a") << false;
        QTest::newRow("embedded zero bytes") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
        QTest::newRow("high bit") << QByteArray("\x80") << QByteArray("\x00", 1) << false;
    }

    void equals()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        QCOMPARE(constantTimeEquals(a, b), equal);
        QCOMPARE(constantTimeEquals(b, a), equal);
    }
};

GATEHOUSE_TEST_MAIN(TestConstantTime)
#include "TestConstantTime.moc"
