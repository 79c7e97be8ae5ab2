#include "PassThroughHandler.h"

#include "http/HttpExchange.h"
#include "http/UpstreamExchange.h"
#include "http/UpstreamPool.h"

#include <algorithm>

namespace {

// Hop-by-hop fields (RFC 9110 section 7.6.1) are not forwarded; the engines frame each side themselves.
bool isHopByHop(QByteArrayView name)
{
    static constexpr QByteArrayView kNames[] = {"Connection", "Keep-Alive",          "Proxy-Connection",  "TE",
                                                "Trailer",    "Transfer-Encoding",   "Upgrade",           "Host",
                                                "Expect",     "Proxy-Authorization", "Proxy-Authenticate"};
    return std::any_of(std::begin(kNames), std::end(kNames),
                       [name](QByteArrayView hop) { return HttpHeaders::sameName(name, hop); });
}

HttpHeaders forwardable(const HttpHeaders& headers)
{
    HttpHeaders result = headers;
    result.removeIf(isHopByHop);
    return result;
}

// One forwarded request: client -> upstream for the body, upstream -> client for the response, each side pausing the
// other while it lags. The client's exchange owns it, so it ends with it.
class Relay : public HttpExchange::Listener, private UpstreamExchange::Listener
{
public:
    Relay(HttpExchange* exchange, UpstreamRequest request, UpstreamPool& pool)
        : m_exchange(exchange), m_upstream(pool.start(std::move(request), this))
    {}

private:
    void bodyData(const QByteArray& data) override
    {
        if (!m_upstream->writeBody(data))
            m_exchange->pauseBody();
    }
    void bodyEnd() override { m_upstream->endBody(); }
    void requestDrained() override { m_exchange->resumeBody(); }

    void responseHead(int status, const HttpHeaders& headers) override
    {
        m_exchange->writeHead(status, forwardable(headers));
    }
    void responseData(const QByteArray& data) override
    {
        if (!m_exchange->writeBody(data))
            m_upstream->pauseResponse();
    }
    void drained() override { m_upstream->resumeResponse(); }
    void finished() override { m_exchange->end(); }
    void failed(const UpstreamError& error) override
    {
        if (m_exchange->isHeadWritten()) {
            m_exchange->abort(); // the client must see the response as cut, not complete
            return;
        }
        const bool timeout = error.kind == UpstreamErrorKind::Timeout;
        m_exchange->respondError(timeout ? 504 : 502, error.kindName().toUtf8(), error.message.toUtf8());
    }
    void clientDisconnected() override { m_upstream->abort(); }

    HttpExchange* m_exchange;
    std::unique_ptr<UpstreamExchange> m_upstream;
};

} // namespace

PassThroughHandler::PassThroughHandler(const QUrl& upstream, UpstreamPool& pool)
    : m_origin(UpstreamOrigin::fromUrl(upstream)), m_basePath(upstream.path(QUrl::FullyEncoded).toLatin1()),
      m_pool(pool)
{
    if (m_basePath.endsWith('/'))
        m_basePath.chop(1);
}

void PassThroughHandler::handle(HttpExchange* exchange)
{
    const HttpRequest& request = exchange->request();
    if (!request.target.startsWith('/')) {
        exchange->respondError(400, "invalid_target", "Only origin-form request targets are forwarded");
        return;
    }
    UpstreamRequest upstreamRequest;
    upstreamRequest.method = request.method;
    upstreamRequest.origin = m_origin;
    upstreamRequest.target = m_basePath + request.target;
    upstreamRequest.headers = forwardable(request.headers);
    upstreamRequest.streamBody = request.hasBody();
    if (request.contentLength > 0)
        upstreamRequest.headers.set("Content-Length", QByteArray::number(request.contentLength));
    exchange->setListener(std::make_unique<Relay>(exchange, std::move(upstreamRequest), m_pool));
    if (request.hasBody())
        exchange->resumeBody();
}

HttpRequestHandlerFactory PassThroughHandler::factory(const QUrl& upstream)
{
    return [upstream](HttpWorkerContext& context) -> std::unique_ptr<HttpRequestHandler> {
        return std::make_unique<PassThroughHandler>(upstream, context.upstreamPool);
    };
}
