#include "TestRegistry.h"
#include "config/ConfigLoader.h"

#include "TempDataDir.h"

#include <QRegularExpression>
#include <QTest>

namespace {

Result<Config> load(const QStringList& arguments, const QStringList& environment = {})
{
    QCommandLineParser parser;
    ConfigLoader::addOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("gatehoused")} + arguments))
        return Error::make(QStringLiteral("usage"), parser.errorText());
    QProcessEnvironment env;
    for (const QString& pair : environment)
        env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
    return ConfigLoader::load(parser, env);
}

void writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        auto config = load({});
        QVERIFY(config.ok());
        QCOMPARE(config->proxy.port, quint16(8080));
        QCOMPARE(config->admin.port, quint16(9090));
        QCOMPARE(config->admin.address, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config->dataDir, QStringLiteral("./data"));
        QVERIFY(config->databaseUrl.isEmpty());
        QVERIFY(!config->usesPostgres());
        QCOMPARE(config->logFormat, Logging::Format::Text);
    }

    void precedenceCommandLineOverEnvironmentOverFile()
    {
        TempDataDir dir;
        const QString file = dir.filePath(QStringLiteral("gatehouse.ini"));
        writeFile(file, "data_dir=/from/file\nworkers=3\n[proxy]\nport=1001\n[admin]\nport=2001\n[log]\nlevel=debug\n");

        auto fileOnly = load({QStringLiteral("--config"), file});
        QVERIFY2(fileOnly.ok(), qPrintable(fileOnly.ok() ? QString() : fileOnly.error().message));
        QCOMPARE(fileOnly->proxy.port, quint16(1001));
        QCOMPARE(fileOnly->admin.port, quint16(2001));
        QCOMPARE(fileOnly->workers, 3);
        QCOMPARE(fileOnly->dataDir, QStringLiteral("/from/file"));
        QCOMPARE(fileOnly->logLevel, QStringLiteral("debug"));

        const QStringList environment{QStringLiteral("GATEHOUSE_CONFIG=") + file,
                                      QStringLiteral("GATEHOUSE_PROXY_PORT=1002"),
                                      QStringLiteral("GATEHOUSE_DATA_DIR=/from/env")};
        auto withEnvironment = load({}, environment);
        QVERIFY(withEnvironment.ok());
        QCOMPARE(withEnvironment->proxy.port, quint16(1002));
        QCOMPARE(withEnvironment->admin.port, quint16(2001));
        QCOMPARE(withEnvironment->dataDir, QStringLiteral("/from/env"));

        auto withCommandLine = load({QStringLiteral("--proxy-port"), QStringLiteral("1003")}, environment);
        QVERIFY(withCommandLine.ok());
        QCOMPARE(withCommandLine->proxy.port, quint16(1003));
        QCOMPARE(withCommandLine->dataDir, QStringLiteral("/from/env"));
        QCOMPARE(withCommandLine->workers, 3);
    }

    void jsonFile()
    {
        TempDataDir dir;
        const QString file = dir.filePath(QStringLiteral("gatehouse.json"));
        // No raw string literal here: moc 6.4 loses track of the class after a multi-line one.
        writeFile(file, "{\"proxy\": {\"port\": 8181, \"address\": \"127.0.0.1\"},"
                        " \"limits\": {\"max_body_bytes\": \"2M\"},"
                        " \"database\": {\"url\": \"postgresql://gh:pw@db.internal:5432/gatehouse\"}}");
        auto config = load({QStringLiteral("--config"), file});
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->proxy.port, quint16(8181));
        QCOMPARE(config->proxy.address, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config->limits.maxBodyBytes, qint64(2) << 20);
        QVERIFY(config->usesPostgres());
    }

    void ejectionPolicyIsSet()
    {
        TempDataDir dir;
        const QString file = dir.filePath(QStringLiteral("gatehouse.ini"));
        writeFile(file, "[health]\neject_after_failures = 50\neject_base_ms = 500\n");
        auto config = load({QStringLiteral("--config"), file});
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->healthPolicy.ejectAfterFailures, 50);
        QCOMPARE(config->healthPolicy.ejectBaseMs, 500);
        QCOMPARE(config->healthPolicy.defaultCooldownMs, HealthPolicy().defaultCooldownMs); // the rest as it was
        auto defaults = load({});
        QCOMPARE(defaults->healthPolicy.ejectAfterFailures, 3);
    }

    void secretsFromEnvironmentOnly()
    {
        auto config = load({}, {QStringLiteral("GATEHOUSE_ADMIN_PASSWORD=correct horse"),
                                QStringLiteral("GATEHOUSE_MASTER_KEY=00112233")});
        QVERIFY(config.ok());
        QCOMPARE(config->initialAdminPassword, QStringLiteral("correct horse"));
        QCOMPARE(config->masterKey, QStringLiteral("00112233"));

        TempDataDir dir;
        const QString file = dir.filePath(QStringLiteral("gatehouse.ini"));
        writeFile(file, "admin_password=hunter2\n");
        auto fromFile = load({QStringLiteral("--config"), file});
        QVERIFY(!fromFile.ok());
        QVERIFY2(fromFile.error().message.contains(QLatin1String("environment only")),
                 qPrintable(fromFile.error().message));
        QVERIFY(!fromFile.error().message.contains(QLatin1String("hunter2")));
    }

    void invalidValues_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("message");
        QTest::newRow("port not a number")
            << QStringList{QStringLiteral("--proxy-port"), QStringLiteral("http")} << QStringList{}
            << QStringLiteral("--proxy-port: 'http' is not a port number");
        QTest::newRow("port too large") << QStringList{QStringLiteral("--admin-port"), QStringLiteral("70000")}
                                        << QStringList{} << QStringLiteral("--admin-port: '70000' is not a port");
        QTest::newRow("port from env") << QStringList{} << QStringList{QStringLiteral("GATEHOUSE_PROXY_PORT=-1")}
                                       << QStringLiteral("GATEHOUSE_PROXY_PORT: '-1' is not a port number");
        QTest::newRow("same ports") << QStringList{QStringLiteral("--proxy-port"), QStringLiteral("9000"),
                                                   QStringLiteral("--admin-port"), QStringLiteral("9000")}
                                    << QStringList{} << QStringLiteral("they must differ");
        QTest::newRow("address") << QStringList{QStringLiteral("--proxy-address"), QStringLiteral("example.com")}
                                 << QStringList{} << QStringLiteral("'example.com' is not an IP address");
        QTest::newRow("workers") << QStringList{QStringLiteral("--workers"), QStringLiteral("1000")} << QStringList{}
                                 << QStringLiteral("--workers: '1000' is not a whole number from 0 to 256");
        QTest::newRow("log level") << QStringList{QStringLiteral("--log-level"), QStringLiteral("loud")}
                                   << QStringList{}
                                   << QStringLiteral("'loud' is not one of: debug, info, warning, error");
        QTest::newRow("log format") << QStringList{} << QStringList{QStringLiteral("GATEHOUSE_LOG_FORMAT=xml")}
                                    << QStringLiteral("GATEHOUSE_LOG_FORMAT: 'xml' is not one of: text, json");
        QTest::newRow("database url") << QStringList{QStringLiteral("--database-url"), QStringLiteral("mysql://x/y")}
                                      << QStringList{}
                                      << QStringLiteral("--database-url: is not a URL of the form postgresql://");
        QTest::newRow("redis url") << QStringList{} << QStringList{QStringLiteral("GATEHOUSE_REDIS_URL=localhost:6379")}
                                   << QStringLiteral("GATEHOUSE_REDIS_URL: is not a URL of the form redis://");
        QTest::newRow("body size") << QStringList{QStringLiteral("--max-body-bytes"), QStringLiteral("lots")}
                                   << QStringList{} << QStringLiteral("--max-body-bytes: 'lots' is not a whole number");
        QTest::newRow("body size overflow")
            << QStringList{QStringLiteral("--max-body-bytes"), QStringLiteral("9999999999999G")} << QStringList{}
            << QStringLiteral("is not a whole number from 0");
        QTest::newRow("tls half") << QStringList{QStringLiteral("--tls-certificate"), QStringLiteral("/x.pem")}
                                  << QStringList{} << QStringLiteral("must be set together");
        QTest::newRow("empty data dir") << QStringList{QStringLiteral("--data-dir"), QString()} << QStringList{}
                                        << QStringLiteral("data_dir must not be empty");
        QTest::newRow("admin on proxy port")
            << QStringList{} << QStringList{QStringLiteral("GATEHOUSE_ADMIN_ON_PROXY_PORT=yes")}
            << QStringLiteral("'yes' is not true or false");
        QTest::newRow("admin subnet") << QStringList{}
                                      << QStringList{QStringLiteral(
                                             "GATEHOUSE_ADMIN_ALLOWED_ADDRESSES=10.0.0.0/8, intranet")}
                                      << QStringLiteral("'intranet' is not an IP address or subnet");
        QTest::newRow("ejection threshold")
            << QStringList{} << QStringList{QStringLiteral("GATEHOUSE_HEALTH_EJECT_AFTER_FAILURES=0")}
            << QStringLiteral("'0' is not a whole number from 1 to 1000000");
        QTest::newRow("missing config file") << QStringList{QStringLiteral("--config"), QStringLiteral("/nope.ini")}
                                             << QStringList{} << QStringLiteral("config file /nope.ini cannot be read");
    }

    void invalidValues()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QString, message);
        auto config = load(arguments, environment);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().code, QStringLiteral("invalid_config"));
        QVERIFY2(config.error().message.contains(message), qPrintable(config.error().message));
    }

    void adminApiOnTheProxyPort()
    {
        auto config =
            load({}, {QStringLiteral("GATEHOUSE_ADMIN_ON_PROXY_PORT=false"),
                      QStringLiteral("GATEHOUSE_ADMIN_ALLOWED_ADDRESSES=10.0.0.0/8, 192.0.2.7,2001:db8::/32")});
        QVERIFY(config.ok());
        QVERIFY(!config->adminOnProxyPort);
        QVERIFY(config->adminAllowedFrom(QHostAddress(QStringLiteral("10.1.2.3"))));
        QVERIFY(config->adminAllowedFrom(QHostAddress(QStringLiteral("::ffff:10.1.2.3")))); // dual-stack socket
        QVERIFY(config->adminAllowedFrom(QHostAddress(QStringLiteral("192.0.2.7"))));
        QVERIFY(!config->adminAllowedFrom(QHostAddress(QStringLiteral("192.0.2.8"))));
        QVERIFY(config->adminAllowedFrom(QHostAddress(QStringLiteral("2001:db8:ffff::1"))));
        QVERIFY(!config->adminAllowedFrom(QHostAddress(QStringLiteral("127.0.0.1"))));
        QVERIFY(load({}, {}).value().adminOnProxyPort);
        QVERIFY(load({}, {}).value().adminAllowedFrom(QHostAddress(QStringLiteral("203.0.113.1"))));
    }

    // Issue 15: configuration that would be ignored is refused, or named.
    void ignoredConfigurationIsRefusedOrNamed()
    {
        TempDataDir dir;
        const QString yaml = dir.filePath(QStringLiteral("config.yaml"));
        writeFile(yaml, "proxy:\n  port: 9999\n");
        auto refused = load({QStringLiteral("--config"), yaml}, {});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("unknown type '.yaml'")),
                 qPrintable(refused.error().message));

        const QString ini = dir.filePath(QStringLiteral("gatehouse.ini"));
        writeFile(ini, "; comment\n[proxy]\nport = 9999\nworkers: 4\n\n");
        refused = load({QStringLiteral("--config"), ini}, {});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("line 4 is not")), qPrintable(refused.error().message));

        writeFile(ini, "port = 9999\n");
        refused = load({QStringLiteral("--config"), ini}, {});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("did you mean proxy.port?")) ||
                     refused.error().message.contains(QLatin1String("did you mean admin.port?")),
                 qPrintable(refused.error().message));

        refused = load({}, {QStringLiteral("GATEHOUSE_REDIS_URL=redis://127.0.0.1:6379/abc")});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("a Redis database is a number")),
                 qPrintable(refused.error().message));
        QVERIFY(load({}, {QStringLiteral("GATEHOUSE_REDIS_URL=redis://127.0.0.1:6379/3")}).ok());

        QCommandLineParser parser;
        ConfigLoader::addOptions(parser);
        parser.process(QStringList{QStringLiteral("gatehoused")});
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("GATEHOUSE_PROXYPORT"), QStringLiteral("9999"));
        environment.insert(QStringLiteral("GATEHOUSE_TEST_DATABASE_URL"), QStringLiteral("postgresql://x/y"));
        QStringList warnings;
        QVERIFY(ConfigLoader::load(parser, environment, {}, &warnings).ok());
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(QLatin1String("did you mean GATEHOUSE_PROXY_PORT?")),
                 qPrintable(warnings.first()));
    }

    void everyProblemReportedOnItsOwnLine()
    {
        auto config = load(
            {QStringLiteral("--proxy-port"), QStringLiteral("x"), QStringLiteral("--workers"), QStringLiteral("-3")},
            {QStringLiteral("GATEHOUSE_LOG_LEVEL=chatty")});
        QVERIFY(!config.ok());
        QCOMPARE(config.error().message.split(QLatin1Char('\n')).size(), 3);
    }

    void unknownFileKeyIsAnError()
    {
        TempDataDir dir;
        const QString file = dir.filePath(QStringLiteral("gatehouse.ini"));
        writeFile(file, "[proxy]\nprot=8080\n");
        auto config = load({QStringLiteral("--config"), file});
        QVERIFY(!config.ok());
        QVERIFY2(config.error().message.contains(QLatin1String("proxy.prot")), qPrintable(config.error().message));
        QVERIFY(config.error().message.contains(QLatin1String("unknown setting")));
    }

    void brokenJsonFile()
    {
        TempDataDir dir;
        const QString file = dir.filePath(QStringLiteral("gatehouse.json"));
        writeFile(file, "{\"proxy\": ");
        auto config = load({QStringLiteral("--config"), file});
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QLatin1String("is not a JSON object")));
    }

    // What a reload applies at once and what waits for a restart, and what the gateway then runs with.
    void reloadKeepsWhatNeedsRestart()
    {
        auto running = load({QStringLiteral("--proxy-port"), QStringLiteral("8081"), QStringLiteral("--log-level"),
                             QStringLiteral("info")},
                            {QStringLiteral("GATEHOUSE_HEALTH_PROBE_INTERVAL_MS=30000")});
        auto next = load({QStringLiteral("--proxy-port"), QStringLiteral("8082"), QStringLiteral("--log-level"),
                          QStringLiteral("debug"), QStringLiteral("--tls-certificate"), QStringLiteral("/etc/c.pem"),
                          QStringLiteral("--tls-private-key"), QStringLiteral("/etc/k.pem")},
                         {QStringLiteral("GATEHOUSE_HEALTH_PROBE_INTERVAL_MS=60000"),
                          QStringLiteral("GATEHOUSE_LIMITS_MAX_BODY_BYTES=1M")});
        QVERIFY(running.ok() && next.ok());
        const auto changes =
            ConfigLoader::changes(ConfigLoader::fingerprint(*running), ConfigLoader::fingerprint(*next));
        QCOMPARE(changes.live, (QStringList{QStringLiteral("log.level"), QStringLiteral("health.probe_interval_ms"),
                                            QStringLiteral("limits.max_body_bytes")}));
        // TLS switched on changes the listener's scheme: a restart, as the port does.
        QCOMPARE(changes.restart, (QStringList{QStringLiteral("proxy.port"), QStringLiteral("proxy.tls_certificate"),
                                               QStringLiteral("proxy.tls_private_key")}));
        const Config applied = ConfigLoader::keepRunning(*running, *next, changes.restart);
        QCOMPARE(applied.proxy.port, quint16(8081));
        QVERIFY(applied.tlsCertificateFile.isEmpty());
        QCOMPARE(applied.logLevel, QStringLiteral("debug"));
        QCOMPARE(applied.healthProbeIntervalMs, 60'000);
        QCOMPARE(applied.limits.maxBodyBytes, qint64(1) << 20);

        // Probes turned off (or on) need a restart; a new certificate file while TLS is on does not.
        auto noProbes = load({}, {QStringLiteral("GATEHOUSE_HEALTH_PROBE_INTERVAL_MS=0")});
        QVERIFY(noProbes.ok());
        QCOMPARE(
            ConfigLoader::changes(ConfigLoader::fingerprint(*running), ConfigLoader::fingerprint(*noProbes)).restart,
            (QStringList{QStringLiteral("proxy.port")}) << QStringLiteral("health.probe_interval_ms"));
        auto renewed = load({QStringLiteral("--tls-certificate"), QStringLiteral("/etc/new.pem"),
                             QStringLiteral("--tls-private-key"), QStringLiteral("/etc/k.pem")});
        QVERIFY(renewed.ok());
        const auto tlsChanges =
            ConfigLoader::changes(ConfigLoader::fingerprint(*next), ConfigLoader::fingerprint(*renewed));
        QVERIFY(tlsChanges.live.contains(QStringLiteral("proxy.tls_certificate")));
        QVERIFY(!tlsChanges.restart.contains(QStringLiteral("proxy.tls_certificate")));
    }

    // The fingerprint a running gateway leaves on disk holds digests only, and no entry for a secret.
    void fingerprintHoldsNoValue()
    {
        auto config = load(
            {QStringLiteral("--database-url"), QStringLiteral("postgresql://gw:hunter2secret@db/gw")},
            {QStringLiteral("GATEHOUSE_MASTER_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")});
        QVERIFY(config.ok());
        const auto fingerprint = ConfigLoader::fingerprint(*config);
        QVERIFY(!fingerprint.contains(QStringLiteral("master_key")));
        static const QRegularExpression hexDigest(QStringLiteral("^[0-9a-f]{32}$"));
        for (const QByteArray& digest : fingerprint)
            QVERIFY2(hexDigest.match(QString::fromLatin1(digest)).hasMatch(), digest.constData());
    }

    void documentationIsCurrent()
    {
        QFile docs(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/docs/configuration.md"));
        QVERIFY(docs.open(QIODevice::ReadOnly));
        QVERIFY2(QString::fromUtf8(docs.readAll()).contains(ConfigLoader::referenceTable()),
                 "docs/configuration.md does not hold the current table: paste ConfigLoader::referenceTable() there");
    }

    void referenceListsEveryRequiredName()
    {
        const QString table = ConfigLoader::referenceTable();
        for (const char* name :
             {"GATEHOUSE_DATA_DIR", "GATEHOUSE_PROXY_PORT", "GATEHOUSE_ADMIN_PORT", "GATEHOUSE_DATABASE_URL",
              "GATEHOUSE_REDIS_URL", "GATEHOUSE_ADMIN_PASSWORD", "GATEHOUSE_MASTER_KEY", "GATEHOUSE_LOG_LEVEL",
              "GATEHOUSE_LOG_FORMAT", "GATEHOUSE_WORKERS", "--data-dir", "--proxy-port", "--admin-port", "--workers"})
            QVERIFY2(table.contains(QLatin1String(name)), name);
    }
};

GATEHOUSE_TEST_MAIN(TestConfigLoader)
#include "TestConfigLoader.moc"
