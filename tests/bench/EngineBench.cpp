// gatehouse_engine_bench: the HTTP engine as a pass-through proxy for load tests, plus an SSE upstream and an SSE
// client swarm for the many-streams measurement.
//
//   gatehouse_engine_bench proxy --listen 127.0.0.1:8081 --upstream http://127.0.0.1:8080 [--workers N]
//   gatehouse_engine_bench sse-server --listen 127.0.0.1:8090 --events 50 --interval-ms 100
//                                     [--error-percent 10 --cut-percent 10]
//   gatehouse_engine_bench sse-clients --port 8081 --connections 1000 --events 50 [--key gh-...]
#include "PassThroughHandler.h"
#include "common/Logging.h"
#include "http/EpollEventDispatcher.h"
#include "http/HttpExchange.h"
#include "http/HttpServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <functional>
#include <utility>
#include <vector>

namespace {

// Microseconds of CLOCK_MONOTONIC, the same clock in every process of the machine: the upstream stamps each event
// with it and the client measures each event's delivery from that stamp.
qint64 monotonicUs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

// How the upstream treats the requests it gets: `events` chunks one every `intervalMs`, and faults for the soak:
// errorPercent of requests answered 429 or 500 at once, cutPercent of streams cut half-way.
struct StreamPlan
{
    int events = 50;
    int intervalMs = 100;
    int errorPercent = 0;
    int cutPercent = 0;
};

// Answers one request like OpenAI's streamed chat completions once its body has arrived: chat.completion.chunk
// events whose content is "seq:<n> t:<microseconds>", a last chunk with the usage, then [DONE]. The exchange owns
// it, timer and all.
class SseStream : public HttpExchange::Listener
{
public:
    enum class Fault { None, Limited, ServerError, Cut };

    SseStream(HttpExchange* exchange, const StreamPlan& plan, Fault fault)
        : m_exchange(exchange), m_plan(plan), m_fault(fault)
    {
        exchange->resumeBody();
    }

    void bodyEnd() override
    {
        if (m_fault == Fault::Limited || m_fault == Fault::ServerError) {
            const bool limited = m_fault == Fault::Limited;
            // OpenAI's reset header, as short as it gets: the gateway cools the key that long (without one, for its
            // default minute) and the soak keeps its pace.
            HttpHeaders headers{{"Content-Type", "application/json"}};
            if (limited)
                headers.append("x-ratelimit-reset-requests", "1ms");
            m_exchange->respond(limited ? 429 : 500, headers,
                                limited ? R"({"error":{"message":"Rate limit reached","type":"requests"}})"
                                        : R"({"error":{"message":"The server had an error","type":"server_error"}})");
            return;
        }
        m_exchange->writeHead(200, {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}});
        QObject::connect(&m_timer, &QTimer::timeout, [this] { send(); });
        m_timer.start(m_plan.intervalMs);
    }

private:
    void send()
    {
        ++m_sent;
        if (m_fault == Fault::Cut && m_sent > m_plan.events / 2) {
            m_timer.stop();
            m_exchange->abort();
            return;
        }
        m_exchange->writeBody(R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,)"
                              R"("model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"seq:)" +
                              QByteArray::number(m_sent) + " t:" + QByteArray::number(monotonicUs()) +
                              R"("},"finish_reason":null}]})"
                              "\n\n");
        if (m_sent == m_plan.events) {
            m_timer.stop();
            m_exchange->writeBody(
                R"(data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,)"
                R"("model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],)"
                R"("usage":{"prompt_tokens":12,"completion_tokens":)" +
                QByteArray::number(m_plan.events) + R"(,"total_tokens":)" + QByteArray::number(12 + m_plan.events) +
                "}}\n\ndata: [DONE]\n\n");
            m_exchange->end();
        }
    }

    HttpExchange* m_exchange;
    StreamPlan m_plan;
    Fault m_fault;
    QTimer m_timer;
    int m_sent = 0;
};

class SseHandler : public HttpRequestHandler
{
public:
    explicit SseHandler(const StreamPlan& plan) : m_plan(plan) {}

    void handle(HttpExchange* exchange) override
    {
        // Faults spread evenly (at 10% and 10%, two in a row twice in a hundred; the soak lets that pass without
        // ejecting keys): errorPercent of all requests fail, 429 and 500 in turn, and cutPercent of the others'
        // streams are cut.
        const auto due = [](quint64& count, int percent) { // true for percent of the calls, evenly
            ++count;
            return count * quint64(percent) / 100 != (count - 1) * quint64(percent) / 100;
        };
        SseStream::Fault fault = SseStream::Fault::None;
        if (due(m_requests, m_plan.errorPercent))
            fault = ++m_errors % 2 == 1 ? SseStream::Fault::Limited : SseStream::Fault::ServerError;
        else if (due(m_streams, m_plan.cutPercent))
            fault = SseStream::Fault::Cut;
        exchange->setListener(std::make_unique<SseStream>(exchange, m_plan, fault));
    }

private:
    StreamPlan m_plan;
    quint64 m_requests = 0, m_streams = 0, m_errors = 0;
};

