// The desktop app's request log over a million traces: the time until the first page shows, the time of each
// further page as the view scrolls, and the longest the GUI thread was kept from its event loop meanwhile. The
// gateway runs in-process (its own trace writer fills it); the log reads it through the admin API, as the app does.
//     build/tests/bench/RequestLogBench [traces]     (default 1,000,000)

#include "GatewayHarness.h"

#include "client/AdminClient.h"
#include "models/TraceModel.h"
#include "storage/TraceWriter.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace {

bool seed(GatewayService& service, int rows)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 start = now - qint64(30) * 24 * 3600 * 1000;
    const qint64 step = std::max<qint64>(1, (now - start) / rows);
    TraceWriter& writer = service.traces();
    const quint64 before = writer.written();
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < rows; ++i) {
        TraceRecord r;
        r.requestId = "bench-" + QByteArray::number(i);
        r.createdAtMs = start + i * step;
        r.method = "POST";
        r.path = "/v1/chat/completions";
        r.model = i % 3 ? QStringLiteral("gpt-4o-mini") : QStringLiteral("gpt-4o");
        r.status = i % 50 ? 200 : 502;
        r.success = r.status == 200;
        r.tokens.prompt = i % 4000;
        r.tokens.completion = i % 1000;
        r.tokens.total = r.tokens.prompt + r.tokens.completion;
        r.durationMs = i % 20000;
        writer.submit(std::move(r));
        if (i % 50'000 == 49'999) {
            while (writer.written() - before < quint64(i + 1) && writer.failed() == 0)
                QThread::msleep(5);
        }
    }
    while (writer.written() - before < quint64(rows) && writer.failed() == 0)
        QThread::msleep(5);
    std::printf("seeded %d traces in %.1f s\n", rows, timer.elapsed() / 1000.0);
    return writer.failed() == 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int rows = argc > 1 ? QByteArray(argv[1]).toInt() : 1'000'000;

    GatewayHarness gateway([](Config& config) {
        config.workers = 1;
        config.traceRetentionDays = 0;
        config.logLevel = QStringLiteral("warning");
    });
    if (!gateway.start() || !seed(gateway.service(), rows))
        return 1;

    AdminClient client;
    client.setBaseUrl(gateway.adminUrl());
    QSignalSpy signedIn(&client, &AdminClient::signedIn);
    client.signIn(QStringLiteral("admin"), QLatin1String(GatewayHarness::kAdminPassword), &app,
                  [](const ApiResult&) {});
    if (!signedIn.wait(10'000))
        return std::puts("cannot sign in"), 1;

    TraceModel model(client);
    QTableView view;
    view.setModel(&model);
    view.resize(1100, 700);
    view.show();

    // The GUI thread's longest absence from its event loop, seen by a 5 ms timer.
    QElapsedTimer ticks;
    qint64 lastTick = 0;
    qint64 longestGap = 0;
    QTimer heartbeat;
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 at = ticks.elapsed();
        longestGap = std::max(longestGap, at - lastTick);
        lastTick = at;
    });
    ticks.start();
    heartbeat.start();

    QSignalSpy loaded(&model, &TraceModel::loaded);
    QElapsedTimer timer;
    timer.start();
    model.setFilter({});
    if (!loaded.wait(30'000))
        return std::puts("the first page never came"), 1;
    const qint64 firstPage = timer.elapsed();

    QList<qint64> pages;
    for (int i = 0; i < 50; ++i) {
        loaded.clear();
        timer.restart();
        view.scrollToBottom();
        if (!loaded.wait(30'000))
            return std::puts("a page never came"), 1;
        pages << timer.elapsed();
    }
    std::sort(pages.begin(), pages.end());
    std::printf("request log over %lld traces: first page %lld ms; 50 more pages of %d by scrolling: median %lld ms, "
                "slowest %lld ms; %d rows loaded; longest GUI-thread stall %lld ms\n",
                model.total(), firstPage, TraceModel::kPageSize, pages.at(pages.size() / 2), pages.last(),
                model.rowCount(), longestGap);
    return 0;
}
