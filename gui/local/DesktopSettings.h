#pragma once

#include <QList>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>

// A gateway elsewhere that the app manages through its admin API.
struct RemoteConnection
{
    QUrl url; // the admin API's origin, e.g. https://gateway.example.com:9090
    QString username;
    // A certificate the system does not trust but the user does: its SHA-256 digest, hex; empty: the system's trust
    // store decides.
    QByteArray pinnedCertificate;

    QString label() const { return QStringLiteral("%1@%2").arg(username, url.authority()); }
    QString sessionAccount() const { return QStringLiteral("session:%1|%2").arg(url.toString(), username); }
};

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

    // The app's own choices (Settings page): a language code and a theme code, empty for the system's; whether it
    // starts in the tray instead of showing its window.
    QString language() const;
    void setLanguage(const QString& code);
    QString theme() const;
    void setTheme(const QString& code);
    bool startMinimized() const;
    void setStartMinimized(bool minimized);

    QList<RemoteConnection> connections() const;
    void addConnection(const RemoteConnection& connection); // replaces one of the same URL and user

    QString fileName() const { return m_settings->fileName(); }

    static QString defaultDataDir();

private:
    std::unique_ptr<QSettings> m_settings;
};
