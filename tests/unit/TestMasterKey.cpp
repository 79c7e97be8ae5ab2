#include "TempDataDir.h"
#include "TestRegistry.h"
#include "crypto/MasterKey.h"
#include "crypto/Random.h"

#include <QSignalSpy>
#include <QTest>

#include <qt6keychain/keychain.h>

#include <memory>

#include <sys/stat.h>

namespace {

const QByteArray kKeyBytes = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

void writeFile(const QString& path, const QByteArray& content, QFile::Permissions permissions)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
    file.close();
    QVERIFY(file.setPermissions(permissions));
}

mode_t modeOf(const QString& path)
{
    struct stat status = {};
    return ::stat(QFile::encodeName(path).constData(), &status) == 0 ? status.st_mode & 0777 : 0;
}

MasterKeyOptions fileOptions(const QString& keyFilePath)
{
    MasterKeyOptions options;
    options.keyFilePath = keyFilePath;
    return options;
}

// Runs a keychain job to its end; false after 10 s. The caller owns the job.
bool runJob(QKeychain::Job* job)
{
    job->setAutoDelete(false);
    QSignalSpy finished(job, &QKeychain::Job::finished);
    job->start();
    return finished.wait(10'000);
}

const QFile::Permissions kOwnerReadWrite = QFile::ReadOwner | QFile::WriteOwner;

} // namespace

