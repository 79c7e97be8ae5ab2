#include "local/DesktopSettings.h"

#include <QStandardPaths>

DesktopSettings::DesktopSettings(const QString& file)
    : m_settings(file.isEmpty() ? std::make_unique<QSettings>()
                                : std::make_unique<QSettings>(file, QSettings::IniFormat))
{}

bool DesktopSettings::isSetUp() const
{
    return m_settings->value(QStringLiteral("setup/done"), false).toBool();
}

void DesktopSettings::markSetUp()
{
    m_settings->setValue(QStringLiteral("setup/done"), true);
    m_settings->sync();
}

QString DesktopSettings::dataDir() const
{
    return m_settings->value(QStringLiteral("gateway/dataDir"), defaultDataDir()).toString();
}

void DesktopSettings::setDataDir(const QString& dir)
{
    m_settings->setValue(QStringLiteral("gateway/dataDir"), dir);
}

quint16 DesktopSettings::proxyPort() const
{
    return quint16(m_settings->value(QStringLiteral("gateway/proxyPort"), 8080).toUInt());
}

void DesktopSettings::setProxyPort(quint16 port)
{
    m_settings->setValue(QStringLiteral("gateway/proxyPort"), port);
}

quint16 DesktopSettings::adminPort() const
{
    return quint16(m_settings->value(QStringLiteral("gateway/adminPort"), 9090).toUInt());
}

void DesktopSettings::setAdminPort(quint16 port)
{
    m_settings->setValue(QStringLiteral("gateway/adminPort"), port);
}

bool DesktopSettings::useKeychain() const
{
    return m_settings->value(QStringLiteral("gateway/useKeychain"), true).toBool();
}

void DesktopSettings::setUseKeychain(bool use)
{
    m_settings->setValue(QStringLiteral("gateway/useKeychain"), use);
}

QByteArray DesktopSettings::windowGeometry() const
{
    return m_settings->value(QStringLiteral("window/geometry")).toByteArray();
}

void DesktopSettings::setWindowGeometry(const QByteArray& geometry)
{
    m_settings->setValue(QStringLiteral("window/geometry"), geometry);
}

QString DesktopSettings::lastPage() const
{
    return m_settings->value(QStringLiteral("window/page")).toString();
}

void DesktopSettings::setLastPage(const QString& page)
{
    m_settings->setValue(QStringLiteral("window/page"), page);
}

QString DesktopSettings::language() const
{
    return m_settings->value(QStringLiteral("app/language")).toString();
}

void DesktopSettings::setLanguage(const QString& code)
{
    m_settings->setValue(QStringLiteral("app/language"), code);
}

QString DesktopSettings::theme() const
{
    return m_settings->value(QStringLiteral("app/theme")).toString();
}

void DesktopSettings::setTheme(const QString& code)
{
    m_settings->setValue(QStringLiteral("app/theme"), code);
}

bool DesktopSettings::startMinimized() const
{
    return m_settings->value(QStringLiteral("app/startMinimized"), false).toBool();
}

void DesktopSettings::setStartMinimized(bool minimized)
{
    m_settings->setValue(QStringLiteral("app/startMinimized"), minimized);
}

QList<RemoteConnection> DesktopSettings::connections() const
{
    QList<RemoteConnection> connections;
    const int count = m_settings->beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        connections.append({m_settings->value(QStringLiteral("url")).toUrl(),
                            m_settings->value(QStringLiteral("username")).toString(),
                            m_settings->value(QStringLiteral("pinnedCertificate")).toByteArray()});
    }
    m_settings->endArray();
    return connections;
}

void DesktopSettings::addConnection(const RemoteConnection& connection)
{
    QList<RemoteConnection> all = connections();
    all.removeIf([&](const RemoteConnection& saved) {
        return saved.url == connection.url && saved.username == connection.username;
    });
    all.append(connection);
    m_settings->beginWriteArray(QStringLiteral("connections"), int(all.size()));
    for (int i = 0; i < all.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("url"), all[i].url);
        m_settings->setValue(QStringLiteral("username"), all[i].username);
        m_settings->setValue(QStringLiteral("pinnedCertificate"), all[i].pinnedCertificate);
    }
    m_settings->endArray();
    m_settings->sync();
}

QString DesktopSettings::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}
