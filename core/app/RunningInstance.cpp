#include "app/RunningInstance.h"

#include "common/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <cerrno>
#include <csignal>

namespace RunningInstance {

QString path(const Config& config)
{
    return QDir(config.dataDir).filePath(QStringLiteral("gatehoused.running"));
}

void write(const Config& config)
{
    QSaveFile file(path(config));
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcApp).noquote() << "cannot write" << file.fileName() << ":" << file.errorString();
        return;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write("pid " + QByteArray::number(QCoreApplication::applicationPid()) + '\n');
    const ConfigLoader::Fingerprint fingerprint = ConfigLoader::fingerprint(config);
    for (auto it = fingerprint.begin(); it != fingerprint.end(); ++it)
        file.write(it.key().toUtf8() + ' ' + it.value() + '\n');
    if (!file.commit())
        qCWarning(lcApp).noquote() << "cannot write" << file.fileName() << ":" << file.errorString();
}

void remove(const Config& config)
{
    QFile::remove(path(config));
}

std::optional<Found> find(const Config& config)
{
    QFile file(path(config));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    Found found;
    while (!file.atEnd()) {
        const QList<QByteArray> words = file.readLine().trimmed().split(' ');
        if (words.size() != 2)
            continue;
        if (words[0] == "pid")
            found.pid = words[1].toLongLong();
        else
            found.fingerprint.insert(QString::fromUtf8(words[0]), words[1]);
    }
    // Signal 0 checks that the process exists; EPERM: it does, as another user.
    if (found.pid <= 0 || (::kill(pid_t(found.pid), 0) != 0 && errno != EPERM))
        return std::nullopt;
    return found;
}

} // namespace RunningInstance
