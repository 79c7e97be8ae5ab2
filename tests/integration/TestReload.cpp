#include "GatehousedProcess.h"
#include "HttpTestClient.h"
#include "NotifySocket.h"
#include "RawHttpClient.h"
#include "TestCertificates.h"
#include "TestRegistry.h"

#include <QFile>
#include <QProcess>
#include <QSaveFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// A running gatehoused takes a new configuration — an edit of its config file, or SIGHUP (systemctl reload) — without
// a restart and without dropping a connection; says what waits for a restart; refuses a bad edit as a whole; and
// tells systemd (Type=notify) when it is ready, reloading, alive and stopping.
class TestReload : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kPassword = "reload-admin-password";
    static constexpr const char* kHealthz = "GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n";

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"), QLatin1String(kPassword));
        for (const QString& name : env.keys()) {
            if (name.startsWith(QLatin1String("GATEHOUSE_LOG"))) // the file's settings must be the ones that count
                env.remove(name);
        }
        return env;
    }

    // Written as editors do: a new file renamed over the old one.
    static bool writeFile(const QString& path, const QByteArray& text)
    {
        QSaveFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(text) == text.size() && file.commit();
    }

    // The status of a chat request without a gateway key whose body is `bytes` long: 413 over limits.max_body_bytes,
    // else 401.
    static int statusOfBody(GatehousedProcess& gatehoused, int bytes)
    {
        HttpTestClient client;
        return client
            .post(gatehoused.proxy().resolved(QUrl(QStringLiteral("/v1/chat/completions"))), QByteArray(bytes, 'x'),
                  {{"Content-Type", "application/json"}})
            .status;
    }

    // The output after `from`, once it holds `needle` (empty when 10 s pass).
    static QString waitForOutput(GatehousedProcess& gatehoused, qsizetype from, const QString& needle)
    {
        (void)QTest::qWaitFor([&] { return gatehoused.output().indexOf(needle, from) >= 0; }, 10'000);
        const QString out = gatehoused.output();
        return out.indexOf(needle, from) >= 0 ? out.mid(from) : QString();
    }

    static QString lineWith(const QString& text, const QString& needle)
    {
        for (const QString& line : text.split(QLatin1Char('\n'))) {
            if (line.contains(needle))
                return line;
        }
        return {};
    }

private slots:
    void editedFileAppliesWithoutDroppingConnections()
    {
        QTemporaryDir dir;
        const QString configFile = dir.filePath(QStringLiteral("gatehoused.ini"));
        QVERIFY(writeFile(configFile, "workers = 2\n\n[log]\nlevel = info\n\n[limits]\nmax_body_bytes = 1K\n"));
        // Fixed ports, as an operator configures them (the later options win over GatehousedProcess's 0), found free
        // together so that they differ.
        QTcpServer proxyProbe, adminProbe;
        QVERIFY(proxyProbe.listen(QHostAddress::LocalHost) && adminProbe.listen(QHostAddress::LocalHost));
        const QStringList ports{QStringLiteral("--proxy-port"), QString::number(proxyProbe.serverPort()),
                                QStringLiteral("--admin-port"), QString::number(adminProbe.serverPort())};
        proxyProbe.close();
        adminProbe.close();
        GatehousedProcess gatehoused;
        QVERIFY(gatehoused.start(dir.filePath(QStringLiteral("data")), environment(),
                                 QStringList{QStringLiteral("--config"), configFile} + ports));
        QCOMPARE(statusOfBody(gatehoused, 2000), 413);

        // A keep-alive connection with one request answered and the next one half sent when the file changes.
        RawHttpClient client;
        QVERIFY(client.connectTo(quint16(gatehoused.proxy().port())));
        client.send(kHealthz);
        QCOMPARE(client.readResponse().status, 200);
        client.send("GET /healthz HTTP/1.1\r\nHost: gateway\r\n");

        qsizetype mark = gatehoused.output().size();
        QVERIFY(writeFile(configFile, "workers = 3\n\n[log]\nlevel = debug\n\n[limits]\nmax_body_bytes = 4K\n"));
        const QString reloaded = lineWith(waitForOutput(gatehoused, mark, QStringLiteral("configuration reloaded")),
                                          QStringLiteral("configuration reloaded"));
        QVERIFY2(reloaded.contains(QLatin1String("applied=\"log.level,limits.max_body_bytes\"")), qPrintable(reloaded));
        QVERIFY2(reloaded.contains(QLatin1String("needs_restart=workers")), qPrintable(reloaded));

        client.send("\r\n");
        QCOMPARE(client.readResponse().status, 200);
        client.send(kHealthz);
        QCOMPARE(client.readResponse().status, 200);
        QVERIFY(client.isOpen());
        mark = gatehoused.output().size();
        QCOMPARE(statusOfBody(gatehoused, 2000), 401); // under the new limit: on to the key check
        QCOMPARE(statusOfBody(gatehoused, 5000), 413);
        QVERIFY2(!waitForOutput(gatehoused, mark, QStringLiteral("debug")).isEmpty(), "no debug line after the reload");

        // --check beside the running server: its ports are not a problem; the worker count waits for a restart.
        QProcess check;
        check.setProcessEnvironment(environment());
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(qEnvironmentVariable("GATEHOUSED_BINARY"),
                    QStringList{QStringLiteral("--check"), QStringLiteral("--config"), configFile,
                                QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
                                QStringLiteral("--proxy-address"), QStringLiteral("127.0.0.1")} +
                        ports);
        QVERIFY(check.waitForFinished(30'000));
        const QString checked = QString::fromUtf8(check.readAll());
        QVERIFY2(check.exitCode() == 0, qPrintable(checked));
        QVERIFY2(checked.contains(QLatin1String("a reload applies: nothing")), qPrintable(checked));
        QVERIFY2(checked.contains(QLatin1String("needs a restart: workers")), qPrintable(checked));

        // A bad edit changes nothing: every problem is logged, the last good settings hold.
        mark = gatehoused.output().size();
        QVERIFY(writeFile(configFile, "workers = 3\n\n[log]\nlevel = loud\n\n[limits]\nmax_body_bytes = 64K\n"));
        const QString refused = waitForOutput(gatehoused, mark, QStringLiteral("configuration not reloaded"));
        QVERIFY2(refused.contains(QLatin1String("loud")), qPrintable(refused));
        QCOMPARE(statusOfBody(gatehoused, 5000), 413);
        client.send(kHealthz);
        QCOMPARE(client.readResponse().status, 200);
        QVERIFY(gatehoused.stop());
        QCOMPARE(gatehoused.process().exitCode(), 0);
    }

    // A renewed certificate (what a certbot deploy hook does): new connections get it after SIGHUP; open ones go on.
    void sighupLoadsRenewedCertificate()
    {
        TestCertificates first;
        TestCertificates renewed;
        QVERIFY(first.isValid() && renewed.isValid());
        QTemporaryDir dir;
        const QString certificate = dir.filePath(QStringLiteral("tls.pem"));
        const QString key = dir.filePath(QStringLiteral("tls.key"));
        QVERIFY(QFile::copy(first.certificateFile(), certificate) && QFile::copy(first.privateKeyFile(), key));
        GatehousedProcess gatehoused;
        QVERIFY(gatehoused.start(
            dir.filePath(QStringLiteral("data")), environment(),
            {QStringLiteral("--tls-certificate"), certificate, QStringLiteral("--tls-private-key"), key}));
        const quint16 port = quint16(gatehoused.proxy().port());
        const QList<QSslCertificate> bothCas = first.caCertificates() + renewed.caCertificates();
        RawHttpClient before;
        QVERIFY(before.connectTo(port, true, bothCas));
        QCOMPARE(before.socket().peerCertificate(), QSslCertificate::fromPath(first.certificateFile()).value(0));

        QVERIFY(QFile::remove(certificate) && QFile::copy(renewed.certificateFile(), certificate));
        QVERIFY(QFile::remove(key) && QFile::copy(renewed.privateKeyFile(), key));
        const qsizetype mark = gatehoused.output().size();
        QCOMPARE(::kill(pid_t(gatehoused.process().processId()), SIGHUP), 0);
        QVERIFY(!waitForOutput(gatehoused, mark, QStringLiteral("configuration reloaded")).isEmpty());

        RawHttpClient after;
        QVERIFY(after.connectTo(port, true, bothCas));
        QCOMPARE(after.socket().peerCertificate(), QSslCertificate::fromPath(renewed.certificateFile()).value(0));
        after.send(kHealthz);
        QCOMPARE(after.readResponse().status, 200);
        before.send(kHealthz);
        QCOMPARE(before.readResponse().status, 200);
        QVERIFY(gatehoused.stop());
        QCOMPARE(gatehoused.process().exitCode(), 0);
    }

    void tellsSystemdItsState()
    {
        QTemporaryDir dir;
        NotifySocket systemd(dir.filePath(QStringLiteral("notify")));
        QVERIFY(systemd.isValid());
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("NOTIFY_SOCKET"), systemd.path());
        env.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("200000"));
        GatehousedProcess gatehoused;
        QVERIFY(gatehoused.start(dir.filePath(QStringLiteral("data")), env));
        QVERIFY(systemd.waitFor("READY=1"));
        QVERIFY(systemd.waitFor("WATCHDOG=1"));
        QVERIFY(systemd.waitFor("WATCHDOG=1"));
        QCOMPARE(::kill(pid_t(gatehoused.process().processId()), SIGHUP), 0);
        QVERIFY(systemd.waitFor("RELOADING=1"));
        QVERIFY(systemd.waitFor("READY=1"));
        QVERIFY(gatehoused.stop());
        QCOMPARE(gatehoused.process().exitCode(), 0);
        QVERIFY(systemd.waitFor("STOPPING=1", 0));
        QVERIFY2(!QFile::exists(dir.filePath(QStringLiteral("data/gatehoused.running"))),
                 "left behind on a clean stop");
    }
};

GATEHOUSE_TEST_MAIN(TestReload)
#include "TestReload.moc"