int runServer(const QCommandLineParser& args, HttpRequestHandlerFactory factory)
{
    const QString listen = args.value("listen");
    auto config = std::make_shared<Config>();
    config->proxy = Listener{QHostAddress(listen.section(':', 0, 0)), quint16(listen.section(':', 1).toUInt())};
    config->workers = args.value("workers").toInt();
    config->limits.maxConnections = 100'000;
    config->limits.maxConnectionsPerAddress = 100'000; // every load generator is on 127.0.0.1
    HttpServer server(config, std::move(factory));
    if (const Result<void> result = server.listen(); !result) {
        std::fprintf(stderr, "%s\n", qPrintable(result.error().message));
        return 1;
    }
    return QCoreApplication::exec();
}

// One streamed request on its own connection: decodes the chunked response and checks its SSE events.
class SseClient
{
public:
    struct Totals
    {
        int finished = 0, complete = 0;
        qint64 events = 0, outOfOrder = 0, malformed = 0;
        std::vector<qint64> latenciesUs; // per event, from the upstream's stamp to here
        std::vector<qint64> lateHalfUs;  // the same, for the second half of each stream's events: once all are open
    };

    SseClient(const QByteArray& request, int expected, Totals& totals, const std::function<void()>& onFinished)
        : m_expected(expected), m_totals(totals)
    {
        QObject::connect(&m_socket, &QTcpSocket::connected, [this, request] { m_socket.write(request); });
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this, onFinished] {
            m_raw += m_socket.readAll();
            if (decode())
                finish(onFinished);
        });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this, onFinished] { finish(onFinished); });
        QObject::connect(&m_socket, &QTcpSocket::errorOccurred, [this, onFinished] { finish(onFinished); });
    }

    // A connected socket signals disconnected() from its destructor, after the members it would reach are gone.
    ~SseClient() { QObject::disconnect(&m_socket, nullptr, nullptr, nullptr); }

    void start(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

private:
    // Consumes what arrived; true once the response is complete (its last chunk read).
    bool decode()
    {
        if (!m_headDone) {
            const qsizetype end = m_raw.indexOf("\r\n\r\n");
            if (end < 0)
                return false;
            m_ok = m_raw.startsWith("HTTP/1.1 200");
            m_raw.remove(0, end + 4);
            m_headDone = true;
        }
        while (!m_raw.isEmpty()) {
            if (m_chunkLeft == 0 && m_crlfLeft == 0) {
                const qsizetype line = m_raw.indexOf("\r\n");
                if (line < 0)
                    return false;
                bool valid = false;
                m_chunkLeft = m_raw.left(line).toLongLong(&valid, 16);
                if (!valid)
                    return true; // not chunked: not a stream this client understands
                m_raw.remove(0, line + 2);
                if (m_chunkLeft == 0)
                    return true;
                m_crlfLeft = 2; // after the chunk's data
            }
            const qsizetype data = std::min<qsizetype>(m_chunkLeft, m_raw.size());
            m_body += m_raw.left(data);
            m_chunkLeft -= data;
            const qsizetype crlf = m_chunkLeft == 0 ? std::min<qsizetype>(m_crlfLeft, m_raw.size() - data) : 0;
            m_crlfLeft -= crlf;
            m_raw.remove(0, data + crlf);
            readEvents();
        }
        return false;
    }

    void readEvents()
    {
        qsizetype end;
        while ((end = m_body.indexOf("\n\n")) >= 0) {
            const QByteArray event = m_body.left(end);
            m_body.remove(0, end + 2);
            const qsizetype seq = event.indexOf("seq:");
            if (seq < 0) {
                m_done = m_done || event.contains("[DONE]");
                continue;
            }
            const qsizetype stamp = event.indexOf(" t:", seq);
            bool numbered = false, stamped = false;
            const int number = event.mid(seq + 4, stamp - seq - 4).toInt(&numbered);
            const qint64 sentUs = event.mid(stamp + 3, event.indexOf('"', stamp) - stamp - 3).toLongLong(&stamped);
            if (stamp < 0 || !numbered || !stamped) {
                ++m_totals.malformed;
                continue;
            }
            m_totals.latenciesUs.push_back(monotonicUs() - sentUs);
            if (number > m_expected / 2)
                m_totals.lateHalfUs.push_back(m_totals.latenciesUs.back());
            ++m_totals.events;
            if (number != ++m_seen)
                ++m_totals.outOfOrder;
        }
    }

    void finish(const std::function<void()>& onFinished)
    {
        if (m_finished)
            return;
        m_finished = true;
        ++m_totals.finished;
        m_totals.complete += m_ok && m_done && m_seen == m_expected ? 1 : 0;
        m_socket.abort();
        onFinished();
    }

    QTcpSocket m_socket;
    int m_expected;
    Totals& m_totals;
    QByteArray m_raw, m_body;
    qint64 m_chunkLeft = 0; // data bytes of the chunk still to come
    qint64 m_crlfLeft = 0;  // bytes of the CRLF after them
    bool m_headDone = false, m_ok = false, m_done = false, m_finished = false;
    int m_seen = 0;
};

