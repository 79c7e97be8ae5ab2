#include "TestRegistry.h"
#include "crypto/PasswordHasher.h"

#include <QTest>

namespace {

QString b64(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::OmitTrailingEquals));
}

} // namespace

class TestPasswordHasher : public QObject
{
    Q_OBJECT

    const PasswordHasher m_defaultCost;
    const PasswordHasher m_lowCost{PasswordHasher::kMinLogN};

private slots:
    void hashIsSelfDescribing()
    {
        const QString stored = m_defaultCost.hash(QStringLiteral("correct horse battery"));
        const QRegularExpression format(
            QStringLiteral(R"(^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$)"));
        QVERIFY2(format.match(stored).hasMatch(), qPrintable(stored));
        QVERIFY(!m_defaultCost.needsRehash(stored));
        QVERIFY(PasswordHasher::verify(QStringLiteral("correct horse battery"), stored));
    }

    // Tests hash at the lowest cost; what they store verifies at any cost, and a gateway at the default cost asks
    // to hash it again.
    void costIsChosenAndNeverBelowTheMinimum()
    {
        const QString stored = m_lowCost.hash(QStringLiteral("correct horse battery"));
        QVERIFY2(stored.startsWith(QLatin1String("$scrypt$ln=10,r=8,p=1$")), qPrintable(stored));
        QVERIFY(PasswordHasher::verify(QStringLiteral("correct horse battery"), stored));
        QVERIFY(!m_lowCost.needsRehash(stored));
        QVERIFY(m_defaultCost.needsRehash(stored));
        QVERIFY(PasswordHasher(4).hash(QStringLiteral("x")).startsWith(QLatin1String("$scrypt$ln=10,")));
    }

    void verifyAcceptsOnlyTheRightPassword()
    {
        const QString stored = m_lowCost.hash(QStringLiteral("correct horse battery"));
        QVERIFY(PasswordHasher::verify(QStringLiteral("correct horse battery"), stored));
        QVERIFY(!PasswordHasher::verify(QStringLiteral("correct horse batterY"), stored));
        QVERIFY(!PasswordHasher::verify(QStringLiteral("correct horse battery "), stored));
        QVERIFY(!PasswordHasher::verify(QString(), stored));
    }

    void samePasswordGetsADifferentSalt()
    {
        const QString a = m_lowCost.hash(QStringLiteral("correct horse battery"));
        const QString b = m_lowCost.hash(QStringLiteral("correct horse battery"));
        QVERIFY(a != b);
        QVERIFY(PasswordHasher::verify(QStringLiteral("correct horse battery"), b));
    }

    // RFC 7914 section 12, third vector (N=1024, r=8, p=16, salt "NaCl"), first 32 bytes of the output; also shows
    // that stored hashes with other parameters still verify.
    void verifiesTheRfc7914Vector()
    {
        const QString stored = QStringLiteral("$scrypt$ln=10,r=8,p=16$%1$%2")
                                   .arg(b64("NaCl"), b64(QByteArray::fromHex("fdbabe1c9d3472007856e7190d01e9fe"
                                                                             "7c6ad7cbc8237830e77376634b373162")));
        QVERIFY(PasswordHasher::verify(QStringLiteral("password"), stored));
        QVERIFY(!PasswordHasher::verify(QStringLiteral("Password"), stored));
        QVERIFY(m_defaultCost.needsRehash(stored));
    }

    void unicodeIsNormalisedBeforeHashing()
    {
        const QString composed = QStringLiteral("Passw\u00f6rter-Gl\u00fcck"); // ö, ü precomposed
        const QString decomposed = QStringLiteral("Passwo\u0308rter-Glu\u0308ck");
        QVERIFY(PasswordHasher::verify(decomposed, m_lowCost.hash(composed)));
    }

