// Sustained trace writing: traces stamped with the current time are submitted at a fixed rate, as proxy workers
// submit them, and the writer (default options: the gateway's) must keep up, its queue bounded. Usage:
//     BenchTraceWriter [rate per second] [seconds] [--postgresql] [--keys USERS,PROVIDER_KEYS] [--made-up-models]
// Default 50,000/s for 10 s into SQLite, spread over 50 users (a gateway key each) and 20 provider keys
// (BenchTraffic). --keys 2000,500 is a large deployment; --made-up-models names a new model in every trace.
// Prints the queue each second, then what was written while traffic ran, the largest queue, the time to drain
// what was left, and the process's CPU time. Run it from a Release or RelWithDebInfo build.

#include "BenchTraffic.h"
#include "ScratchDatabase.h"

#include "storage/Migrator.h"
#include "storage/TraceWriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList numbers = app.arguments().mid(1);
    const bool postgresql = numbers.removeAll(QStringLiteral("--postgresql")) > 0;
    BenchTraffic traffic;
    traffic.uniqueModels = numbers.removeAll(QStringLiteral("--made-up-models")) > 0;
    if (const qsizetype at = numbers.indexOf(QStringLiteral("--keys")); at >= 0) {
        const QStringList counts = numbers.value(at + 1).split(u',');
        traffic.userCount = counts.value(0).toInt();
        traffic.providerKeyCount = counts.value(1).toInt();
        numbers.remove(at, std::min<qsizetype>(2, numbers.size() - at));
    }
    const qint64 rate = numbers.value(0, QStringLiteral("50000")).toLongLong();
    const int seconds = numbers.value(1, QStringLiteral("10")).toInt();
    if (rate <= 0 || seconds <= 0 || traffic.userCount <= 0 || traffic.providerKeyCount <= 0) {
        std::fprintf(stderr, "usage: BenchTraceWriter [rate per second] [seconds] [--postgresql] "
                             "[--keys USERS,PROVIDER_KEYS] [--made-up-models]\n");
        return 2;
    }

    ScratchDatabase scratch(postgresql ? QStringLiteral("postgresql") : QStringLiteral("sqlite"));
    if (!scratch.available()) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(scratch.skipped() ? QStringLiteral("set GATEHOUSE_TEST_DATABASE_URL for --postgresql")
                                                  : scratch.error()));
        return 1;
    }
    Database db(scratch.config());
    if (auto migrated = Migrator(db).migrate(); !migrated || !traffic.create(db)) {
        std::fprintf(stderr, "cannot prepare the database\n");
        return 1;
    }
    std::printf("database: %s, offered %lld traces/s for %d s; %d users, %d provider keys, %s\n",
                qPrintable(db.describe()), rate, seconds, traffic.userCount, traffic.providerKeyCount,
                traffic.uniqueModels ? "a made-up model per trace" : "8 models");

    TraceWriter writer(db, TraceWriter::Options{.retentionDays = 0});
    writer.start();
    const double cpuBefore = cpuSeconds();
    QElapsedTimer clock;
    clock.start();
    quint32 random = 12345;
    qint64 submitted = 0, largestQueue = 0, nextReport = 1000;
    while (clock.elapsed() < seconds * 1000) {
        const qint64 due = clock.nsecsElapsed() * rate / 1'000'000'000;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (; submitted < due; ++submitted)
            writer.submit(traffic.trace(random, submitted, now));
        largestQueue = std::max(largestQueue, writer.queued());
        if (clock.elapsed() >= nextReport) {
            std::printf("  %2lld s: submitted %lld, written %llu, queued %lld\n", nextReport / 1000, submitted,
                        writer.written(), writer.queued());
            nextReport += 1000;
        }
        QThread::usleep(200);
    }
    const quint64 writtenWhileRunning = writer.written();
    const qint64 queuedAtEnd = writer.queued();
    QElapsedTimer drain;
    drain.start();
    writer.stop();
    const double cpu = cpuSeconds() - cpuBefore;
    std::printf("written while running: %llu (%.0f/s of %lld/s offered); largest queue %lld, %lld at the end, "
                "drained in %lld ms; dropped %llu, failed %llu\n",
                writtenWhileRunning, double(writtenWhileRunning) / seconds, rate, largestQueue, queuedAtEnd,
                drain.elapsed(), writer.dropped(), writer.failed());
    std::printf("process CPU %.2f s over %.1f s (%.1f us per trace, producer included)\n", cpu,
                clock.elapsed() / 1000.0, cpu * 1e6 / double(std::max<qint64>(1, submitted)));
    std::printf("verdict: %s\n", queuedAtEnd <= rate / 5 && writer.dropped() == 0 ? "kept up" : "fell behind");
    return 0;
}
