#include "app/MasterKeyRotation.h"

#include "app/GatewayService.h"
#include "common/Actor.h"
#include "common/Logging.h"
#include "crypto/MasterKey.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "storage/AuditLog.h"
#include "storage/ChangeCounter.h"
#include "storage/Database.h"
#include "storage/Migrator.h"
#include "storage/SealedColumns.h"
#include "storage/SettingsStore.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace MasterKeyRotation {
namespace {

const QString kCheckSetting = QLatin1String(GatewayService::kMasterKeyCheckSetting);
// The settings sealed at rest, with the associated data they were sealed with (service/AuthService).
const QList<QPair<QString, QByteArray>> kSealedSettings{{QStringLiteral("jwt_secret"), "setting:jwt_secret"}};

Error rotationError(const QString& message)
{
    return Error::make(QStringLiteral("rotation_failed"), message);
}

QString nextPath(const QString& keyFilePath)
{
    return keyFilePath + QStringLiteral(".next");
}

// The directory entry of a new or renamed file, on disk: a crash must not lose the only copy of a new key.
void syncDirectoryOf(const QString& path)
{
    const int fd = ::open(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Owner-only from its first byte (a new file: a leftover of a failed attempt is removed first), on disk before it is
// used.
Result<void> writeKeyFile(const QString& path, const SecureBytes& key)
{
    const QByteArray name = QFile::encodeName(path);
    ::unlink(name.constData());
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return rotationError(QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
    QByteArray raw = key.view().toByteArray();
    QByteArray text = raw.toHex();
    SecureBytes::wipe(raw);
    text.append('\n');
    const bool written = ::write(fd, text.constData(), size_t(text.size())) == text.size() && ::fsync(fd) == 0;
    SecureBytes::wipe(text);
    ::close(fd);
    if (!written)
        return rotationError(QStringLiteral("cannot write %1").arg(path));
    syncDirectoryOf(path);
    return {};
}

Result<SecureBytes> readKeyFile(const QString& path);

// master.key -> master.key.previous-<its fingerprint> (kept for the backups taken under it; one per rotation),
// master.key.next -> master.key: each rename atomic, the key file missing only between the two.
Result<void> promoteNext(const QString& keyFilePath)
{
    auto old = readKeyFile(keyFilePath);
    const QString fingerprint = old ? MasterKey::fingerprint(*old) : QStringLiteral("unknown");
    const QByteArray current = QFile::encodeName(keyFilePath);
    const QByteArray previous = QFile::encodeName(keyFilePath + QStringLiteral(".previous-") + fingerprint);
    const QByteArray next = QFile::encodeName(nextPath(keyFilePath));
    if (::rename(current.constData(), previous.constData()) != 0 && errno != ENOENT)
        return rotationError(QStringLiteral("cannot keep the old key as %1: %2")
                                 .arg(QString::fromLocal8Bit(previous), QString::fromLocal8Bit(strerror(errno))));
    if (::rename(next.constData(), current.constData()) != 0)
        return rotationError(QStringLiteral("cannot move the new key to %1: %2")
                                 .arg(keyFilePath, QString::fromLocal8Bit(strerror(errno))));
    syncDirectoryOf(keyFilePath);
    return {};
}

Result<SecureBytes> readKeyFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return rotationError(QStringLiteral("cannot read %1").arg(path));
    QByteArray text = file.readAll();
    auto key = MasterKey::parse(text);
    SecureBytes::wipe(text);
    return key;
}

} // namespace

Result<int> resealAll(Database& database, const SecureBytes& current, const SecureBytes& next)
{
    // First, so that on PostgreSQL a change sealing a secret meanwhile (it reads this row FOR SHARE) either committed
    // before the rows below are read, or waits for this commit and then follows the new key.
    if (database.kind() == Database::Kind::Postgresql) {
        if (auto locked =
                database.exec(QStringLiteral("SELECT value FROM settings WHERE key = ? FOR UPDATE"), {kCheckSetting});
            !locked)
            return locked.error();
    }
    const SecretBox from(current);
    const SecretBox to(next);
    int count = 0;
    const auto reseal = [&](QByteArrayView sealed, const QByteArray& associatedData) -> Result<QByteArray> {
        auto opened = from.open(sealed, associatedData);
        if (!opened)
            return rotationError(QStringLiteral("%1 cannot be opened with the current key: %2")
                                     .arg(QString::fromLatin1(associatedData), opened.error().message));
        ++count;
        return to.seal(opened->view(), associatedData);
    };

    for (const SealedColumn& sealedColumn : SealedColumns::kAll) {
        const QString table = QLatin1String(sealedColumn.table);
        const QString column = QLatin1String(sealedColumn.column);
        auto rows = database.exec(QStringLiteral("SELECT id, %1 FROM %2 WHERE %1 IS NOT NULL").arg(column, table));
        if (!rows)
            return rows.error();
        QList<QPair<qint64, QByteArray>> values;
        while (rows->next())
            values.append({rows->value(0).toLongLong(), rows->value(1).toByteArray()});
        rows->finish();
        for (const auto& [id, sealed] : values) {
            auto resealed = reseal(sealed, sealedColumn.associatedData(id));
            if (!resealed)
                return resealed.error();
            if (auto stored = database.exec(QStringLiteral("UPDATE %1 SET %2 = ? WHERE id = ?").arg(table, column),
                                            {*resealed, id});
                !stored)
                return stored.error();
        }
    }

    SettingsStore settings(database);
    for (const auto& [name, associatedData] : kSealedSettings) {
        auto value = settings.value(name);
        if (!value)
            return value.error();
        if (!value->has_value())
            continue;
        auto resealed = reseal(value->value().toLatin1(), associatedData);
        if (!resealed)
            return resealed.error();
        if (auto stored = settings.setValue(name, QString::fromLatin1(*resealed)); !stored)
            return stored.error();
    }

    if (auto stored = settings.setValue(kCheckSetting, QString::fromLatin1(MasterKey::checkValue(next))); !stored)
        return stored.error();
    return count;
}

bool finishInterrupted(Database& database, const QString& keyFilePath)
{
    if (!QFile::exists(nextPath(keyFilePath)))
        return false;
    auto check = SettingsStore(database).value(kCheckSetting);
    auto next = readKeyFile(nextPath(keyFilePath));
    if (!check || !check->has_value() || !next || !MasterKey::verifyCheckValue(*next, check->value().toLatin1()))
        return false;
    if (auto promoted = promoteNext(keyFilePath); !promoted) {
        qCCritical(lcCrypto).noquote() << promoted.error().message;
        return false;
    }
    LogLine(lcCrypto(), QtWarningMsg, u"finished an interrupted master key rotation")
        .field("fingerprint", MasterKey::fingerprint(*next));
    return true;
}

Result<Rotated> rotate(const Config& config, const QString& newKeyText)
{
    Database database(config);
    if (auto opened = database.open(); !opened)
        return opened.error();
    if (auto migrated = Migrator(database).migrate(); !migrated)
        return migrated.error();
    MasterKeyOptions options = GatewayService::masterKeyOptions(config);
    options.createIfMissing = false;
    options.allowKeychain = false;
    finishInterrupted(database, options.keyFilePath);

    auto check = SettingsStore(database).value(kCheckSetting);
    if (!check)
        return check.error();
    if (!check->has_value())
        return rotationError(QStringLiteral("the database holds no sealed secrets yet: start the server once first"));
    auto current = MasterKey::load(options);
    if (!current)
        return current.error();
    if (auto verified = MasterKey::verifyCheckValue(current->key, check->value().toLatin1()); !verified)
        return verified.error();

    const bool keyFile = current->source == MasterKeySource::KeyFile;
    SecureBytes next;
    if (!newKeyText.isEmpty()) {
        auto parsed = MasterKey::parse(newKeyText.toLatin1());
        if (!parsed)
            return Error::make(parsed.error().code,
                               QStringLiteral("GATEHOUSE_NEW_MASTER_KEY: %1").arg(parsed.error().message));
        next = std::move(*parsed);
    } else if (keyFile) {
        next = Random::secureBytes(MasterKey::kSize);
    } else {
        return rotationError(QStringLiteral("the master key comes from %1, which this command cannot write: set "
                                            "GATEHOUSE_NEW_MASTER_KEY to the new key (openssl rand -hex 32), run "
                                            "again, then put the new key there and restart the servers")
                                 .arg(current->describe()));
    }
    if (next.view() == current->key.view())
        return rotationError(QStringLiteral("the new key is the current one"));

    if (keyFile) {
        if (auto written = writeKeyFile(nextPath(options.keyFilePath), next); !written)
            return written.error();
    }
    Rotated rotated;
    auto done = database.transaction([&]() -> Result<void> {
        auto count = resealAll(database, current->key, next);
        if (!count)
            return count.error();
        rotated.secrets = *count;
        return ChangeCounter(database).add(); // running servers look, and take the new key
    });
    if (!done) {
        // A commit whose answer was lost may have happened all the same: the new key goes only if it is not in use.
        auto after = SettingsStore(database).value(kCheckSetting);
        const bool committed =
            after && after->has_value() && MasterKey::verifyCheckValue(next, after->value().toLatin1()).ok();
        if (keyFile && !committed)
            QFile::remove(nextPath(options.keyFilePath));
        return done.error();
    }
    if (keyFile) {
        if (auto promoted = promoteNext(options.keyFilePath); !promoted)
            return promoted.error(); // the next start finishes it
        rotated.keyFile = options.keyFilePath;
    }
    rotated.oldFingerprint = MasterKey::fingerprint(current->key);
    rotated.newFingerprint = MasterKey::fingerprint(next);

    Actor commandLine;
    commandLine.username = QStringLiteral("gatehoused rotate-master-key");
    commandLine.clientAddress = QStringLiteral("local");
    (void)AuditLog(database).record(commandLine, QStringLiteral("master_key.rotate"), QStringLiteral("master_key"),
                                    QString(),
                                    {{QStringLiteral("from"), rotated.oldFingerprint},
                                     {QStringLiteral("to"), rotated.newFingerprint},
                                     {QStringLiteral("secrets"), rotated.secrets}});
    return rotated;
}

} // namespace MasterKeyRotation
