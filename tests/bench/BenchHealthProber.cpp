// Cost of active health probes on the main thread: N invalid keys (the upstream keeps answering 401, so each is
// probed every interval) against a loopback upstream on its own thread; prints main-thread CPU per probe, which
// covers the prober's tick, QNetworkAccessManager, the state update and the health_probes insert.
#include "TempDataDir.h"

#include "health/HealthProber.h"
#include "health/KeyState.h"
#include "storage/Database.h"
#include "storage/Migrator.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <ctime>

namespace {

constexpr int kKeys = 50;
constexpr int kIntervalMs = 100;
constexpr int kRunMs = 5000;

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Answers every request with a small 401, keep-alive, the way a provider refuses a revoked key.
class RefusingUpstream : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        connect(socket, &QTcpSocket::readyRead, socket, [socket] {
            QByteArray pending = socket->property("pending").toByteArray() + socket->readAll();
            qsizetype end;
            while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
                pending.remove(0, end + 4);
                socket->write(
                    "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n"
                    "{\"error\":\"invalid api key\"}");
            }
            socket->setProperty("pending", pending);
        });
    }
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    TempDataDir dir;
    Config config;
    config.dataDir = dir.path();
    Database database(config);
    if (!database.open() || !Migrator(database).migrate()) {
        std::fprintf(stderr, "database setup failed\n");
        return 1;
    }

    QThread upstreamThread;
    RefusingUpstream upstream;
    upstream.listen(QHostAddress::LocalHost);
    upstream.moveToThread(&upstreamThread);
    upstreamThread.start();

    std::vector<ProbeTarget> targets;
    const KeyClock clock;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < kKeys; ++i) {
        auto row = database.exec(
            QStringLiteral(
                "INSERT INTO provider_keys (provider_type_id, name, secret_ciphertext, created_at, "
                "updated_at) SELECT id, ?, 'x', ?, ? FROM provider_types WHERE name = 'openai' RETURNING id"),
            {QStringLiteral("bench-%1").arg(i), now, now});
        row->next();
        const qint64 id = row->value(0).toLongLong();
        auto state = std::make_shared<KeyState>(id);
        state->report(KeyOutcome::error(KeyOutcome::Kind::AuthRejected).asProbe(), clock.now());
        targets.push_back(ProbeTarget{id, state, "GET",
                                      QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(upstream.serverPort())),
                                      HttpHeaders{{"authorization", "Bearer sk-bench"}}});
    }

    HealthProber prober(
        database, clock, [&] { return targets; }, kIntervalMs);
    int probes = 0;
    QObject::connect(&prober, &HealthProber::probed, [&](qint64, bool) { ++probes; });
    const double cpuBefore = threadCpuMs();
    prober.start();
    QTimer::singleShot(kRunMs, &app, &QCoreApplication::quit);
    app.exec();
    const double cpuMs = threadCpuMs() - cpuBefore;
    std::printf("%d keys, interval %d ms, %d ms: %d probes, main-thread CPU %.1f ms = %.0f us per probe, "
                "%.1f%% of one core\n",
                kKeys, kIntervalMs, kRunMs, probes, cpuMs, probes ? cpuMs * 1000 / probes : 0.0, cpuMs * 100 / kRunMs);
    upstreamThread.quit();
    upstreamThread.wait();
    return 0;
}
