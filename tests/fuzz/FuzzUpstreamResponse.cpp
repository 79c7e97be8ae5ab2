// Fuzz target: arbitrary bytes from a provider into the upstream codec (UpstreamExchange's response parser), over a
// real loopback connection opened by an UpstreamPool. Provider bytes are not trusted either: whatever they hold, the
// exchange must end in finished() or failed(), once. libFuzzer entry point; FuzzMain.cpp replays a corpus when not
// under clang.
#include "FuzzPeer.h"

#include "config/Config.h"
#include "http/HttpStats.h"
#include "http/UpstreamError.h"
#include "http/UpstreamExchange.h"
#include "http/UpstreamOrigin.h"
#include "http/UpstreamPool.h"
#include "http/UpstreamRequest.h"

#include <QUrl>

#include <cstdlib>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// Counts what the exchange reports; a second end, or an event after the end, is a bug.
class Recorder : public UpstreamExchange::Listener
{
public:
    void responseHead(int, const HttpHeaders&) override { check(); }
    void responseData(const QByteArray&) override { check(); }
    void finished() override { end(); }
    void failed(const UpstreamError&) override { end(); }

    bool ended = false;

private:
    void check() const
    {
        if (ended)
            std::abort();
    }
    void end()
    {
        check();
        ended = true;
    }
};

struct Harness
{
    Harness()
    {
        FuzzPeer::ensureApplication();
        limits.upstreamResponseTimeoutMs = 2000;
        limits.upstreamStallTimeoutMs = 2000;
        listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener, 16) != 0 || ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length))
            std::abort();
        origin = UpstreamOrigin::fromUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(ntohs(address.sin_port))));
    }
    HttpLimits limits;
    HttpWorkerStats stats;
    int listener = -1;
    UpstreamOrigin origin;
};

// The provider's side: takes the gateway's connection and reads its request away.
int acceptFrom(int listener)
{
    for (int i = 0; i < 1000; ++i) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
        if (fd >= 0)
            return fd;
        QCoreApplication::processEvents();
    }
    return -1;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static Harness harness;
    // A pool per input: a connection kept alive by one input would carry its leftover bytes into the next.
    UpstreamPool pool(harness.limits, QString(), harness.stats);
    Recorder recorder;
    UpstreamRequest request;
    request.method = "POST";
    request.origin = harness.origin;
    request.target = "/v1/chat/completions";
    request.body = R"({"model":"m","stream":true})";
    auto exchange = pool.start(std::move(request), &recorder);
    const int provider = acceptFrom(harness.listener);
    if (provider < 0)
        std::abort();

    FuzzPeer::sendInTwoPieces(provider, data, size, [&recorder] { return recorder.ended; });
    ::close(provider);
    for (int i = 0; i < 200 && !recorder.ended; ++i)
        QCoreApplication::processEvents();
    if (!recorder.ended) // the peer closed: the exchange must have ended by now
        std::abort();
    exchange.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
