#pragma once

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

// Notices that the config file was edited: written in place, or replaced by an editor's rename or a symbolic link's
// swap (its directory is watched too). Emits changed() once per edit that changed its bytes, after a quiet 200 ms,
// so that a file written in several pieces is read whole.
class ConfigFileWatcher : public QObject
{
    Q_OBJECT

public:
    explicit ConfigFileWatcher(const QString& path, QObject* parent = nullptr);

    static constexpr int kQuietMs = 200;

signals:
    void changed();

private:
    void look();

    QString m_path;
    QFileSystemWatcher m_watcher;
    QTimer m_quiet;
    QByteArray m_digest; // of the contents last seen
};
