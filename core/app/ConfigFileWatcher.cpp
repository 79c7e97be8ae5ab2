#include "app/ConfigFileWatcher.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace {

QByteArray digestOf(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

} // namespace

ConfigFileWatcher::ConfigFileWatcher(const QString& path, QObject* parent)
    : QObject(parent), m_path(QFileInfo(path).absoluteFilePath()), m_digest(digestOf(m_path))
{
    m_quiet.setSingleShot(true);
    m_quiet.setInterval(kQuietMs);
    connect(&m_quiet, &QTimer::timeout, this, &ConfigFileWatcher::look);
    const auto edited = [this] { m_quiet.start(); };
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, edited);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, edited);
    m_watcher.addPath(QFileInfo(m_path).absolutePath());
    m_watcher.addPath(m_path);
}

void ConfigFileWatcher::look()
{
    // A file replaced by a rename is a new file: the watcher dropped the old one.
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
    const QByteArray digest = digestOf(m_path);
    if (digest.isEmpty() || digest == m_digest)
        return; // removed (for now) or not changed: another file of the directory was
    m_digest = digest;
    emit changed();
}
