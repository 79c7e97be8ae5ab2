#include "ScratchDatabase.h"

#include <QRandomGenerator>
#include <QUrl>
#include <QtTest>

ScratchDatabase::ScratchDatabase(const QString& engine)
    : m_dir(QDir::tempPath() + QStringLiteral("/gatehouse-db-XXXXXX"))
{
    m_config.dataDir = m_dir.path();
    if (engine == QLatin1String("sqlite"))
        return;
    const QString serverUrl = qEnvironmentVariable("GATEHOUSE_TEST_DATABASE_URL");
    if (serverUrl.isEmpty()) {
        m_skip = true;
        return;
    }
    Config serverConfig;
    serverConfig.databaseUrl = serverUrl;
    m_server = std::make_unique<Database>(serverConfig);
    m_name =
        QStringLiteral("gatehouse_scratch_%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    if (auto created = m_server->exec(QStringLiteral("CREATE DATABASE %1").arg(m_name)); !created) {
        m_error = created.error().message;
        m_name.clear();
        return;
    }
    QUrl url(serverUrl);
    url.setPath(u'/' + m_name);
    m_config.databaseUrl = url.toString();
}

ScratchDatabase::~ScratchDatabase()
{
    if (m_name.isEmpty())
        return;
    if (auto dropped = m_server->exec(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(m_name)); !dropped)
        qWarning() << "cannot drop scratch database:" << dropped.error().message;
}

void ScratchDatabase::addEngineRows()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}