class TestMasterKey : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("hex") << kKeyBytes.toHex() << true;
        QTest::newRow("hex upper case") << kKeyBytes.toHex().toUpper() << true;
        QTest::newRow("base64") << kKeyBytes.toBase64() << true;
        QTest::newRow("base64 unpadded") << kKeyBytes.toBase64(QByteArray::OmitTrailingEquals) << true;
        QTest::newRow("base64url") << QByteArray(32, '\xfb').toBase64(QByteArray::Base64UrlEncoding) << true;
        QTest::newRow("trailing newline") << kKeyBytes.toBase64() + "\n" << true;
        QTest::newRow("surrounding spaces") << "  " + kKeyBytes.toHex() + " " << true;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("hex 31 bytes") << kKeyBytes.left(31).toHex() << false;
        QTest::newRow("hex 33 bytes") << (kKeyBytes + "x").toHex() << false;
        QTest::newRow("64 chars not hex") << QByteArray(64, 'g') << false;
        QTest::newRow("hex with 0x") << "0x" + kKeyBytes.toHex() << false;
        QTest::newRow("base64 31 bytes") << kKeyBytes.left(31).toBase64() << false;
        QTest::newRow("base64 33 bytes") << (kKeyBytes + "x").toBase64() << false;
        QTest::newRow("base64 with garbage") << kKeyBytes.toBase64().replace(5, 1, "*") << false;
        QTest::newRow("a passphrase") << QByteArray("correct horse battery staple") << false;
        QTest::newRow("raw bytes") << kKeyBytes << false;
    }

    void parse()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        const Result<SecureBytes> key = MasterKey::parse(text);
        QCOMPARE(key.ok(), valid);
        if (valid)
            QCOMPARE(key->size(), MasterKey::kSize);
        else
            QCOMPARE(key.error().code, QStringLiteral("master_key_invalid"));
    }

    void environmentValueWins()
    {
        TempDataDir dir;
        writeFile(dir.filePath("master.key"), QByteArray(32, 'f'), kOwnerReadWrite);
        MasterKeyOptions options = fileOptions(dir.filePath("master.key"));
        options.environmentValue = QString::fromLatin1(kKeyBytes.toBase64());
        const Result<MasterKeyResult> loaded = MasterKey::load(options);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->key.view(), QByteArrayView(kKeyBytes));
        QCOMPARE(loaded->source, MasterKeySource::Environment);
        QVERIFY(!loaded->created);
        QCOMPARE(loaded->describe(), QStringLiteral("environment variable GATEHOUSE_MASTER_KEY"));
    }

    void badEnvironmentValueIsAnErrorNotAFallback()
    {
        TempDataDir dir;
        MasterKeyOptions options = fileOptions(dir.filePath("master.key"));
        options.environmentValue = QStringLiteral("my-secret-passphrase");
        const Result<MasterKeyResult> loaded = MasterKey::load(options);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("master_key_invalid"));
        QVERIFY(loaded.error().message.contains(QStringLiteral("GATEHOUSE_MASTER_KEY")));
        QVERIFY(!loaded.error().message.contains(options.environmentValue)); // never echo a secret
        QVERIFY(!QFile::exists(options.keyFilePath));
    }

    void firstStartCreatesAnOwnerOnlyKeyFile()
    {
        TempDataDir dir;
        const QString path = dir.filePath("nested/dir/master.key");
        const Result<MasterKeyResult> created = MasterKey::load(fileOptions(path));
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
        QCOMPARE(created->source, MasterKeySource::KeyFile);
        QVERIFY(created->created);
        QCOMPARE(created->location, path);
        QCOMPARE(created->describe(), QStringLiteral("key file %1 (created)").arg(path));
        QCOMPARE(created->key.size(), MasterKey::kSize);
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(QDir(dir.filePath("nested/dir")).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("master.key")}); // no temporary file left behind

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const Result<SecureBytes> onDisk = MasterKey::parse(file.readAll());
        QVERIFY(onDisk.ok());
        QCOMPARE(onDisk->view(), created->key.view());
    }

    void nextStartReusesTheKeyFile()
    {
        TempDataDir dir;
        const QString path = dir.filePath("master.key");
        const Result<MasterKeyResult> first = MasterKey::load(fileOptions(path));
        QVERIFY(first.ok());
        const Result<MasterKeyResult> second = MasterKey::load(fileOptions(path));
        QVERIFY(second.ok());
        QVERIFY(!second->created);
        QCOMPARE(second->source, MasterKeySource::KeyFile);
        QCOMPARE(second->key.view(), first->key.view());
    }

    void keyFileFormats_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("raw 32 bytes") << kKeyBytes;
        QTest::newRow("hex with newline") << kKeyBytes.toHex() + "\n";
        QTest::newRow("base64") << kKeyBytes.toBase64();
    }

    void keyFileFormats()
    {
        QFETCH(QByteArray, content);
        TempDataDir dir;
        writeFile(dir.filePath("master.key"), content, QFile::ReadOwner);
        const Result<MasterKeyResult> loaded = MasterKey::load(fileOptions(dir.filePath("master.key")));
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->key.view(), QByteArrayView(kKeyBytes));
    }

    void keyFileWithBroaderPermissionsIsRefused_data()
    {
        QTest::addColumn<int>("permissions");
        QTest::newRow("0644") << int(kOwnerReadWrite | QFile::ReadGroup | QFile::ReadOther);
        QTest::newRow("0640") << int(kOwnerReadWrite | QFile::ReadGroup);
        QTest::newRow("0604") << int(kOwnerReadWrite | QFile::ReadOther);
        QTest::newRow("0620") << int(kOwnerReadWrite | QFile::WriteGroup);
    }

    void keyFileWithBroaderPermissionsIsRefused()
    {
        QFETCH(int, permissions);
        TempDataDir dir;
        const QString path = dir.filePath("master.key");
        writeFile(path, kKeyBytes.toBase64(), QFile::Permissions(permissions));
        const Result<MasterKeyResult> loaded = MasterKey::load(fileOptions(path));
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("master_key_insecure_file"));
        QVERIFY(loaded.error().message.contains(QStringLiteral("chmod 600")));
        QFile file(path); // left as it was, not replaced
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), kKeyBytes.toBase64());
    }

    void keyFileOfWrongLengthIsRefused_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("31 raw bytes") << kKeyBytes.left(31);
        QTest::newRow("33 raw bytes") << kKeyBytes + "x";
        QTest::newRow("hex of 16 bytes") << kKeyBytes.left(16).toHex(); // 32 characters, but not raw bytes
        QTest::newRow("hex of 16 bytes and newline") << kKeyBytes.left(16).toHex() + "\n";
        QTest::newRow("2 KiB") << QByteArray(2048, 'a');
    }

    void keyFileOfWrongLengthIsRefused()
    {
        QFETCH(QByteArray, content);
        TempDataDir dir;
        writeFile(dir.filePath("master.key"), content, kOwnerReadWrite);
        const Result<MasterKeyResult> loaded = MasterKey::load(fileOptions(dir.filePath("master.key")));
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("master_key_invalid"));
        QVERIFY(loaded.error().message.contains(dir.filePath("master.key")));
    }

    void keyFileThatIsNoRegularFileIsRefused()
    {
        TempDataDir dir;
        const QString path = dir.filePath("master.key");
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0); // would block a plain open()
        const Result<MasterKeyResult> loaded = MasterKey::load(fileOptions(path));
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("master_key_invalid"));
        QVERIFY(loaded.error().message.contains(QStringLiteral("not a regular file")));
    }

    void missingKeyWithoutCreateIsAnError()
    {
        TempDataDir dir;
        MasterKeyOptions options = fileOptions(dir.filePath("master.key"));
        options.createIfMissing = false;
        const Result<MasterKeyResult> loaded = MasterKey::load(options);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("master_key_missing"));
        QVERIFY(!QFile::exists(options.keyFilePath));
    }

    void noSourceAtAllIsAnError()
    {
        const Result<MasterKeyResult> loaded = MasterKey::load(MasterKeyOptions{});
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("master_key_missing"));
    }

    void systemdCredentialComesBeforeTheKeyFile()
    {
        TempDataDir credentials;
        TempDataDir data;
        // systemd decides the credential's access itself; group-readable must not be refused.
        writeFile(credentials.filePath("gatehouse-master-key"), kKeyBytes, QFile::ReadOwner | QFile::ReadGroup);
        writeFile(data.filePath("master.key"), QByteArray(32, 'f'), kOwnerReadWrite);
        MasterKeyOptions options = fileOptions(data.filePath("master.key"));
        options.credentialsDirectory = credentials.path();
        const Result<MasterKeyResult> loaded = MasterKey::load(options);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->source, MasterKeySource::Credential);
        QCOMPARE(loaded->key.view(), QByteArrayView(kKeyBytes));
        QCOMPARE(loaded->location, credentials.filePath("gatehouse-master-key"));
        QVERIFY(loaded->describe().startsWith(QStringLiteral("systemd credential ")));
    }

    void systemdCredentialOfWrongLengthIsRefused()
    {
        TempDataDir credentials;
        writeFile(credentials.filePath("gatehouse-master-key"), "too short", QFile::ReadOwner);
        MasterKeyOptions options;
        options.credentialsDirectory = credentials.path();
        const Result<MasterKeyResult> loaded = MasterKey::load(options);
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("master_key_invalid"));
    }

    void credentialsDirectoryWithoutOurCredentialFallsThrough()
    {
        TempDataDir credentials;
        TempDataDir data;
        writeFile(data.filePath("master.key"), kKeyBytes, kOwnerReadWrite);
        MasterKeyOptions options = fileOptions(data.filePath("master.key"));
        options.credentialsDirectory = credentials.path();
        const Result<MasterKeyResult> loaded = MasterKey::load(options);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->source, MasterKeySource::KeyFile);
    }

    void keychainStoresAndReadsBackTheKey()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session bus (./test.sh runs this inside dbus-run-session with gnome-keyring)");
        // A service name of our own: never touch a developer's real "gatehouse" entry.
        const QString service = QStringLiteral("gatehouse-test-") + Random::token(6);
        // Probe with an entry of our own: a locked keyring answers reads but refuses writes.
        const auto probe = std::make_unique<QKeychain::WritePasswordJob>(service);
        probe->setKey(QStringLiteral("probe"));
        probe->setTextData(QStringLiteral("probe"));
        QVERIFY(runJob(probe.get()));
        if (probe->error() != QKeychain::NoError)
            QSKIP(qPrintable(QStringLiteral("no unlocked Secret Service: %1").arg(probe->errorString())));
        const auto removeProbe = std::make_unique<QKeychain::DeletePasswordJob>(service);
        removeProbe->setKey(QStringLiteral("probe"));
        QVERIFY(runJob(removeProbe.get()));

        TempDataDir dir;
        MasterKeyOptions options = fileOptions(dir.filePath("master.key"));
        options.allowKeychain = true;
        options.keychainService = service;
        const Result<MasterKeyResult> created = MasterKey::load(options);
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
        QCOMPARE(created->source, MasterKeySource::Keychain);
        QVERIFY(created->created);
        QVERIFY(created->describe().startsWith(QStringLiteral("OS keychain (service gatehouse-test-")));
        QVERIFY(!QFile::exists(options.keyFilePath)); // the keychain is preferred for a new key

        const Result<MasterKeyResult> reread = MasterKey::load(options);
        QVERIFY(reread.ok());
        QCOMPARE(reread->source, MasterKeySource::Keychain);
        QVERIFY(!reread->created);
        QCOMPARE(reread->key.view(), created->key.view());

        const auto remove = std::make_unique<QKeychain::DeletePasswordJob>(service);
        remove->setKey(QLatin1String(MasterKey::kKeychainKey));
        QVERIFY(runJob(remove.get()));
        QCOMPARE(remove->error(), QKeychain::NoError);
    }

    void checkValueOpensOnlyUnderTheSameKey()
    {
        const SecureBytes key(kKeyBytes);
        const QByteArray check = MasterKey::checkValue(key);
        QVERIFY(MasterKey::verifyCheckValue(key, check).ok());

        const SecureBytes otherKey(QByteArray(32, 'x'));
        const Result<void> wrong = MasterKey::verifyCheckValue(otherKey, check);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, QStringLiteral("master_key_mismatch"));
        QVERIFY(wrong.error().message.contains(MasterKey::fingerprint(otherKey)));

        QCOMPARE(MasterKey::verifyCheckValue(key, "garbage").error().code, QStringLiteral("master_key_mismatch"));
    }

    void fingerprintIdentifiesAKey()
    {
        const SecureBytes key(kKeyBytes);
        const QString fingerprint = MasterKey::fingerprint(key);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(fingerprint).hasMatch());
        QCOMPARE(MasterKey::fingerprint(SecureBytes(kKeyBytes)), fingerprint);
        QVERIFY(MasterKey::fingerprint(SecureBytes(QByteArray(32, 'x'))) != fingerprint);
        QVERIFY(!kKeyBytes.toHex().contains(fingerprint.toLatin1()));
    }
};

GATEHOUSE_TEST_MAIN(TestMasterKey)
#include "TestMasterKey.moc"
