#include "FakeOpenAI.h"
#include "HttpTestClient.h"
#include "TempDataDir.h"
#include "TestRegistry.h"

#include "storage/Database.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

// The gatehoused program as an operator runs it: its command line, --check, start, SIGTERM.
class TestGatehoused : public QObject
{
    Q_OBJECT

private:
    QString binary() const { return qEnvironmentVariable("GATEHOUSED_BINARY"); }

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Run run(const QStringList& arguments, const QStringList& environment = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& pair : environment)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        process.setProcessEnvironment(env);
        process.start(binary(), arguments);
        Run result;
        if (!process.waitForFinished(30'000)) {
            process.kill();
            process.waitForFinished();
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

    // A running gatehoused whose banner was read: its output so far and its admin URL.
    struct Server
    {
        std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
        QString out;
        QUrl admin;

        void stop()
        {
            process->terminate();
            QVERIFY(process->waitForFinished(20'000));
        }
    };

    void start(Server& server, const QString& dataDir, const QStringList& environment = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& pair : environment)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        server.process->setProcessEnvironment(env);
        server.process->start(binary(), QStringList{QStringLiteral("--data-dir"), dataDir} + ephemeralPorts());
        QVERIFY(server.process->waitForStarted());
        // The text banner, or the JSON one (GATEHOUSE_LOG_FORMAT=json).
        const QRegularExpression adminLine(QStringLiteral("admin(?:: |_url\":\")(http://[^\\s\"]+/api/system/info)"));
        QTRY_VERIFY_WITH_TIMEOUT((server.out += QString::fromUtf8(server.process->readAllStandardOutput()),
                                  adminLine.match(server.out).hasMatch()),
                                 20'000);
        server.admin = QUrl(adminLine.match(server.out).captured(1));
    }

    static int login(const QUrl& admin, const QString& username, const QString& password)
    {
        HttpTestClient client;
        return client
            .post(admin.resolved(QUrl(QStringLiteral("/api/auth/login"))),
                  QJsonDocument(
                      QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}})
                      .toJson())
            .status;
    }

    QStringList ephemeralPorts() const
    {
        return {QStringLiteral("--proxy-port"),    QStringLiteral("0"),
                QStringLiteral("--admin-port"),    QStringLiteral("0"),
                QStringLiteral("--proxy-address"), QStringLiteral("127.0.0.1")};
    }

private slots:
    void initTestCase() { QVERIFY2(QFile::exists(binary()), "GATEHOUSED_BINARY must point at gatehoused"); }

    void helpAndVersion()
    {
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char* option :
             {"--config", "--data-dir", "--proxy-port", "--admin-port", "--workers", "--check", "reset-admin-password"})
            QVERIFY2(help.out.contains(QLatin1String(option)), option);
        const Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(version.out.contains(QStringLiteral("gatehoused " GATEHOUSE_VERSION)), qPrintable(version.out));
    }

    // Linked with jemalloc (CMakeLists.txt), ahead of glibc's malloc: asked to, jemalloc reports itself at exit.
    void allocatesWithJemalloc()
    {
        if (qEnvironmentVariable("GATEHOUSED_ALLOCATOR") != QLatin1String("jemalloc"))
            QSKIP("gatehoused was built without jemalloc, as the sanitizer builds are");
        const Run version = run({QStringLiteral("--version")}, {QStringLiteral("MALLOC_CONF=stats_print:true")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(version.err.contains(QStringLiteral("Begin jemalloc statistics")), qPrintable(version.err.left(300)));
    }

    void invalidConfigurationExitsWithOneLinePerProblem()
    {
        const Run bad =
            run({QStringLiteral("--proxy-port"), QStringLiteral("x")}, {QStringLiteral("GATEHOUSE_LOG_FORMAT=xml")});
        QCOMPARE(bad.exitCode, 2);
        const QStringList lines = bad.err.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).startsWith(QLatin1String("gatehoused: error: ")));
    }

    void checkPassesOnAGoodSetup()
    {
        TempDataDir dir;
        const Run check =
            run(QStringList{QStringLiteral("--check"), QStringLiteral("--data-dir"), dir.path()} + ephemeralPorts());
        QCOMPARE(check.exitCode, 0);
        QVERIFY(check.out.contains(QLatin1String("configuration OK")));
    }

    void checkReportsEveryProblem()
    {
        TempDataDir dir;
        QFile blocker(dir.filePath(QStringLiteral("not-a-dir")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));

        const Run check =
            run({QStringLiteral("--check"), QStringLiteral("--data-dir"), blocker.fileName() + "/data",
                 QStringLiteral("--proxy-address"), QStringLiteral("127.0.0.1"), QStringLiteral("--proxy-port"),
                 QString::number(taken.serverPort()), QStringLiteral("--admin-port"), QStringLiteral("0")});
        QCOMPARE(check.exitCode, 1);
        QVERIFY2(check.err.contains(QStringLiteral("proxy port 127.0.0.1:%1 cannot be bound").arg(taken.serverPort())),
                 qPrintable(check.err));
        QVERIFY2(check.err.contains(QLatin1String("data directory")), qPrintable(check.err));
    }

    // Issue 15: --check creates nothing (it left a ./data behind), and refuses what the start would refuse.
    void checkCreatesNothingAndChecksWhatTheStartChecks()
    {
        TempDataDir parent;
        const QString data = parent.filePath(QStringLiteral("data"));
        const Run clean =
            run(QStringList{QStringLiteral("--check"), QStringLiteral("--data-dir"), data} + ephemeralPorts());
        QCOMPARE(clean.exitCode, 0);
        QVERIFY(!QFileInfo::exists(data));

        const Run weak =
            run(QStringList{QStringLiteral("--check"), QStringLiteral("--data-dir"), data} + ephemeralPorts(),
                {QStringLiteral("GATEHOUSE_ADMIN_PASSWORD=short")});
        QCOMPARE(weak.exitCode, 1);
        QVERIFY2(weak.err.contains(QLatin1String("GATEHOUSE_ADMIN_PASSWORD")), qPrintable(weak.err));

        // A Redis that does not answer; and, when the tests have one, one that does.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString deadRedis = QStringLiteral("GATEHOUSE_REDIS_URL=redis://127.0.0.1:%1/0").arg(closed.serverPort());
        closed.close();
        const Run noRedis = run(
            QStringList{QStringLiteral("--check"), QStringLiteral("--data-dir"), data} + ephemeralPorts(), {deadRedis});
        QCOMPARE(noRedis.exitCode, 1);
        QVERIFY2(noRedis.err.contains(QLatin1String("redis")) &&
                     noRedis.err.contains(QLatin1String("cannot be reached")),
                 qPrintable(noRedis.err));
        if (const QString redis = qEnvironmentVariable("GATEHOUSE_TEST_REDIS_URL"); !redis.isEmpty())
            QCOMPARE(run(QStringList{QStringLiteral("--check"), QStringLiteral("--data-dir"), data} + ephemeralPorts(),
                         {QStringLiteral("GATEHOUSE_REDIS_URL=") + redis})
                         .exitCode,
                     0);

        // A database written by a newer gatehoused.
        QVERIFY(QDir().mkpath(data));
        {
            Config config;
            config.dataDir = data;
            Database database(config);
            QVERIFY(database.exec(QStringLiteral("CREATE TABLE schema_version (version INTEGER, name TEXT, applied_at "
                                                 "BIGINT)")));
            QVERIFY(database.exec(QStringLiteral("INSERT INTO schema_version VALUES (999, 'future', 0)")));
        }
        const Run newer =
            run(QStringList{QStringLiteral("--check"), QStringLiteral("--data-dir"), data} + ephemeralPorts());
        QCOMPARE(newer.exitCode, 1);
        QVERIFY2(newer.err.contains(QLatin1String("schema version 999 is newer")), qPrintable(newer.err));
    }

    // The master key a start would find must be the one the database's secrets were sealed with.
    void checkFindsAMasterKeyThatDoesNotMatch()
    {
        TempDataDir dir;
        const QString keyA = QStringLiteral("GATEHOUSE_MASTER_KEY=") + QString(64, u'a');
        const QString keyB = QStringLiteral("GATEHOUSE_MASTER_KEY=") + QString(64, u'b');
        QProcess first;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_MASTER_KEY"), QString(64, u'a'));
        first.setProcessEnvironment(env);
        first.start(binary(), QStringList{QStringLiteral("--data-dir"), dir.path()} + ephemeralPorts());
        QVERIFY(first.waitForStarted());
        QString out;
        QTRY_VERIFY_WITH_TIMEOUT((out += QString::fromUtf8(first.readAllStandardOutput()), out.contains("admin: ")),
                                 20'000);
        first.terminate();
        QVERIFY(first.waitForFinished(20'000));

        const QStringList check =
            QStringList{QStringLiteral("--check"), QStringLiteral("--data-dir"), dir.path()} + ephemeralPorts();
        const Run wrong = run(check, {keyB});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(QLatin1String("does not match")), qPrintable(wrong.err));
        QCOMPARE(run(check, {keyA}).exitCode, 0);
    }

    void startFailsClearlyWhenThePortIsTaken()
    {
        TempDataDir dir;
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        const Run start =
            run({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--proxy-port"), QStringLiteral("0"),
                 QStringLiteral("--admin-port"), QString::number(taken.serverPort())});
        QCOMPARE(start.exitCode, 1);
        QVERIFY2(start.err.contains(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(taken.serverPort())),
                 qPrintable(start.err));
        // Issue 15: the failed first start created no admin whose generated password no one saw; the next start
        // creates it and shows the password.
        Config config;
        config.dataDir = dir.path();
        Database database(config);
        auto users = database.exec(QStringLiteral("SELECT COUNT(*) FROM users"));
        QVERIFY(users && users->next());
        QCOMPARE(users->value(0).toInt(), 0);
    }

    // Issue 15: the documented way back in when no one can sign in, while the server runs and while it is stopped.
    void resetAdminPasswordLetsTheAdminBackIn()
    {
        TempDataDir dir;
        const QString original = QStringLiteral("original-Passw0rd!");
        Server server;
        start(server, dir.path(), {QStringLiteral("GATEHOUSE_ADMIN_PASSWORD=") + original});
        QVERIFY(!server.out.contains(QLatin1String("first start")));
        QCOMPARE(login(server.admin, QStringLiteral("admin"), original), 200);

        const QStringList reset{QStringLiteral("reset-admin-password"), QStringLiteral("--data-dir"), dir.path()};
        const Run running = run(reset, {QStringLiteral("GATEHOUSE_ADMIN_PASSWORD=")});
        QCOMPARE(running.exitCode, 0);
        const QRegularExpression printed(QStringLiteral("log in with password (\\S+) "));
        QVERIFY2(printed.match(running.out).hasMatch(), qPrintable(running.out));
        const QString generated = printed.match(running.out).captured(1);
        QVERIFY(generated.size() >= 16);
        QCOMPARE(login(server.admin, QStringLiteral("admin"), original), 401);
        QCOMPARE(login(server.admin, QStringLiteral("admin"), generated), 200);

        const Run unknown = run(reset + QStringList{QStringLiteral("--user"), QStringLiteral("root")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(QLatin1String("no user 'root'; the super admins are: admin")),
                 qPrintable(unknown.err));
        server.stop();
        QVERIFY2(!server.process->readAllStandardError().contains(generated.toLatin1()),
                 "the password must never reach the log");

        // Stopped, with the password from the environment; then a start that ignores GATEHOUSE_ADMIN_PASSWORD says so.
        const QString chosen = QStringLiteral("chosen-Passw0rd!");
        const Run stopped = run(reset, {QStringLiteral("GATEHOUSE_ADMIN_PASSWORD=") + chosen});
        QCOMPARE(stopped.exitCode, 0);
        QVERIFY2(stopped.out.contains(QLatin1String("log in with GATEHOUSE_ADMIN_PASSWORD")), qPrintable(stopped.out));
        QVERIFY(!stopped.out.contains(chosen));
        Server again;
        start(again, dir.path(), {QStringLiteral("GATEHOUSE_ADMIN_PASSWORD=ignored-Passw0rd!")});
        QCOMPARE(login(again.admin, QStringLiteral("admin"), chosen), 200);
        again.stop();
        QVERIFY(again.process->readAllStandardError().contains(
            "GATEHOUSE_ADMIN_PASSWORD is ignored: the database has users already"));

        Config config;
        config.dataDir = dir.path();
        Database database(config);
        auto audit = database.exec(QStringLiteral(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.password_reset' AND actor_name LIKE 'gatehoused%'"));
        QVERIFY(audit && audit->next());
        QCOMPARE(audit->value(0).toInt(), 2);

        // Run as another user than the one who owns the database, it would leave files the server cannot open.
        if (::geteuid() == 0) {
            const QByteArray file = QFile::encodeName(config.sqlitePath());
            QCOMPARE(::chown(file.constData(), 65534, 65534), 0);
            const Run wrongUser = run(reset);
            QCOMPARE(::chown(file.constData(), 0, 0), 0);
            QCOMPARE(wrongUser.exitCode, 1);
            QVERIFY2(wrongUser.err.contains(QLatin1String("run this command as that user")), qPrintable(wrongUser.err));
        }

        const Run noDatabase = run({QStringLiteral("reset-admin-password"), QStringLiteral("--data-dir"),
                                    dir.filePath(QStringLiteral("elsewhere"))});
        QCOMPARE(noDatabase.exitCode, 1);
        QVERIFY2(noDatabase.err.contains(QLatin1String("no database at")), qPrintable(noDatabase.err));
    }

    void startFailsClearlyWhenTheDataDirIsNotWritable()
    {
        TempDataDir dir;
        QFile blocker(dir.filePath(QStringLiteral("not-a-dir")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Run start =
            run(QStringList{QStringLiteral("--data-dir"), blocker.fileName() + "/data"} + ephemeralPorts());
        QCOMPARE(start.exitCode, 1);
        QVERIFY2(start.err.contains(QLatin1String("data directory")), qPrintable(start.err));
    }

    void servesSystemInfoAndStopsGracefullyOnSigterm()
    {
        TempDataDir dir;
        QProcess process;
        process.start(binary(), QStringList{QStringLiteral("--data-dir"), dir.path()} + ephemeralPorts());
        QVERIFY(process.waitForStarted());

        // The banner's URLs answer as printed (the admin line used to print ".../api/", a 404).
        // The text banner, or the JSON one (GATEHOUSE_LOG_FORMAT=json).
        const QRegularExpression adminLine(QStringLiteral("admin: (http://\\S+/api/system/info)"));
        const QRegularExpression proxyLine(QStringLiteral("proxy: (http://\\S+)  "));
        QString out;
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += QString::fromUtf8(process.readAllStandardOutput()), adminLine.match(out).hasMatch()), 20'000);
        const QUrl admin(adminLine.match(out).captured(1));
        HttpTestClient anonymous;
        QCOMPARE(anonymous.get(admin).status, 200);
        QVERIFY2(proxyLine.match(out).hasMatch(), qPrintable(out));
        const QUrl proxy(proxyLine.match(out).captured(1));
        QCOMPARE(anonymous.get(proxy.resolved(QUrl(QStringLiteral("/healthz")))).status, 200);
        // First start without GATEHOUSE_ADMIN_PASSWORD: a generated password, shown once.
        const QRegularExpression firstStart(QStringLiteral("log in as 'admin' with password (\\S+)"));
        QVERIFY2(firstStart.match(out).hasMatch(), qPrintable(out));
        const QString password = firstStart.match(out).captured(1);
        QVERIFY(password.size() >= 16);

        HttpTestClient client;
        const auto login = client.post(admin.resolved(QUrl(QStringLiteral("/api/auth/login"))),
                                       QJsonDocument(QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                                 {QStringLiteral("password"), password}})
                                           .toJson());
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json()[QLatin1String("accessToken")].toString().toLatin1();
        const auto info = client.get(admin.resolved(QUrl(QStringLiteral("/api/system/info"))),
                                     {{"Authorization", "Bearer " + token}});
        QCOMPARE(info.status, 200);
        const QJsonObject object = info.json().object();
        QCOMPARE(object.value(QLatin1String("version")).toString(), QStringLiteral(GATEHOUSE_VERSION));
        QVERIFY(object.contains(QLatin1String("uptimeSeconds")));
        QCOMPARE(object.value(QLatin1String("database")).toObject().value(QLatin1String("kind")).toString(),
                 QStringLiteral("sqlite"));
        QCOMPARE(object.value(QLatin1String("listeners"))
                     .toObject()
                     .value(QLatin1String("admin"))
                     .toObject()
                     .value(QLatin1String("port"))
                     .toInt(),
                 admin.port());

        process.terminate(); // SIGTERM
        QVERIFY(process.waitForFinished(20'000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        const QByteArray log = process.readAllStandardError();
        QVERIFY(log.contains("stopped"));
        QVERIFY2(!log.contains(password.toLatin1()), "the admin password must never reach the log");
    }

    // Started from a shell's soft limit of 1024 open files, it serves with the hard limit (4096 here), and says when
    // even that is below what limits.max_connections needs (3 per connection: 5000 need 15256), not when it is enough.
    void raisesItsOpenFileLimit_data()
    {
        QTest::addColumn<QString>("maxConnections");
        QTest::addColumn<bool>("warns");
        QTest::newRow("too many connections") << QStringLiteral("5000") << true;
        QTest::newRow("enough descriptors") << QStringLiteral("1000") << false;
    }

    void raisesItsOpenFileLimit()
    {
        QFETCH(QString, maxConnections);
        QFETCH(bool, warns);
        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
        if (limit.rlim_max < 4096)
            QSKIP("the hard limit is below the 4096 this test gives the server");
        TempDataDir dir;
        QProcess process;
        process.setChildProcessModifier([] {
            const rlimit shellLike{1024, 4096};
            setrlimit(RLIMIT_NOFILE, &shellLike);
        });
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("GATEHOUSE_LIMITS_MAX_CONNECTIONS"), maxConnections);
        process.setProcessEnvironment(environment);
        process.start(binary(), QStringList{QStringLiteral("--data-dir"), dir.path()} + ephemeralPorts());
        QVERIFY(process.waitForStarted());
        QString out;
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += QString::fromUtf8(process.readAllStandardOutput()), out.contains(QLatin1String("is running"))),
            20'000);
        QFile limits(QStringLiteral("/proc/%1/limits").arg(process.processId()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        const QString openFiles = QString::fromLatin1(limits.readAll())
                                      .split(u'\n')
                                      .filter(QStringLiteral("Max open files"))
                                      .value(0)
                                      .simplified();
        QCOMPARE(openFiles, QStringLiteral("Max open files 4096 4096 files"));
        process.terminate();
        QVERIFY(process.waitForFinished(20'000));
        const QByteArray log = process.readAllStandardError();
        QCOMPARE(log.contains("open-file limit below what limits.max_connections needs"), warns);
    }

    // At info the access lines wait in a batch (up to 100 ms); a stop right after a request still writes them, before
    // the lines that come later.
    void accessLinesKeepTheirPlace()
    {
        TempDataDir dir;
        Server server;
        start(server, dir.path(),
              {QStringLiteral("GATEHOUSE_LOG_LEVEL=info"), QStringLiteral("GATEHOUSE_LOG_FORMAT=text")});
        const QRegularExpression proxyLine(QStringLiteral("proxy: (http://[0-9.:]+)"));
        const QUrl proxy(proxyLine.match(server.out).captured(1));
        HttpTestClient client;
        QCOMPARE(client.post(proxy.resolved(QUrl(QStringLiteral("/v1/chat/completions"))), "{}").status, 401);
        server.stop();
        const QStringList lines =
            QString::fromUtf8(server.process->readAllStandardError()).split(u'\n', Qt::SkipEmptyParts);
        qsizetype access = -1, stopped = -1;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (lines[i].contains(QLatin1String(" gatehouse.access: request ")))
                access = i;
            if (lines[i].contains(QLatin1String(" stopped")))
                stopped = i;
        }
        QVERIFY2(access >= 0, qPrintable(lines.join(u'\n')));
        QVERIFY2(access < stopped && stopped == lines.size() - 1, qPrintable(lines.join(u'\n')));
    }

    // Issue 15: one access line per request with the fields an operator greps for, real JSON fields with
    // GATEHOUSE_LOG_FORMAT=json (the banner included), and no secret in either format, whatever the traffic.
    void logsCarryFieldsAndNoSecret_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("text") << QStringLiteral("text");
        QTest::newRow("json") << QStringLiteral("json");
    }

    void logsCarryFieldsAndNoSecret()
    {
        QFETCH(QString, format);
        const QString adminPassword = QStringLiteral("known-admin-Passw0rd");
        const QString masterKey = QString(64, u'c');
        const QString providerSecret = QStringLiteral("sk-known-provider-secret-0123456789");
        const QString wrongPassword = QStringLiteral("wrong-but-secret-Passw0rd");
        FakeOpenAI openai;
        openai.addApiKey(providerSecret);
        openai.setUsage({.promptTokens = 11, .completionTokens = 7});
        QVERIFY(openai.listen());

        TempDataDir dir;
        Server server;
        start(server, dir.path(),
              {QStringLiteral("GATEHOUSE_LOG_FORMAT=") + format, QStringLiteral("GATEHOUSE_LOG_LEVEL=debug"),
               QStringLiteral("GATEHOUSE_ADMIN_PASSWORD=") + adminPassword,
               QStringLiteral("GATEHOUSE_MASTER_KEY=") + masterKey});
        QCOMPARE(login(server.admin, QStringLiteral("admin"), wrongPassword), 401);
        HttpTestClient client;
        const auto session =
            client.post(server.admin.resolved(QUrl(QStringLiteral("/api/auth/login"))),
                        QJsonDocument(QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                  {QStringLiteral("password"), adminPassword}})
                            .toJson());
        QCOMPARE(session.status, 200);
        const QString accessToken = session.json()[QLatin1String("accessToken")].toString();
        const QString refreshToken = session.json()[QLatin1String("refreshToken")].toString();
        const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + accessToken.toLatin1()},
                                                        {"Content-Type", "application/json"}};
        const auto api = [&](const QByteArray& method, const QString& path, const QJsonObject& body) {
            return client.send(method, server.admin.resolved(QUrl(path)), QJsonDocument(body).toJson(), auth);
        };
        QCOMPARE(api("PATCH", QStringLiteral("/api/provider-types/1"), {{"baseUrl", openai.url().toString()}}).status,
                 200);
        const auto providerKey = api("POST", QStringLiteral("/api/provider-keys"),
                                     {{"name", "team"}, {"providerTypeId", 1}, {"secret", providerSecret}});
        QCOMPARE(providerKey.status, 201);
        const auto created =
            api("POST", QStringLiteral("/api/gateway-keys"),
                {{"providerTypeId", 1}, {"pool", QJsonArray{providerKey.json()[QLatin1String("id")]}}});
        QCOMPARE(created.status, 201);
        const QByteArray gatewayKey = created.json()[QLatin1String("key")].toString().toLatin1();

        const QRegularExpression proxyLine(QStringLiteral("proxy(?:: |_url\":\")(http://[0-9.:]+)"));
        const QUrl proxy(proxyLine.match(server.out).captured(1));
        const auto complete = [&](const QByteArray& key, const QByteArray& model) {
            return client.post(proxy.resolved(QUrl(QStringLiteral("/v1/chat/completions?key=") + key)),
                               R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}]})",
                               {{"Authorization", "Bearer " + key}});
        };
        QCOMPARE(complete(gatewayKey, "gpt-4o-mini").status, 200);
        const QByteArray unknownKey = "gh-" + QByteArray(40, 'Z');
        QCOMPARE(complete(unknownKey, "gpt-4o-mini").status, 401);
        // A model name that tries to forge a log line.
        QCOMPARE(complete(gatewayKey, "x\\nFORGED status=200").status, 200);
        server.stop();

        const QString err = QString::fromUtf8(server.process->readAllStandardError());
        // The access lines go out in batches, yet never after a later line: the stop's own line comes last.
        QVERIFY2(err.trimmed().section(u'\n', -1).contains(QLatin1String("stopped")), qPrintable(err.right(400)));
        const QString everything = server.out + QString::fromUtf8(server.process->readAllStandardOutput()) + err;
        for (const QString& secret : {adminPassword, masterKey, providerSecret, wrongPassword, accessToken,
                                      refreshToken, QString::fromLatin1(gatewayKey), QString::fromLatin1(unknownKey)})
            QVERIFY2(!everything.contains(secret),
                     qPrintable(QStringLiteral("a secret reached the output: ") + secret));
        for (const QString& line : everything.split(u'\n', Qt::SkipEmptyParts))
            QVERIFY2(!line.startsWith(QLatin1String("FORGED")), qPrintable(line));

        // The access lines: one per proxied request, the failure at info (a client's mistake, not the gateway's).
        const QString keyPrefix = QString::fromLatin1(gatewayKey.left(10));
        QList<QJsonObject> access;
        for (const QString& line : err.split(u'\n', Qt::SkipEmptyParts)) {
            if (format == QLatin1String("json")) {
                QJsonParseError error;
                const QJsonObject object = QJsonDocument::fromJson(line.toUtf8(), &error).object();
                QVERIFY2(error.error == QJsonParseError::NoError && object.contains(QLatin1String("time")) &&
                             object.contains(QLatin1String("level")) && object.contains(QLatin1String("message")),
                         qPrintable(line));
                if (object.value(QLatin1String("category")) == QLatin1String("gatehouse.access"))
                    access << object;
            } else if (line.contains(QLatin1String(" gatehouse.access: request "))) {
                QVERIFY2(line.contains(QLatin1String(" info ")), qPrintable(line));
                access << QJsonObject{{QStringLiteral("line"), line}};
            }
        }
        QCOMPARE(access.size(), 3);
        if (format == QLatin1String("json")) {
            const QJsonObject ok = access.at(0);
            QCOMPARE(ok.value(QLatin1String("status")).toInt(-1), 200); // a number, not text
            QCOMPARE(ok.value(QLatin1String("model")).toString(), QStringLiteral("gpt-4o-mini"));
            QCOMPARE(ok.value(QLatin1String("path")).toString(), QStringLiteral("/v1/chat/completions"));
            QCOMPARE(ok.value(QLatin1String("prompt_tokens")).toInt(), 11);
            QCOMPARE(ok.value(QLatin1String("completion_tokens")).toInt(), 7);
            QCOMPARE(ok.value(QLatin1String("key")).toString(), keyPrefix);
            QCOMPARE(ok.value(QLatin1String("provider")).toString(), QStringLiteral("openai"));
            QVERIFY(ok.value(QLatin1String("provider_key_id")).toInt() > 0);
            QCOMPARE(ok.value(QLatin1String("client")).toString(), QStringLiteral("127.0.0.1"));
            QVERIFY(ok.value(QLatin1String("duration_ms")).isDouble() && ok.value(QLatin1String("ttfb_ms")).isDouble());
            QCOMPARE(access.at(1).value(QLatin1String("status")).toInt(), 401);
            QCOMPARE(access.at(1).value(QLatin1String("error")).toString(), QStringLiteral("invalid_key"));
            QCOMPARE(access.at(2).value(QLatin1String("model")).toString(), QStringLiteral("x\nFORGED status=200"));
            // The banner, as JSON fields too.
            const QJsonObject banner = QJsonDocument::fromJson(server.out.section(u'\n', 0, 0).toUtf8()).object();
            QVERIFY2(banner.value(QLatin1String("admin_url")).toString().endsWith(QLatin1String("/api/system/info")),
                     qPrintable(server.out));
        } else {
            const QString ok = access.at(0).value(QLatin1String("line")).toString();
            for (const QString& field :
                 {QStringLiteral("status=200"), QStringLiteral("model=gpt-4o-mini"),
                  QStringLiteral("path=/v1/chat/completions"), QStringLiteral("prompt_tokens=11"),
                  QStringLiteral("key=") + keyPrefix, QStringLiteral("provider=openai"),
                  QStringLiteral("client=127.0.0.1"), QStringLiteral("request_id=")})
                QVERIFY2(ok.contains(field), qPrintable(field + QStringLiteral(" missing in ") + ok));
            QVERIFY2(access.at(1).value(QLatin1String("line")).toString().contains(QLatin1String("error=invalid_key")),
                     qPrintable(access.at(1).value(QLatin1String("line")).toString()));
            QVERIFY2(access.at(2)
                         .value(QLatin1String("line"))
                         .toString()
                         .contains(QLatin1String(R"(model="x\nFORGED status=200")")),
                     qPrintable(access.at(2).value(QLatin1String("line")).toString()));
        }
    }

    // Under the usual umask 022, what gatehoused creates holds secrets and traffic: no one but its owner reads it.
    void createsItsDataForItsOwnerOnly()
    {
        TempDataDir parent;
        const QString data = parent.path() + QStringLiteral("/data");
        const mode_t previous = ::umask(022);
        QProcess process;
        process.start(binary(), QStringList{QStringLiteral("--data-dir"), data} + ephemeralPorts());
        ::umask(previous);
        QVERIFY(process.waitForStarted());
        QString out;
        QTRY_VERIFY_WITH_TIMEOUT((out += QString::fromUtf8(process.readAllStandardOutput()), out.contains("admin: ")),
                                 20'000);

        const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        QCOMPARE(QFileInfo(data).permissions() & ~QFileDevice::ReadUser & ~QFileDevice::WriteUser &
                     ~QFileDevice::ExeUser,
                 owner | QFileDevice::ExeOwner);
        for (const char* file : {"gatehouse.db", "gatehouse.db-wal", "gatehouse.db-shm", "master.key"}) {
            const QFileInfo info(data + u'/' + QLatin1String(file));
            QVERIFY2(info.exists(), file);
            QCOMPARE(info.permissions() & ~QFileDevice::ReadUser & ~QFileDevice::WriteUser, owner);
        }
        process.terminate();
        QVERIFY(process.waitForFinished(20'000));
    }
};

GATEHOUSE_TEST_MAIN(TestGatehoused)
#include "TestGatehoused.moc"
