#include "GatewayHarness.h"

#include "HttpTestClient.h"

#include "storage/Database.h"

#include <QFile>
#include <QJsonObject>
#include <QSqlQuery>

GatewayHarness::GatewayHarness(const std::function<void(Config&)>& customize)
{
    Config config;
    config.proxy = {QHostAddress(QHostAddress::LocalHost), 0};
    config.admin = {QHostAddress(QHostAddress::LocalHost), 0};
    config.dataDir = m_dir.path();
    config.workers = 2;
    config.masterKey = QStringLiteral("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    config.initialAdminPassword = QLatin1String(kAdminPassword);
    config.drainTimeoutMs = 5000;
    config.passwordHashLogN = PasswordHasher::kMinLogN;
    if (qEnvironmentVariable("GATEHOUSE_TEST_ENGINE") == QLatin1String("postgresql")) {
        m_database = std::make_unique<ScratchDatabase>(QStringLiteral("postgresql"));
        config.databaseUrl = m_database->config().databaseUrl;
    }
    if (customize)
        customize(config);
    m_config = std::make_shared<const Config>(std::move(config));
    m_service = std::make_unique<GatewayService>(m_config);
}

GatewayHarness::~GatewayHarness()
{
    stop();
}

bool GatewayHarness::start()
{
    if (m_database && !m_database->available()) {
        qWarning("no PostgreSQL for GATEHOUSE_TEST_ENGINE=postgresql: %s",
                 qPrintable(m_database->skipped() ? QStringLiteral("GATEHOUSE_TEST_DATABASE_URL is not set")
                                                  : m_database->error()));
        return false;
    }
    auto started = m_service->start();
    if (!started)
        qWarning("gateway did not start: %s", qPrintable(started.error().message));
    return started.ok();
}

void GatewayHarness::stop()
{
    m_service->stop();
}

QUrl GatewayHarness::proxyUrl(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_service->proxyPort()).arg(path));
}

QUrl GatewayHarness::adminUrl(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_service->adminPort()).arg(path));
}

QByteArray GatewayHarness::storedBytes()
{
    QByteArray bytes;
    if (!m_config->usesPostgres()) {
        const QString path = m_config->sqlitePath();
        for (const QString& file : {path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")}) {
            QFile f(file);
            if (f.open(QIODevice::ReadOnly))
                bytes += f.readAll();
        }
        return bytes;
    }
    Database& database = m_service->database();
    auto tables = database.exec(
        QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"));
    QStringList names;
    while (tables && tables->next())
        names << tables->value(0).toString();
    for (const QString& table : std::as_const(names)) {
        auto rows = database.exec(QStringLiteral("SELECT t::text FROM %1 t").arg(table));
        while (rows && rows->next())
            bytes += rows->value(0).toString().toUtf8() + '\n';
    }
    return bytes;
}

QPair<QByteArray, QByteArray> GatewayHarness::login(const QString& username, const QString& password)
{
    HttpTestClient client;
    const auto response = client.post(
        adminUrl(QStringLiteral("/api/auth/login")),
        QJsonDocument(QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}})
            .toJson());
    const QString token = response.json()[QLatin1String("accessToken")].toString();
    if (response.status != 200 || token.isEmpty())
        qWarning("login as %s failed: %d %s", qPrintable(username), response.status, response.body.constData());
    return {"Authorization", "Bearer " + token.toLatin1()};
}
