// gatehouse_engine_bench: the HTTP engine as a pass-through proxy for load tests, plus an SSE upstream and an SSE
// client swarm for the many-streams measurement.
//
//   gatehouse_engine_bench proxy --listen 127.0.0.1:8081 --upstream http://127.0.0.1:8080 [--workers N]
//   gatehouse_engine_bench sse-server --listen 127.0.0.1:8090 --events 50 --interval-ms 100
//   gatehouse_engine_bench sse-clients --port 8081 --connections 1000 --events 50
#include "common/Logging.h"
#include "http/HttpExchange.h"
#include "http/HttpServer.h"
#include "PassThroughHandler.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>

#include <csignal>
#include <cstdio>

namespace {

// Sends `events` SSE events, one every `intervalMs`. The exchange owns it, timer and all.
class SseStream : public HttpExchange::Listener
{
public:
    SseStream(HttpExchange* exchange, int events, int intervalMs)
    {
        exchange->writeHead(200, {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}});
        QObject::connect(&m_timer, &QTimer::timeout, [this, exchange, events] {
            exchange->writeBody("data: {\"n\":" + QByteArray::number(++m_sent) + "}\n\n");
            if (m_sent == events) {
                m_timer.stop();
                exchange->writeBody("data: [DONE]\n\n");
                exchange->end();
            }
        });
        m_timer.start(intervalMs);
    }

private:
    QTimer m_timer;
    int m_sent = 0;
};

class SseHandler : public HttpRequestHandler
{
public:
    SseHandler(int events, int intervalMs) : m_events(events), m_intervalMs(intervalMs) {}

    void handle(HttpExchange* exchange) override
    {
        exchange->setListener(std::make_unique<SseStream>(exchange, m_events, m_intervalMs));
    }

private:
    int m_events;
    int m_intervalMs;
};

int runServer(const QCommandLineParser& args, HttpRequestHandlerFactory factory)
{
    const QString listen = args.value("listen");
    auto config = std::make_shared<Config>();
    config->proxy = Listener{QHostAddress(listen.section(':', 0, 0)), quint16(listen.section(':', 1).toUInt())};
    config->workers = args.value("workers").toInt();
    config->limits.maxConnections = 100'000;
    HttpServer server(config, std::move(factory));
    if (const Result<void> result = server.listen(); !result) {
        std::fprintf(stderr, "%s\n", qPrintable(result.error().message));
        return 1;
    }
    return QCoreApplication::exec();
}

// Opens `connections` streams at once and counts the SSE events each receives.
int runSseClients(const QCommandLineParser& args)
{
    const quint16 port = quint16(args.value("port").toUInt());
    const int connections = args.value("connections").toInt();
    const int expected = args.value("events").toInt();
    struct Stream
    {
        QTcpSocket socket;
        QByteArray received;
        int events = 0;
        bool done = false;
    };
    std::vector<std::unique_ptr<Stream>> streams;
    int finished = 0;
    QElapsedTimer clock;
    clock.start();
    auto report = [&] {
        int complete = 0;
        qint64 events = 0;
        for (const auto& stream : streams) {
            complete += stream->events == expected + 1 ? 1 : 0;
            events += stream->events;
        }
        std::printf("streams=%d complete=%d events=%lld expected_events=%lld elapsed_ms=%lld\n", connections, complete,
                    events, qint64(connections) * (expected + 1), clock.elapsed());
        QCoreApplication::exit(complete == connections ? 0 : 1);
    };
    for (int i = 0; i < connections; ++i) {
        auto stream = std::make_unique<Stream>();
        Stream* s = stream.get();
        QObject::connect(&s->socket, &QTcpSocket::connected, [s] {
            s->socket.write("GET /events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n");
        });
        QObject::connect(&s->socket, &QTcpSocket::readyRead, [s, &finished, connections, report] {
            s->received += s->socket.readAll();
            s->events = int(s->received.count("data: "));
            if (!s->done && s->received.endsWith("0\r\n\r\n")) {
                s->done = true;
                if (++finished == connections)
                    report();
            }
        });
        QObject::connect(&s->socket, &QTcpSocket::disconnected, [s, &finished, connections, report] {
            if (!s->done) {
                s->done = true;
                if (++finished == connections)
                    report();
            }
        });
        s->socket.connectToHost(QHostAddress::LocalHost, port);
        streams.push_back(std::move(stream));
    }
    QTimer::singleShot(120'000, report);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    std::signal(SIGPIPE, SIG_IGN);
    Logging::install(QStringLiteral("warning"), Logging::Format::Text);
    QCommandLineParser args;
    args.addPositionalArgument("mode", "proxy | sse-server | sse-clients");
    args.addOptions({{"listen", "address:port to listen on", "address:port", "127.0.0.1:8081"},
                     {"upstream", "upstream base URL", "url", "http://127.0.0.1:8080"},
                     {"workers", "worker threads (0 = cores)", "n", "0"},
                     {"events", "SSE events per stream", "n", "50"},
                     {"interval-ms", "milliseconds between SSE events", "ms", "100"},
                     {"port", "port the SSE clients connect to", "port", "8081"},
                     {"connections", "concurrent SSE clients", "n", "1000"}});
    args.addHelpOption();
    args.process(app);
    const QString mode = args.positionalArguments().value(0, QStringLiteral("proxy"));
    if (mode == QLatin1String("proxy"))
        return runServer(args, PassThroughHandler::factory(QUrl(args.value("upstream"))));
    if (mode == QLatin1String("sse-server")) {
        const int events = args.value("events").toInt();
        const int interval = args.value("interval-ms").toInt();
        return runServer(args, [events, interval](HttpWorkerContext&) -> std::unique_ptr<HttpRequestHandler> {
            return std::make_unique<SseHandler>(events, interval);
        });
    }
    if (mode == QLatin1String("sse-clients"))
        return runSseClients(args);
    args.showHelp(1);
}
