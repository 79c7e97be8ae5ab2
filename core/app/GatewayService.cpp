#include "app/GatewayService.h"

#include "admin/AdminServer.h"
#include "common/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryFile>

GatewayService::GatewayService(ConfigPtr config, QObject* parent) : QObject(parent), m_config(std::move(config)) {}

GatewayService::~GatewayService()
{
    stop();
}

Result<void> GatewayService::start()
{
    if (m_running)
        return {};
    if (auto prepared = prepareDataDir(); !prepared)
        return prepared;

    auto admin = std::make_unique<AdminServer>(*this);
    if (auto listening = admin->listen(m_config->admin.address, m_config->admin.port); !listening)
        return listening;
    m_admin = std::move(admin);

    m_startedAt = QDateTime::currentDateTimeUtc();
    m_running = true;
    qCInfo(lcApp).noquote() << "started admin_port=" << adminPort();
    emit started();
    return {};
}

void GatewayService::stop()
{
    if (!m_running)
        return;
    m_running = false;
    if (m_admin)
        m_admin->close();
    m_admin.reset();
    qCInfo(lcApp) << "stopped";
    emit stopped();
}

quint16 GatewayService::proxyPort() const
{
    return 0;
}

quint16 GatewayService::adminPort() const
{
    return m_admin ? m_admin->serverPort() : 0;
}

QJsonObject GatewayService::systemInfo() const
{
    const qint64 uptime = m_running ? m_startedAt.secsTo(QDateTime::currentDateTimeUtc()) : 0;
    return QJsonObject{
        {QStringLiteral("name"), QStringLiteral("gatehouse")},
        {QStringLiteral("version"), QStringLiteral(GATEHOUSE_VERSION)},
        {QStringLiteral("startedAt"), m_startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("uptimeSeconds"), uptime},
        {QStringLiteral("database"), QJsonObject{{QStringLiteral("kind"), m_config->usesPostgres()
                                                                              ? QStringLiteral("postgresql")
                                                                              : QStringLiteral("sqlite")}}},
        {QStringLiteral("listeners"),
         QJsonObject{{QStringLiteral("proxy"),
                      QJsonObject{{QStringLiteral("address"), m_config->proxy.address.toString()},
                                  {QStringLiteral("port"), proxyPort()},
                                  {QStringLiteral("tls"), !m_config->tlsCertificateFile.isEmpty()}}},
                     {QStringLiteral("admin"), QJsonObject{{QStringLiteral("address"), m_config->admin.address.toString()},
                                                           {QStringLiteral("port"), adminPort()}}}}},
        {QStringLiteral("workers"), m_config->effectiveWorkers()},
    };
}

Result<void> GatewayService::prepareDataDir()
{
    const QString path = m_config->dataDir;
    if (!QDir().mkpath(path))
        return Error::make(QStringLiteral("data_dir"), QStringLiteral("data directory %1 cannot be created").arg(path));
    QTemporaryFile probe(QDir(path).filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open())
        return Error::make(QStringLiteral("data_dir"), QStringLiteral("data directory %1 is not writable").arg(
                                                          QFileInfo(path).absoluteFilePath()));
    return {};
}
