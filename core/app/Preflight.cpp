#include "app/Preflight.h"

#include <QDir>
#include <QFileInfo>
#include <QTcpServer>
#include <QTemporaryFile>

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

} // namespace

QStringList check(const Config& config)
{
    QStringList problems;
    const QString dataDir = QFileInfo(config.dataDir).absoluteFilePath();
    if (!QDir().mkpath(dataDir)) {
        problems << QStringLiteral("data directory %1 cannot be created").arg(dataDir);
    } else {
        QTemporaryFile probe(QDir(dataDir).filePath(QStringLiteral(".write-test-XXXXXX")));
        if (!probe.open())
            problems << QStringLiteral("data directory %1 is not writable").arg(dataDir);
    }
    problems << checkPort(QStringLiteral("proxy port"), config.proxy) << checkPort(QStringLiteral("admin port"), config.admin)
             << checkReadable(QStringLiteral("TLS certificate"), config.tlsCertificateFile)
             << checkReadable(QStringLiteral("TLS private key"), config.tlsPrivateKeyFile)
             << checkReadable(QStringLiteral("upstream CA file"), config.upstreamCaFile);
    problems.removeAll(QString());
    return problems;
}

} // namespace Preflight
