#include "ScratchDatabase.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>
#include <QTest>

namespace {

QString randomName(const char* prefix)
{
    return QStringLiteral("%1_%2")
        .arg(QLatin1String(prefix))
        .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
}

// One PostgreSQL database per test process, made on first use next to GATEHOUSE_TEST_DATABASE_URL and dropped when
// the application object goes. Each scratch is a schema in it: PostgreSQL makes a schema in milliseconds, a
// database in ~0.3 s.
struct ProcessDatabase
{
    QString url;
    QString error;
};

const ProcessDatabase& processDatabase(const QString& serverUrl)
{
    static const ProcessDatabase database = [&serverUrl] {
        static QString name = randomName("gatehouse_scratch");
        Config serverConfig;
        serverConfig.databaseUrl = serverUrl;
        if (auto created = Database(serverConfig).exec(QStringLiteral("CREATE DATABASE %1").arg(name)); !created)
            return ProcessDatabase{{}, created.error().message};
        static QString dropUrl = serverUrl;
        qAddPostRoutine([] {
            Config config;
            config.databaseUrl = dropUrl;
            if (auto dropped = Database(config).exec(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(name));
                !dropped)
                qWarning() << "cannot drop scratch database:" << dropped.error().message;
        });
        QUrl url(serverUrl);
        url.setPath(u'/' + name);
        return ProcessDatabase{url.toString(), {}};
    }();
    return database;
}

} // namespace

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
    const ProcessDatabase& database = processDatabase(serverUrl);
    if (!database.error.isEmpty()) {
        m_error = database.error;
        return;
    }
    Config databaseConfig;
    databaseConfig.databaseUrl = database.url;
    m_server = std::make_unique<Database>(databaseConfig);
    m_schema = randomName("scratch");
    if (auto created = m_server->exec(QStringLiteral("CREATE SCHEMA %1").arg(m_schema)); !created) {
        m_error = created.error().message;
        m_schema.clear();
        return;
    }
    // The server URL's own parameters (sslmode, ...) stay; the scratch's schema comes first in the search path.
    QUrl url(database.url);
    QUrlQuery query(url);
    query.removeAllQueryItems(QStringLiteral("options"));
    query.addQueryItem(QStringLiteral("options"), QStringLiteral("-csearch_path=%1").arg(m_schema));
    url.setQuery(query);
    m_config.databaseUrl = url.toString();
}

ScratchDatabase::~ScratchDatabase()
{
    if (m_schema.isEmpty())
        return;
    if (auto dropped = m_server->exec(QStringLiteral("DROP SCHEMA %1 CASCADE").arg(m_schema)); !dropped)
        qWarning() << "cannot drop scratch schema:" << dropped.error().message;
}

void ScratchDatabase::addEngineRows()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}
