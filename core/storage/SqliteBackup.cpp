#include "storage/SqliteBackup.h"

#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

namespace SqliteBackup {
namespace {

Error failure(const QString& what, sqlite3* handle)
{
    return Error::make(QStringLiteral("backup_failed"),
                       QStringLiteral("%1: %2").arg(what, QString::fromUtf8(handle ? sqlite3_errmsg(handle) : "")));
}

struct Handle
{
    sqlite3* db = nullptr;
    ~Handle() { sqlite3_close_v2(db); }
};

} // namespace

Result<qint64> copy(const QString& sourcePath, const QString& destinationPath)
{
    if (!QFileInfo::exists(sourcePath))
        return Error::make(QStringLiteral("backup_failed"), QStringLiteral("no database at %1").arg(sourcePath));
    // Created here, empty (a valid empty database to SQLite), so that it is owner-only from its first byte.
    const QByteArray destination = QFile::encodeName(destinationPath);
    const int fd = ::open(destination.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error::make(
            QStringLiteral("backup_failed"),
            QStringLiteral("cannot create %1: %2").arg(destinationPath, QString::fromLocal8Bit(strerror(errno))));
    ::close(fd);
    const auto fail = [&](const Error& error) -> Result<qint64> {
        QFile::remove(destinationPath);
        return error;
    };

    Handle source, target;
    if (sqlite3_open_v2(QFile::encodeName(sourcePath).constData(), &source.db, SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK)
        return fail(failure(QStringLiteral("cannot open %1").arg(sourcePath), source.db));
    sqlite3_busy_timeout(source.db, 5000);
    if (sqlite3_open_v2(destination.constData(), &target.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        return fail(failure(QStringLiteral("cannot open %1").arg(destinationPath), target.db));
    sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", source.db, "main");
    if (!backup)
        return fail(failure(QStringLiteral("cannot start the backup"), target.db));
    // All pages in one step: the copy is of one moment, and writers in WAL mode do not wait for it.
    int step = sqlite3_backup_step(backup, -1);
    for (int tries = 0; (step == SQLITE_BUSY || step == SQLITE_LOCKED) && tries < 50; ++tries) {
        sqlite3_sleep(100);
        step = sqlite3_backup_step(backup, -1);
    }
    sqlite3_backup_finish(backup);
    if (step != SQLITE_DONE)
        return fail(failure(QStringLiteral("the backup did not complete"), target.db));

    sqlite3_stmt* check = nullptr;
    QString verdict;
    if (sqlite3_prepare_v2(target.db, "PRAGMA integrity_check", -1, &check, nullptr) == SQLITE_OK &&
        sqlite3_step(check) == SQLITE_ROW)
        verdict = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)));
    sqlite3_finalize(check);
    if (verdict != QLatin1String("ok"))
        return fail(Error::make(QStringLiteral("backup_failed"),
                                QStringLiteral("the copy failed its integrity check: %1").arg(verdict)));
    sqlite3_close_v2(target.db);
    target.db = nullptr;
    return QFileInfo(destinationPath).size();
}

} // namespace SqliteBackup
