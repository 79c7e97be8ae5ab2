#include "TestRegistry.h"
#include "crypto/SecretBox.h"

#include <QTest>

namespace {

SecureBytes keyOf(char fill)
{
    return SecureBytes(QByteArray(SecretBox::kKeySize, fill));
}

QByteArray decoded(const QByteArray& sealed)
{
    return QByteArray::fromBase64(sealed);
}

} // namespace

class TestSecretBox : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::addColumn<QByteArray>("associatedData");
        QTest::newRow("provider key") << QByteArray("sk-proj-abcdef0123456789") << QByteArray("provider_key:42");
        QTest::newRow("empty plaintext") << QByteArray() << QByteArray("provider_key:1");
        QTest::newRow("empty associated data") << QByteArray("secret") << QByteArray();
        QTest::newRow("binary 1 MiB") << QByteArray(1024 * 1024, '\xfe') << QByteArray("oauth:7");
    }

    void roundTrip()
    {
        QFETCH(QByteArray, plaintext);
        QFETCH(QByteArray, associatedData);
        const SecretBox box(keyOf('k'));
        const QByteArray sealed = box.seal(plaintext, associatedData);
        const Result<SecureBytes> opened = box.open(sealed, associatedData);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(opened->view(), QByteArrayView(plaintext));
    }

    void sealedFormIsBase64OfVersionNonceCiphertextTag()
    {
        const SecretBox box(keyOf('k'));
        const QByteArray plaintext("sk-ant-0123456789");
        const QByteArray sealed = box.seal(plaintext, "provider_key:42");
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9+/]+=*$")).match(QString::fromLatin1(sealed)).hasMatch());
        const QByteArray raw = decoded(sealed);
        QCOMPARE(raw.size(), 1 + SecretBox::kNonceSize + plaintext.size() + SecretBox::kTagSize);
        QCOMPARE(raw[0], SecretBox::kVersion);
        QVERIFY(!raw.contains(plaintext));
    }

    void everySealUsesAFreshNonce()
    {
        const SecretBox box(keyOf('k'));
        const QByteArray a = decoded(box.seal("same", "ad"));
        const QByteArray b = decoded(box.seal("same", "ad"));
        QVERIFY(a.mid(1, SecretBox::kNonceSize) != b.mid(1, SecretBox::kNonceSize));
        QVERIFY(a != b);
    }

    // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, 96-bit IV, with AAD), packed
    // into our format: proves the box is plain AES-256-GCM with the documented layout.
    void opensAPublishedGcmTestVector()
    {
        const QByteArray key = QByteArray::fromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        const QByteArray nonce = QByteArray::fromHex("cafebabefacedbaddecaf888");
        const QByteArray plaintext = QByteArray::fromHex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5"
            "aa0de657ba637b39");
        const QByteArray associatedData = QByteArray::fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        const QByteArray ciphertext = QByteArray::fromHex(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e63"
            "93ba7a0abcc9f662");
        const QByteArray tag = QByteArray::fromHex("76fc6ece0f4e1768cddf8853bb2d551b");

        const SecretBox box{SecureBytes(key)};
        const QByteArray sealed = (QByteArray(1, SecretBox::kVersion) + nonce + ciphertext + tag).toBase64();
        const Result<SecureBytes> opened = box.open(sealed, associatedData);
        QVERIFY(opened.ok());
        QCOMPARE(opened->view(), QByteArrayView(plaintext));
    }

    void tamperingFails_data()
    {
        QTest::addColumn<int>("offset"); // into the raw box; negative counts from the end
        QTest::newRow("nonce") << 1;
        QTest::newRow("first ciphertext byte") << 1 + int(SecretBox::kNonceSize);
        QTest::newRow("last ciphertext byte") << -int(SecretBox::kTagSize) - 1;
        QTest::newRow("first tag byte") << -int(SecretBox::kTagSize);
        QTest::newRow("last tag byte") << -1;
    }

    void tamperingFails()
    {
        QFETCH(int, offset);
        const SecretBox box(keyOf('k'));
        QByteArray raw = decoded(box.seal("sk-proj-secret", "provider_key:42"));
        raw[offset >= 0 ? offset : raw.size() + offset] ^= 0x01;
        const Result<SecureBytes> opened = box.open(raw.toBase64(), "provider_key:42");
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, QStringLiteral("sealed_authentication_failed"));
    }

    void wrongKeyFails()
    {
        const QByteArray sealed = SecretBox(keyOf('a')).seal("sk-proj-secret", "provider_key:42");
        const Result<SecureBytes> opened = SecretBox(keyOf('b')).open(sealed, "provider_key:42");
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, QStringLiteral("sealed_authentication_failed"));
        QVERIFY(opened.error().message.contains(QStringLiteral("wrong master key")));
    }

    void wrongAssociatedDataFails_data()
    {
        QTest::addColumn<QByteArray>("associatedData");
        QTest::newRow("other record") << QByteArray("provider_key:43");
        QTest::newRow("other table") << QByteArray("oauth:42");
        QTest::newRow("none") << QByteArray();
    }

    void wrongAssociatedDataFails()
    {
        QFETCH(QByteArray, associatedData);
        const SecretBox box(keyOf('k'));
        const Result<SecureBytes> opened = box.open(box.seal("sk-proj-secret", "provider_key:42"), associatedData);
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, QStringLiteral("sealed_authentication_failed"));
    }

    void malformedInputFails_data()
    {
        QTest::addColumn<QByteArray>("sealed");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("sealed_malformed");
        QTest::newRow("not base64") << QByteArray("not*base64!") << QStringLiteral("sealed_malformed");
        QTest::newRow("too short") << QByteArray(28, '\x01').toBase64() << QStringLiteral("sealed_malformed");
        QTest::newRow("unknown version") << (QByteArray(1, '\x02') + QByteArray(40, 'x')).toBase64()
                                         << QStringLiteral("sealed_unsupported_version");
    }

    void malformedInputFails()
    {
        QFETCH(QByteArray, sealed);
        QFETCH(QString, code);
        const Result<SecureBytes> opened = SecretBox(keyOf('k')).open(sealed, "ad");
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, code);
    }
};

GATEHOUSE_TEST_MAIN(TestSecretBox)
#include "TestSecretBox.moc"
