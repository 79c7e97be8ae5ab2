// Fuzz target: arbitrary bytes from a client into the downstream codec (HttpConnection), over a socket pair, with a
// handler that reads bodies and answers. libFuzzer entry point; FuzzMain.cpp replays a corpus when not under clang.
#include "FuzzPeer.h"

#include "http/Graveyard.h"
#include "http/HttpConnection.h"
#include "http/HttpExchange.h"
#include "http/HttpRequestHandler.h"
#include "http/HttpStats.h"
#include "http/TcpStream.h"

#include <memory>

#include <sys/socket.h>
#include <unistd.h>

namespace {

class EchoSizeHandler : public HttpRequestHandler
{
public:
    void handle(HttpExchange* exchange) override
    {
        if (exchange->request().path == "/stream") {
            exchange->writeHead(200);
            exchange->writeBody("part");
            exchange->abort();
            return;
        }
        exchange->setListener(std::make_unique<BodySizeReply>(exchange));
        exchange->resumeBody();
    }

private:
    // Reads the body and answers with its size.
    class BodySizeReply : public HttpExchange::Listener
    {
    public:
        explicit BodySizeReply(HttpExchange* exchange) : m_exchange(exchange) {}

    private:
        void bodyData(const QByteArray& data) override { m_size += data.size(); }
        void bodyEnd() override { m_exchange->respond(200, {{"X-Size", QByteArray::number(m_size)}}, "ok"); }

        HttpExchange* m_exchange;
        qint64 m_size = 0;
    };
};

struct Harness
{
    Harness()
    {
        FuzzPeer::ensureApplication();
        limits.maxRequestLineBytes = 512;
        limits.maxHeaderBytes = 2048;
        limits.maxHeaderCount = 16;
        limits.maxBodyBytes = 4096;
    }
    HttpLimits limits;
    HttpWorkerStats stats;
    EchoSizeHandler handler;
    Graveyard graveyard;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static Harness harness;
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0)
        return 0;
    bool closed = false;
    auto* connection = new HttpConnection(std::make_unique<TcpStream>(fds[0]), harness.limits, harness.handler,
                                          harness.stats, harness.graveyard);
    QObject::connect(connection, &HttpConnection::closed, [&closed] { closed = true; });

    FuzzPeer::sendInTwoPieces(fds[1], data, size, [&closed] { return closed; });
    ::close(fds[1]);
    for (int i = 0; i < 100 && !closed; ++i)
        QCoreApplication::processEvents();
    if (!closed)
        connection->forceClose();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
