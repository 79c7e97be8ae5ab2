#include "FakeOpenAI.h"
#include "GatehousedProcess.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

// `gatehoused backup FILE` while the server serves, and a restore from that file as docs/operations.md tells it: the
// restored gateway knows its users and keys, and its provider secrets still decrypt.
class TestBackup : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kPassword = "backup-admin-password";
    static constexpr const char* kMasterKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    FakeOpenAI m_openai;

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"), QLatin1String(kPassword));
        env.insert(QStringLiteral("GATEHOUSE_MASTER_KEY"), QLatin1String(kMasterKey));
        env.insert(QStringLiteral("GATEHOUSE_LOG_LEVEL"), QStringLiteral("warning"));
        return env;
    }

    static int chat(const QUrl& proxy, const QByteArray& key)
    {
        HttpTestClient client;
        return client
            .post(proxy.resolved(QUrl(QStringLiteral("/v1/chat/completions"))),
                  "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                  {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}})
            .status;
    }

    static QProcess* backup(const QStringList& arguments)
    {
        auto* process = new QProcess;
        process->setProcessEnvironment(environment());
        process->start(qEnvironmentVariable("GATEHOUSED_BINARY"), QStringList{QStringLiteral("backup")} + arguments);
        return process;
    }

private slots:
    void initTestCase()
    {
        m_openai.addApiKey(QStringLiteral("sk-backup-0123456789"));
        QVERIFY(m_openai.listen());
    }

    void aBackupTakenWhileServingRestores()
    {
        QTemporaryDir original, restored, backups;
        QByteArray gatewayKey;
        const QString file = backups.filePath(QStringLiteral("gatehouse-backup.db"));
        {
            GatehousedProcess server;
            QVERIFY(server.start(original.path(), environment()));
            const QByteArray token = server.logIn(QStringLiteral("admin"), QLatin1String(kPassword));
            QCOMPARE(server
                         .api("PATCH", QStringLiteral("/api/provider-types/1"), token,
                              {{QStringLiteral("baseUrl"), m_openai.url().toString()}})
                         .status,
                     200);
            const auto providerKey = server.api("POST", QStringLiteral("/api/provider-keys"), token,
                                                {{QStringLiteral("providerTypeId"), 1},
                                                 {QStringLiteral("name"), QStringLiteral("team")},
                                                 {QStringLiteral("secret"), QStringLiteral("sk-backup-0123456789")}});
            QCOMPARE(providerKey.status, 201);
            const auto created =
                server.api("POST", QStringLiteral("/api/gateway-keys"), token,
                           {{QStringLiteral("name"), QStringLiteral("app")},
                            {QStringLiteral("providerTypeId"), 1},
                            {QStringLiteral("pool"), QJsonArray{providerKey.json()[QLatin1String("id")]}}});
            QCOMPARE(created.status, 201);
            gatewayKey = created.json()[QLatin1String("key")].toString().toLatin1();
            QTRY_COMPARE(chat(server.proxy(), gatewayKey), 200);

            // The backup runs while requests go on and their traces are written.
            std::unique_ptr<QProcess> running(backup({file, QStringLiteral("--data-dir"), original.path()}));
            int served = 0;
            QElapsedTimer spent;
            spent.start();
            while ((running->state() != QProcess::NotRunning || served < 20) && spent.elapsed() < 30'000)
                served += chat(server.proxy(), gatewayKey) == 200 ? 1 : 0;
            QCOMPARE(running->state(), QProcess::NotRunning);
            QCOMPARE(running->exitCode(), 0);
            QVERIFY2(running->readAllStandardOutput().contains("backed up"), "no confirmation");
            struct stat info;
            QCOMPARE(::stat(QFile::encodeName(file).constData(), &info), 0);
            QCOMPARE(info.st_mode & 0777, 0600u);

            // Never over an existing file.
            std::unique_ptr<QProcess> again(backup({file, QStringLiteral("--data-dir"), original.path()}));
            QVERIFY(again->waitForFinished(30'000));
            QCOMPARE(again->exitCode(), 1);
            QVERIFY(again->readAllStandardError().contains("cannot create"));
        }

        // Restore: the file becomes the database of a fresh data directory; the same master key reads it.
        QVERIFY(QFile::copy(file, restored.filePath(QStringLiteral("gatehouse.db"))));
        GatehousedProcess server;
        QVERIFY(server.start(restored.path(), environment()));
        QCOMPARE(chat(server.proxy(), gatewayKey), 200); // the gateway key, its pool and the sealed provider key
        QVERIFY(!server.logIn(QStringLiteral("admin"), QLatin1String(kPassword)).isEmpty());
    }

    void postgresqlIsBackedUpWithItsOwnTools()
    {
        std::unique_ptr<QProcess> refused(backup({QStringLiteral("/tmp/unused.db"), QStringLiteral("--database-url"),
                                                  QStringLiteral("postgresql://gatehouse@127.0.0.1:1/gatehouse")}));
        QVERIFY(refused->waitForFinished(30'000));
        QCOMPARE(refused->exitCode(), 2);
        QVERIFY(refused->readAllStandardError().contains("pg_dump"));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/unused.db")));
    }
};

GATEHOUSE_TEST_MAIN(TestBackup)
#include "TestBackup.moc"