    void malformedStoredHashIsRefused_data()
    {
        QTest::addColumn<QString>("stored");
        const QString salt = b64(QByteArray(16, 's'));
        const QString hash = b64(QByteArray(32, 'h'));
        QTest::newRow("empty") << QString();
        QTest::newRow("other scheme") << QStringLiteral("$argon2id$v=19$m=65536,t=3,p=4$%1$%2").arg(salt, hash);
        QTest::newRow("missing hash") << QStringLiteral("$scrypt$ln=15,r=8,p=1$%1").arg(salt);
        QTest::newRow("bad base64") << QStringLiteral("$scrypt$ln=15,r=8,p=1$%1$h*sh").arg(salt);
        QTest::newRow("ln zero") << QStringLiteral("$scrypt$ln=0,r=8,p=1$%1$%2").arg(salt, hash);
        QTest::newRow("memory too large") << QStringLiteral("$scrypt$ln=22,r=16,p=1$%1$%2").arg(salt, hash);
        QTest::newRow("hash too short") << QStringLiteral("$scrypt$ln=15,r=8,p=1$%1$%2").arg(salt, b64("short"));
        QTest::newRow("trailing text") << QStringLiteral("$scrypt$ln=15,r=8,p=1$%1$%2$x").arg(salt, hash);
    }

    void malformedStoredHashIsRefused()
    {
        QFETCH(QString, stored);
        QTest::ignoreMessage(QtWarningMsg, "stored password hash is malformed; refusing the password");
        QVERIFY(!PasswordHasher::verify(QStringLiteral("whatever password"), stored));
        QVERIFY(m_defaultCost.needsRehash(stored));
    }

    void needsRehashWhenParametersDiffer_data()
    {
        QTest::addColumn<QString>("stored");
        QTest::addColumn<bool>("needsRehash");
        const QString salt = b64(QByteArray(16, 's'));
        const QString hash = b64(QByteArray(32, 'h'));
        QTest::newRow("current") << QStringLiteral("$scrypt$ln=15,r=8,p=1$%1$%2").arg(salt, hash) << false;
        QTest::newRow("weaker N") << QStringLiteral("$scrypt$ln=14,r=8,p=1$%1$%2").arg(salt, hash) << true;
        QTest::newRow("stronger N") << QStringLiteral("$scrypt$ln=16,r=8,p=1$%1$%2").arg(salt, hash) << true;
        QTest::newRow("other r") << QStringLiteral("$scrypt$ln=15,r=4,p=1$%1$%2").arg(salt, hash) << true;
        QTest::newRow("short salt") << QStringLiteral("$scrypt$ln=15,r=8,p=1$%1$%2").arg(b64("salt"), hash) << true;
    }

    void needsRehashWhenParametersDiffer()
    {
        QFETCH(QString, stored);
        QFETCH(bool, needsRehash);
        QCOMPARE(m_defaultCost.needsRehash(stored), needsRehash);
    }

    void policy_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("code"); // empty = accepted
        QTest::newRow("empty") << QString() << QStringLiteral("password_too_short");
        QTest::newRow("9 characters") << QStringLiteral("123456789") << QStringLiteral("password_too_short");
        QTest::newRow("10 characters") << QStringLiteral("1234567890") << QString();
        // Emoji take two UTF-16 units each but count as one character.
        QTest::newRow("9 emoji") << QStringLiteral("\U0001F511").repeated(9) << QStringLiteral("password_too_short");
        QTest::newRow("10 emoji") << QStringLiteral("\U0001F511").repeated(10) << QString();
        QTest::newRow("1024 characters") << QString(1024, u'x') << QString();
        QTest::newRow("1025 characters") << QString(1025, u'x') << QStringLiteral("password_too_long");
    }

    void policy()
    {
        QFETCH(QString, password);
        QFETCH(QString, code);
        const Result<void> checked = PasswordHasher::checkPolicy(password);
        QCOMPARE(checked.ok() ? QString() : checked.error().code, code);
        if (!checked.ok())
            QVERIFY(checked.error().message.contains(QStringLiteral("characters")));
    }
};

GATEHOUSE_TEST_MAIN(TestPasswordHasher)
#include "TestPasswordHasher.moc"
