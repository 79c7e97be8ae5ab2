#include "crypto/MasterKey.h"

#include "common/Logging.h"
#include "crypto/Digest.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr qsizetype kMaxFileBytes = 1024; // a key file is 32 raw bytes or < 100 characters of text
const QByteArray kCheckPlaintext = QByteArrayLiteral("gatehouse master key check v1");
const QByteArray kCheckAssociatedData = QByteArrayLiteral("master_key_check");

Error invalid(const QString& where)
{
    return Error::make(QStringLiteral("master_key_invalid"),
                       QStringLiteral("master key in %1 is not 32 bytes given as 64 hex digits or base64 (create one "
                                      "with `openssl rand -base64 32`)")
                           .arg(where));
}

Error ioError(const QString& what, const QString& path, int error)
{
    return Error::make(QStringLiteral("master_key_io"),
                       QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(error))));
}

class FileDescriptor
{
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Reads a key file. `requireOwnerOnly` refuses files that group or others may access (systemd credentials are
// exempt: systemd sets their access itself, possibly through ACLs).
Result<SecureBytes> readKeyFile(const QString& path, bool requireOwnerOnly)
{
    const QByteArray nativePath = QFile::encodeName(path);
    // O_NONBLOCK: a FIFO in place of the key file must not hang the start.
    const FileDescriptor fd(::open(nativePath.constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0)
        return ioError(QStringLiteral("cannot open master key file"), path, errno);
    struct stat status = {};
    if (::fstat(fd.get(), &status) != 0)
        return ioError(QStringLiteral("cannot stat master key file"), path, errno);
    if (!S_ISREG(status.st_mode))
        return Error::make(QStringLiteral("master_key_invalid"),
                           QStringLiteral("master key file %1 is not a regular file").arg(path));
    if (requireOwnerOnly && (status.st_mode & 077) != 0)
        return Error::make(QStringLiteral("master_key_insecure_file"),
                           QStringLiteral("master key file %1 has permissions %2; it must be readable by its owner "
                                          "only (chmod 600 %1)")
                               .arg(path, QString::number(status.st_mode & 0777, 8)));

    SecureBytes buffer(kMaxFileBytes + 1);
    qsizetype total = 0;
    while (total < buffer.size()) {
        const ssize_t n = ::read(fd.get(), buffer.data() + total, size_t(buffer.size() - total));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ioError(QStringLiteral("cannot read master key file"), path, errno);
        if (n == 0)
            break;
        total += n;
    }
    const QByteArrayView content(buffer.data(), total);
    // Raw bytes, e.g. `openssl rand 32 > key`. 32 printable characters are a text key of the wrong length instead
    // (random bytes are all printable with a chance of 1e-14).
    const bool printable = std::all_of(content.begin(), content.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (total == MasterKey::kSize && !printable)
        return SecureBytes(content);
    Result<SecureBytes> parsed = MasterKey::parse(content);
    if (!parsed)
        return Error::make(QStringLiteral("master_key_invalid"),
                           QStringLiteral("master key file %1 holds %2 bytes; it must hold 32 raw bytes, 64 hex "
                                          "digits or base64 of 32 bytes")
                               .arg(path)
                               .arg(total > kMaxFileBytes ? QStringLiteral("more than %1").arg(kMaxFileBytes)
                                                          : QString::number(total)));
    return parsed;
}

// Writes `key` (base64 text) to a new file with mode 0600. The file appears complete or not at all, and an existing
// file is never replaced: if another process created one meanwhile, that one is read instead.
Result<MasterKeyResult> createKeyFile(const QString& path, const SecureBytes& key)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return ioError(QStringLiteral("cannot create directory for master key file"), info.absolutePath(), EACCES);
    const QString temporaryPath = path + QStringLiteral(".tmp-") + Random::token(6);
    const QByteArray nativeTemporary = QFile::encodeName(temporaryPath);
    const QByteArray nativePath = QFile::encodeName(path);

    QByteArray text = QByteArray::fromRawData(key.data(), key.size()).toBase64() + '\n';
    Result<void> written = [&]() -> Result<void> {
        const FileDescriptor fd(::open(nativeTemporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (fd.get() < 0)
            return ioError(QStringLiteral("cannot create master key file"), temporaryPath, errno);
        if (::fchmod(fd.get(), 0600) != 0)
            return ioError(QStringLiteral("cannot set permissions of master key file"), temporaryPath, errno);
        if (::write(fd.get(), text.constData(), size_t(text.size())) != text.size() || ::fsync(fd.get()) != 0)
            return ioError(QStringLiteral("cannot write master key file"), temporaryPath, errno);
        return {};
    }();
    SecureBytes::wipe(text);
    if (!written) {
        ::unlink(nativeTemporary.constData());
        return written.error();
    }
    // link() fails with EEXIST instead of replacing, unlike rename().
    const int linked = ::link(nativeTemporary.constData(), nativePath.constData());
    const int linkError = errno;
    ::unlink(nativeTemporary.constData());
    if (linked != 0 && linkError == EEXIST) {
        Result<SecureBytes> existing = readKeyFile(path, true);
        if (!existing)
            return existing.error();
        return MasterKeyResult{std::move(existing).value(), MasterKeySource::KeyFile, path, false};
    }
    if (linked != 0)
        return ioError(QStringLiteral("cannot create master key file"), path, linkError);
    const FileDescriptor directory(::open(QFile::encodeName(info.absolutePath()).constData(), O_RDONLY | O_CLOEXEC));
    if (directory.get() >= 0)
        ::fsync(directory.get());
    return MasterKeyResult{key, MasterKeySource::KeyFile, path, true};
}

struct KeychainReply
{
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;
};

// Runs a keychain job to its end or the timeout in a local event loop. The job deletes itself when it ends, even
// after a timeout (deleting a running job would leave libsecret calling into freed memory).
KeychainReply runKeychainJob(QKeychain::Job* job, int timeoutMs)
{
    KeychainReply reply;
    QEventLoop loop;
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&reply, &loop](QKeychain::Job* done) {
        reply.finished = true;
        reply.error = done->error();
        reply.errorString = done->errorString();
        if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(done))
            reply.text = read->textData();
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!reply.finished)
        loop.exec();
    if (!reply.finished) {
        reply.error = QKeychain::OtherError;
        reply.errorString = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
    }
    return reply;
}

QString keychainLocation(const MasterKeyOptions& options)
{
    return QStringLiteral("service %1, key %2").arg(options.keychainService, QLatin1String(MasterKey::kKeychainKey));
}

} // namespace

QString MasterKeyResult::describe() const
{
    QString where;
    switch (source) {
    case MasterKeySource::Environment:
        where = QStringLiteral("environment variable %1").arg(location);
        break;
    case MasterKeySource::Credential:
        where = QStringLiteral("systemd credential %1").arg(location);
        break;
    case MasterKeySource::KeyFile:
        where = QStringLiteral("key file %1").arg(location);
        break;
    case MasterKeySource::Keychain:
        where = QStringLiteral("OS keychain (%1)").arg(location);
        break;
    }
    return created ? where + QStringLiteral(" (created)") : where;
}

Result<MasterKeyResult> MasterKey::load(const MasterKeyOptions& options)
{
    if (!options.environmentValue.isEmpty()) {
        QByteArray text = options.environmentValue.toLatin1();
        Result<SecureBytes> key = parse(text);
        SecureBytes::wipe(text);
        if (!key)
            return invalid(QStringLiteral("environment variable %1").arg(QLatin1String(kEnvironmentVariable)));
        return MasterKeyResult{std::move(key).value(), MasterKeySource::Environment,
                               QLatin1String(kEnvironmentVariable), false};
    }

    if (!options.credentialsDirectory.isEmpty()) {
        const QString path = QDir(options.credentialsDirectory).filePath(QLatin1String(kCredentialName));
        if (QFileInfo::exists(path)) {
            Result<SecureBytes> key = readKeyFile(path, false);
            if (!key)
                return key.error();
            return MasterKeyResult{std::move(key).value(), MasterKeySource::Credential, path, false};
        }
    }

    if (!options.keyFilePath.isEmpty() && QFileInfo::exists(options.keyFilePath)) {
        Result<SecureBytes> key = readKeyFile(options.keyFilePath, true);
        if (!key)
            return key.error();
        return MasterKeyResult{std::move(key).value(), MasterKeySource::KeyFile, options.keyFilePath, false};
    }

    bool keychainReachable = false;
    if (options.allowKeychain && QCoreApplication::instance()) {
        auto* job = new QKeychain::ReadPasswordJob(options.keychainService);
        job->setKey(QLatin1String(kKeychainKey));
        KeychainReply reply = runKeychainJob(job, options.keychainTimeoutMs);
        if (reply.error == QKeychain::NoError) {
            QByteArray text = reply.text.toLatin1();
            Result<SecureBytes> key = parse(text);
            SecureBytes::wipe(text);
            if (!key)
                return invalid(QStringLiteral("OS keychain (%1)").arg(keychainLocation(options)));
            return MasterKeyResult{std::move(key).value(), MasterKeySource::Keychain, keychainLocation(options), false};
        }
        keychainReachable = reply.error == QKeychain::EntryNotFound;
        if (!keychainReachable)
            qCInfo(lcCrypto).noquote() << "OS keychain unavailable (error" << int(reply.error) << reply.errorString
                                       << "); not using it for the master key";
    }

    if (!options.createIfMissing)
        return Error::make(QStringLiteral("master_key_missing"),
                           QStringLiteral("no master key found: set %1, or provide the key file %2")
                               .arg(QLatin1String(kEnvironmentVariable), options.keyFilePath.isEmpty()
                                                                             ? QStringLiteral("(none configured)")
                                                                             : options.keyFilePath));

    const SecureBytes key = Random::secureBytes(kSize);
    if (keychainReachable) {
        auto* job = new QKeychain::WritePasswordJob(options.keychainService);
        job->setKey(QLatin1String(kKeychainKey));
        QByteArray text = QByteArray::fromRawData(key.data(), key.size()).toBase64();
        job->setTextData(QString::fromLatin1(text));
        SecureBytes::wipe(text);
        const KeychainReply reply = runKeychainJob(job, options.keychainTimeoutMs);
        if (reply.error == QKeychain::NoError)
            return MasterKeyResult{key, MasterKeySource::Keychain, keychainLocation(options), true};
        qCWarning(lcCrypto).noquote() << "cannot store the master key in the OS keychain:" << reply.errorString;
    }
    if (!options.keyFilePath.isEmpty())
        return createKeyFile(options.keyFilePath, key);
    return Error::make(QStringLiteral("master_key_missing"),
                       QStringLiteral("no master key found and nowhere to create one: set %1 or configure a key file")
                           .arg(QLatin1String(kEnvironmentVariable)));
}

Result<SecureBytes> MasterKey::parse(QByteArrayView text)
{
    const QByteArrayView trimmed = text.trimmed();
    static constexpr auto isHex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    // fromRawData: no unwiped copy of the secret text.
    const QByteArray trimmedText = QByteArray::fromRawData(trimmed.data(), trimmed.size());
    QByteArray decoded;
    if (trimmed.size() == 2 * kSize && std::all_of(trimmed.begin(), trimmed.end(), isHex)) {
        decoded = QByteArray::fromHex(trimmedText);
    } else {
        const bool urlSafe = trimmed.contains('-') || trimmed.contains('_');
        const auto options = (urlSafe ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding) |
                             QByteArray::AbortOnBase64DecodingErrors;
        auto result = QByteArray::fromBase64Encoding(trimmedText, options);
        if (result)
            decoded = std::move(result.decoded);
    }
    if (decoded.size() != kSize) {
        SecureBytes::wipe(decoded);
        return invalid(QStringLiteral("the given text"));
    }
    SecureBytes key(decoded);
    SecureBytes::wipe(decoded);
    return key;
}

QString MasterKey::fingerprint(const SecureBytes& key)
{
    return QString::fromLatin1(
        Digest::hmacSha256(key.view(), QByteArrayLiteral("gatehouse master key fingerprint")).left(8).toHex());
}

QByteArray MasterKey::checkValue(const SecureBytes& key)
{
    return SecretBox(key).seal(kCheckPlaintext, kCheckAssociatedData);
}

Result<void> MasterKey::verifyCheckValue(const SecureBytes& key, QByteArrayView checkValue)
{
    const Result<SecureBytes> opened = SecretBox(key).open(checkValue, kCheckAssociatedData);
    if (!opened || opened->view() != kCheckPlaintext)
        return Error::make(QStringLiteral("master_key_mismatch"),
                           QStringLiteral("the master key (fingerprint %1) is not the one this database was created "
                                          "with: its encrypted secrets cannot be read. Restore the original key.")
                               .arg(fingerprint(key)));
    return {};
}
