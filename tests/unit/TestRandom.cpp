#include "TestRegistry.h"
#include "crypto/Random.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

class TestRandom : public QObject
{
    Q_OBJECT

private slots:
    void bytesHaveTheRequestedLengthAndDiffer()
    {
        QCOMPARE(Random::bytes(0).size(), 0);
        const QByteArray a = Random::bytes(32);
        const QByteArray b = Random::bytes(32);
        QCOMPARE(a.size(), 32);
        QVERIFY(a != b);
    }

    void secureBytesHaveTheRequestedLengthAndDiffer()
    {
        const SecureBytes a = Random::secureBytes(32);
        const SecureBytes b = Random::secureBytes(32);
        QCOMPARE(a.size(), 32);
        QVERIFY(a.view() != b.view());
    }

    void tokenIsUnpaddedUrlSafeBase64()
    {
        const QString token = Random::token(32);
        QCOMPARE(token.size(), 43);
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]+$")).match(token).hasMatch());
        QCOMPARE(Random::token(3).size(), 4);
    }

    void tokensDoNotRepeat()
    {
        QSet<QString> seen;
        for (int i = 0; i < 1000; ++i)
            seen.insert(Random::token(16));
        QCOMPARE(seen.size(), 1000);
    }

    void base62UsesExactlyTheWholeAlphabet()
    {
        QSet<QChar> seen;
        // 62 letters in 20k draws: the chance that one is missing is below 1e-130.
        const QString text = Random::base62(20'000);
        QCOMPARE(text.size(), 20'000);
        for (const QChar c : text)
            seen.insert(c);
        QCOMPARE(seen.size(), 62);
        for (const QChar c : std::as_const(seen))
            QVERIFY2(c.isLetterOrNumber() && c.unicode() < 128, qPrintable(QString(c)));
    }
};

GATEHOUSE_TEST_MAIN(TestRandom)
#include "TestRandom.moc"
