#include "TestRegistry.h"
#include "crypto/Digest.h"

#include <QTest>

class TestDigest : public QObject
{
    Q_OBJECT

private slots:
    void sha256KnownAnswers_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("hexDigest");
        // FIPS 180-2 examples.
        QTest::newRow("empty") << QByteArray()
                               << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        QTest::newRow("abc") << QByteArray("abc")
                             << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    void sha256KnownAnswers()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, hexDigest);
        QCOMPARE(Digest::sha256(input).toHex(), hexDigest);
    }

    void hmacSha256KnownAnswers_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("hexMac");
        // RFC 4231 test cases 1 and 2.
        QTest::newRow("rfc4231 case 1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                                        << QByteArray(
                                               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        QTest::newRow("rfc4231 case 2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                                        << QByteArray(
                                               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    void hmacSha256KnownAnswers()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, hexMac);
        QCOMPARE(Digest::hmacSha256(key, data).toHex(), hexMac);
    }

    void hmacWithEmptyKeyMatchesQt()
    {
        const QByteArray expected =
            QMessageAuthenticationCode::hash("payload", QByteArray(), QCryptographicHash::Sha256);
        QCOMPARE(Digest::hmacSha256(QByteArrayView(), "payload"), expected);
    }
};

GATEHOUSE_TEST_MAIN(TestDigest)
#include "TestDigest.moc"
