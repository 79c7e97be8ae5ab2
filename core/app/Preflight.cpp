#include "app/Preflight.h"

#include "crypto/PasswordHasher.h"
#include "storage/Database.h"
#include "storage/Migrator.h"

#include <QDir>
#include <QFileInfo>
#include <QTcpServer>

namespace Preflight {
namespace {

QString checkPort(const QString& name, const Listener& listener)
{
    QTcpServer probe;
    if (!probe.listen(listener.address, listener.port))
        return QStringLiteral("%1 %2:%3 cannot be bound: %4")
            .arg(name, listener.address.toString())
            .arg(listener.port)
            .arg(probe.errorString());
    return {};
}

QString checkReadable(const QString& name, const QString& path)
{
    if (!path.isEmpty() && !QFileInfo(path).isReadable())
        return QStringLiteral("%1 %2 cannot be read").arg(name, path);
    return {};
}

// Writable as it is, or creatable: the nearest directory that exists above it is writable. Creates nothing.
QString checkDataDir(const QString& path)
{
    const QFileInfo dir(path);
    if (dir.exists())
        return dir.isDir() && dir.isWritable()
                   ? QString()
                   : QStringLiteral("data directory %1 is not a writable directory").arg(path);
    QFileInfo parent(dir.absolutePath());
    while (!parent.exists() && !parent.isRoot())
        parent = QFileInfo(parent.absolutePath());
    if (!parent.isDir() || !parent.isWritable())
        return QStringLiteral("data directory %1 cannot be created: %2 is not a writable directory")
            .arg(path, parent.absoluteFilePath());
    return {};
}

// The database answers, and its schema is not newer than this program. A SQLite file that does not exist yet is
// left alone: the start creates it.
QString checkDatabase(const Config& config)
{
    if (!config.usesPostgres() && !QFileInfo::exists(config.sqlitePath()))
        return {};
    Database database(config);
    if (auto connection = database.connection(); !connection)
        return QStringLiteral("database: %1").arg(connection.error().message);
    auto version = database.exec(QStringLiteral("SELECT MAX(version) FROM schema_version"));
    if (!version || !version->next())
        return {}; // not migrated yet: the start migrates it
    const int current = version->value(0).toInt();
    auto known = Migrator(database).migrations();
    if (known && current > known->size())
        return QStringLiteral("database schema version %1 is newer than this gatehoused (knows up to %2); upgrade it")
            .arg(current)
            .arg(known->size());
    return {};
}

} // namespace

QStringList check(const Config& config)
{
    QStringList problems;
    problems << checkDataDir(QFileInfo(config.dataDir).absoluteFilePath());
    if (!config.initialAdminPassword.isEmpty()) {
        if (auto policy = PasswordHasher::checkPolicy(config.initialAdminPassword); !policy)
            problems << QStringLiteral("GATEHOUSE_ADMIN_PASSWORD %1").arg(policy.error().message);
    }
    problems << checkDatabase(config);
    problems << checkPort(QStringLiteral("proxy port"), config.proxy)
             << checkPort(QStringLiteral("admin port"), config.admin)
             << checkReadable(QStringLiteral("TLS certificate"), config.tlsCertificateFile)
             << checkReadable(QStringLiteral("TLS private key"), config.tlsPrivateKeyFile)
             << checkReadable(QStringLiteral("upstream CA file"), config.upstreamCaFile);
    problems.removeAll(QString());
    return problems;
}

} // namespace Preflight
