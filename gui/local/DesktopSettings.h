#pragma once

#include <QSettings>
#include <QString>

// What the desktop app remembers between runs (QSettings; never a secret: the master key and the session live in
// the OS keychain or in files of their own).
class DesktopSettings
{
public:
    explicit DesktopSettings(const QString& file = {}); // empty: the user's standard settings location

    bool isSetUp() const;
    void markSetUp();

    QString dataDir() const;
    void setDataDir(const QString& dir);
    quint16 proxyPort() const;
    void setProxyPort(quint16 port);
    quint16 adminPort() const;
    void setAdminPort(quint16 port);
    bool useKeychain() const; // the master key in the OS keychain, else in a 0600 file in the data folder
    void setUseKeychain(bool use);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QString lastPage() const;
    void setLastPage(const QString& page);

    static QString defaultDataDir();

private:
    std::unique_ptr<QSettings> m_settings;
};