// Opens `connections` streamed chat completions (waves of 250 every 10 ms, so the listen queue never overflows),
// checks that each delivers every event in order, and prints the delivery latency of the events.
int runSseClients(const QCommandLineParser& args)
{
    const quint16 port = quint16(args.value("port").toUInt());
    const int connections = args.value("connections").toInt();
    const int expected = args.value("events").toInt();
    const QByteArray body = R"({"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Count"}]})";
    QByteArray request = "POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                         "Accept: text/event-stream\r\nContent-Length: " +
                         QByteArray::number(body.size()) + "\r\n";
    if (args.isSet("key"))
        request += "Authorization: Bearer " + args.value("key").toLatin1() + "\r\n";
    request += "\r\n" + body;

    SseClient::Totals totals;
    std::vector<std::unique_ptr<SseClient>> clients;
    clients.reserve(size_t(connections));
    QElapsedTimer clock;
    clock.start();
    bool reported = false;
    const auto report = [&] {
        if (std::exchange(reported, true))
            return;
        const auto percentile = [](std::vector<qint64>& values, double p) {
            std::sort(values.begin(), values.end());
            return values.empty() ? qint64(0) : values[size_t(p * double(values.size() - 1))];
        };
        std::printf("streams=%d complete=%d events=%lld expected_events=%lld out_of_order=%lld malformed=%lld "
                    "latency_p50_us=%lld latency_p99_us=%lld late_p50_us=%lld late_p99_us=%lld elapsed_ms=%lld\n",
                    connections, totals.complete, totals.events, qint64(connections) * expected, totals.outOfOrder,
                    totals.malformed, percentile(totals.latenciesUs, 0.5), percentile(totals.latenciesUs, 0.99),
                    percentile(totals.lateHalfUs, 0.5), percentile(totals.lateHalfUs, 0.99), clock.elapsed());
        QCoreApplication::exit(totals.complete == connections && totals.outOfOrder == 0 && totals.malformed == 0 ? 0
                                                                                                                 : 1);
    };
    const auto finished = [&] {
        if (totals.finished == connections)
            report();
    };
    for (int i = 0; i < connections; ++i)
        clients.push_back(std::make_unique<SseClient>(request, expected, totals, finished));
    int started = 0;
    QTimer waves;
    QObject::connect(&waves, &QTimer::timeout, [&] {
        for (int i = 0; i < 250 && started < connections; ++i)
            clients[size_t(started++)]->start(port);
        if (started == connections)
            waves.stop();
    });
    waves.start(10);
    QTimer::singleShot(args.value("timeout-s").toInt() * 1000, report);
    const int status = QCoreApplication::exec();
    clients.clear(); // their sockets' last signals must not reach the lambdas above once they are gone
    return status;
}

} // namespace

int main(int argc, char* argv[])
{
    // Thousands of client sockets on the main thread: epoll, as the engine's workers use, instead of a poll() of every
    // socket on each pass.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
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
                     {"connections", "concurrent SSE clients", "n", "1000"},
                     {"key", "gateway key the SSE clients send", "key"},
                     {"timeout-s", "seconds the SSE clients wait at most", "s", "300"},
                     {"error-percent", "requests the SSE server answers 429/500", "percent", "0"},
                     {"cut-percent", "streams the SSE server cuts half-way", "percent", "0"}});
    args.addHelpOption();
    args.process(app);
    const QString mode = args.positionalArguments().value(0, QStringLiteral("proxy"));
    if (mode == QLatin1String("proxy"))
        return runServer(args, PassThroughHandler::factory(QUrl(args.value("upstream"))));
    if (mode == QLatin1String("sse-server")) {
        const StreamPlan plan{args.value("events").toInt(), args.value("interval-ms").toInt(),
                              args.value("error-percent").toInt(), args.value("cut-percent").toInt()};
        return runServer(args, [plan](HttpWorkerContext&) -> std::unique_ptr<HttpRequestHandler> {
            return std::make_unique<SseHandler>(plan);
        });
    }
    if (mode == QLatin1String("sse-clients"))
        return runSseClients(args);
    args.showHelp(1);
}
