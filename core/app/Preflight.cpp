#include "app/Preflight.h"

#include "app/GatewayService.h"
#include "app/RunningInstance.h"
#include "cache/RedisUrl.h"
#include "crypto/MasterKey.h"
#include "crypto/PasswordHasher.h"
#include "storage/Database.h"
#include "storage/Migrator.h"
#include "storage/SettingsStore.h"

#include <QFileInfo>
#include <QTcpServer>

#include <hiredis/hiredis.h>

#include <memory>
#include <vector>

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

// The database answers, its schema is not newer than this program, and the master key this configuration finds is
// the one its secrets were sealed with. A SQLite file that does not exist yet is left alone: the start creates it.
QStringList checkDatabase(const Config& config)
{
    if (!config.usesPostgres() && !QFileInfo::exists(config.sqlitePath()))
        return {};
    Database database(config);
    if (auto connection = database.connection(); !connection)
        return {QStringLiteral("database: %1").arg(connection.error().message)};
    auto version = database.exec(QStringLiteral("SELECT MAX(version) FROM schema_version"));
    if (!version || !version->next())
        return {}; // not migrated yet: the start migrates it
    const int current = version->value(0).toInt();
    version->finish();
    auto known = Migrator(database).migrations();
    if (known && current > known->size())
        return {QStringLiteral("database schema version %1 is newer than this gatehoused (knows up to %2); upgrade it")
                    .arg(current)
                    .arg(known->size())};

    auto check = SettingsStore(database).value(QLatin1String(GatewayService::kMasterKeyCheckSetting));
    if (!check || !check->has_value())
        return {}; // no secret sealed yet: the start makes or finds a key
    MasterKeyOptions options = GatewayService::masterKeyOptions(config);
    options.createIfMissing = false;
    auto loaded = MasterKey::load(options);
    if (!loaded)
        return {QStringLiteral("master key: %1").arg(loaded.error().message)};
    if (!MasterKey::verifyCheckValue(loaded->key, check->value().toLatin1()))
        return {QStringLiteral("master key from %1 does not match the one this database was encrypted with")
                    .arg(loaded->describe())};
    return {};
}

// Redis answers PING (after AUTH when the URL carries a password), within two seconds.
QString checkRedis(const Config& config)
{
    if (config.redisUrl.isEmpty())
        return {};
    auto url = RedisUrl::parse(config.redisUrl);
    if (!url)
        return QStringLiteral("redis: %1").arg(url.error().message);
    const timeval timeout{2, 0};
    std::unique_ptr<redisContext, decltype(&redisFree)> context(
        redisConnectWithTimeout(url->host.toUtf8().constData(), url->port, timeout), &redisFree);
    if (!context || context->err)
        return QStringLiteral("redis %1 cannot be reached: %2")
            .arg(url->toDisplayString(), context ? QString::fromUtf8(context->errstr) : QStringLiteral("no memory"));
    redisSetTimeout(context.get(), timeout);
    const auto command = [&](const QList<QByteArray>& words) -> QString {
        std::vector<const char*> argv;
        std::vector<size_t> lengths;
        for (const QByteArray& word : words) {
            argv.push_back(word.constData());
            lengths.push_back(size_t(word.size()));
        }
        std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(
            static_cast<redisReply*>(redisCommandArgv(context.get(), int(argv.size()), argv.data(), lengths.data())),
            &freeReplyObject);
        if (!reply)
            return QString::fromUtf8(context->errstr);
        if (reply->type == REDIS_REPLY_ERROR)
            return QString::fromUtf8(reply->str, qsizetype(reply->len));
        return {};
    };
    QString problem;
    if (!url->password.isEmpty())
        problem = command({QByteArrayLiteral("AUTH"), url->password.toUtf8()});
    if (problem.isEmpty())
        problem = command({QByteArrayLiteral("PING")});
    return problem.isEmpty() ? QString()
                             : QStringLiteral("redis %1 does not answer: %2").arg(url->toDisplayString(), problem);
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
    problems << checkDatabase(config) << checkRedis(config);
    // The running gateway's own ports are busy; they are kept on reload.
    const auto running = RunningInstance::find(config);
    const ConfigLoader::Fingerprint next = ConfigLoader::fingerprint(config);
    const auto held = [&](const QString& name) {
        const QString address = name + QStringLiteral(".address"), port = name + QStringLiteral(".port");
        return running && running->fingerprint.value(address) == next.value(address) &&
               running->fingerprint.value(port) == next.value(port);
    };
    if (!held(QStringLiteral("proxy")))
        problems << checkPort(QStringLiteral("proxy port"), config.proxy);
    if (!held(QStringLiteral("admin")))
        problems << checkPort(QStringLiteral("admin port"), config.admin);
    problems << checkReadable(QStringLiteral("TLS certificate"), config.tlsCertificateFile)
             << checkReadable(QStringLiteral("TLS private key"), config.tlsPrivateKeyFile)
             << checkReadable(QStringLiteral("upstream CA file"), config.upstreamCaFile);
    problems.removeAll(QString());
    return problems;
}

QStringList reloadReport(const Config& config)
{
    const auto running = RunningInstance::find(config);
    if (!running)
        return {};
    const auto changes = ConfigLoader::changes(running->fingerprint, ConfigLoader::fingerprint(config));
    const auto list = [](const QStringList& keys) {
        return keys.isEmpty() ? QStringLiteral("nothing") : keys.join(QStringLiteral(", "));
    };
    return {QStringLiteral("gatehoused (pid %1) serves from this data directory; a reload applies: %2")
                .arg(running->pid)
                .arg(list(changes.live)),
            QStringLiteral("needs a restart: %1").arg(list(changes.restart))};
}

} // namespace Preflight
