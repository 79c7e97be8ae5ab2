#include "TestRegistry.h"
#include "auth/GatewayKeyCodec.h"

#include <QSet>
#include <QTest>

class TestGatewayKeyCodec : public QObject
{
    Q_OBJECT

private slots:
    void generatedKeysHaveTheDocumentedFormat()
    {
        const QRegularExpression format(QStringLiteral("^gh-[0-9A-Za-z]{40}$"));
        for (int i = 0; i < 100; ++i) {
            const QString key = GatewayKeyCodec::generate();
            QVERIFY2(format.match(key).hasMatch(), qPrintable(key));
            QVERIFY(GatewayKeyCodec::looksLikeGatewayKey(key));
        }
    }

    void generatedKeysDoNotRepeat()
    {
        QSet<QString> keys;
        for (int i = 0; i < 1000; ++i)
            keys.insert(GatewayKeyCodec::generate());
        QCOMPARE(keys.size(), 1000);
    }

    void hashIsHexSha256OfTheKey()
    {
        const QByteArray key = "gh-0123456789abcdefghijABCDEFGHIJ0123456789";
        const QByteArray expected = QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex();
        QCOMPARE(GatewayKeyCodec::hash(key), expected);
        QCOMPARE(GatewayKeyCodec::hash(key).size(), 64);
        QVERIFY(GatewayKeyCodec::hash(key) != GatewayKeyCodec::hash(key.chopped(1) + '0'));
        QCOMPARE(GatewayKeyCodec::hash(key), GatewayKeyCodec::hash(key)); // the same on every call
        QCOMPARE(GatewayKeyCodec::digest(key),
                 QByteArray::fromHex(GatewayKeyCodec::hash(key))); // what requests look up
    }

    void prefixIsTheFirstTenCharacters()
    {
        QCOMPARE(GatewayKeyCodec::prefix(QStringLiteral("gh-0123456789abcdefghijABCDEFGHIJ0123456789")),
                 QStringLiteral("gh-0123456"));
        const QString key = GatewayKeyCodec::generate();
        QVERIFY(key.startsWith(GatewayKeyCodec::prefix(key)));
    }

    void looksLikeGatewayKey_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("looksLikeKey");
        const QString body = QStringLiteral("0123456789abcdefghijABCDEFGHIJ0123456789");
        QTest::newRow("valid") << QStringLiteral("gh-") + body << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("prefix only") << QStringLiteral("gh-") << false;
        QTest::newRow("one short") << QStringLiteral("gh-") + body.chopped(1) << false;
        QTest::newRow("one long") << QStringLiteral("gh-") + body + u'x' << false;
        QTest::newRow("other prefix") << QStringLiteral("sk-") + body << false;
        QTest::newRow("upper-case prefix") << QStringLiteral("GH-") + body << false;
        QTest::newRow("dash inside") << QStringLiteral("gh-") + body.chopped(1) + u'-' << false;
        QTest::newRow("non-ascii letter") << QStringLiteral("gh-") + body.chopped(1) + u'\u00e9' << false;
        QTest::newRow("openai key") << QStringLiteral("sk-proj-abcdefghijklmnopqrstuvwxyz0123") << false;
    }

    void looksLikeGatewayKey()
    {
        QFETCH(QString, text);
        QFETCH(bool, looksLikeKey);
        QCOMPARE(GatewayKeyCodec::looksLikeGatewayKey(text), looksLikeKey);
    }
};

GATEHOUSE_TEST_MAIN(TestGatewayKeyCodec)
#include "TestGatewayKeyCodec.moc"
