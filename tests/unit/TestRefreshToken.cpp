#include "TestRegistry.h"
#include "auth/RefreshToken.h"

#include <QSet>
#include <QTest>

class TestRefreshToken : public QObject
{
    Q_OBJECT

private slots:
    void tokensAreLongUrlSafeAndUnique()
    {
        const QRegularExpression format(QStringLiteral("^[A-Za-z0-9_-]{43}$"));
        QSet<QString> seen;
        for (int i = 0; i < 1000; ++i) {
            const QString token = RefreshToken::generate();
            QVERIFY2(format.match(token).hasMatch(), qPrintable(token));
            seen.insert(token);
        }
        QCOMPARE(seen.size(), 1000);
    }

    void hashIsHexSha256AndDiffersFromTheToken()
    {
        const QString token = RefreshToken::generate();
        const QString hash = RefreshToken::hash(token);
        QCOMPARE(hash,
                 QString::fromLatin1(QCryptographicHash::hash(token.toLatin1(), QCryptographicHash::Sha256).toHex()));
        QVERIFY(!hash.contains(token));
        QCOMPARE(RefreshToken::hash(token), hash);
    }
};

GATEHOUSE_TEST_MAIN(TestRefreshToken)
#include "TestRefreshToken.moc"
