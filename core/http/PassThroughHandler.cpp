#include "http/PassThroughHandler.h"

#include "http/HttpExchange.h"
#include "http/UpstreamExchange.h"
#include "http/UpstreamPool.h"

namespace {

// Hop-by-hop fields (RFC 9110 section 7.6.1) are not forwarded; the engines frame each side themselves.
bool isHopByHop(const QByteArray& name)
{
    static const char* const kNames[] = {"Connection", "Keep-Alive",          "Proxy-Connection",  "TE",
                                         "Trailer",    "Transfer-Encoding",   "Upgrade",           "Host",
                                         "Expect",     "Proxy-Authorization", "Proxy-Authenticate"};
    for (const char* hop : kNames) {
        if (name.compare(hop, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HttpHeaders forwardable(const HttpHeaders& headers)
{
    HttpHeaders result;
    for (const auto& field : headers.fields()) {
        if (!isHopByHop(field.first))
            result.append(field.first, field.second);
    }
    return result;
}

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
    UpstreamExchange* upstream = m_pool.start(std::move(upstreamRequest), exchange);

    // Request body: client -> upstream, pausing the client while the upstream lags.
    QObject::connect(exchange, &HttpExchange::bodyData, upstream, [exchange, upstream](const QByteArray& data) {
        if (!upstream->writeBody(data))
            exchange->pauseBody();
    });
    QObject::connect(exchange, &HttpExchange::bodyEnd, upstream, &UpstreamExchange::endBody);
    QObject::connect(upstream, &UpstreamExchange::requestDrained, exchange, &HttpExchange::resumeBody);

    // Response: upstream -> client, pausing the upstream while the client lags.
    QObject::connect(
        upstream, &UpstreamExchange::responseHead, exchange,
        [exchange](int status, const HttpHeaders& headers) { exchange->writeHead(status, forwardable(headers)); });
    QObject::connect(upstream, &UpstreamExchange::responseData, exchange, [exchange, upstream](const QByteArray& data) {
        if (!exchange->writeBody(data))
            upstream->pauseResponse();
    });
    QObject::connect(exchange, &HttpExchange::drained, upstream, &UpstreamExchange::resumeResponse);
    QObject::connect(upstream, &UpstreamExchange::finished, exchange, &HttpExchange::end);
    QObject::connect(upstream, &UpstreamExchange::failed, exchange, [exchange](const UpstreamError& error) {
        if (exchange->isHeadWritten()) {
            exchange->abort(); // the client must see the response as cut, not complete
            return;
        }
        const bool timeout = error.kind == UpstreamErrorKind::Timeout;
        exchange->respondError(timeout ? 504 : 502, error.kindName().toUtf8(), error.message.toUtf8());
    });
    QObject::connect(exchange, &HttpExchange::clientDisconnected, upstream, &UpstreamExchange::abort);

    if (request.hasBody())
        exchange->resumeBody();
}

HttpRequestHandlerFactory PassThroughHandler::factory(const QUrl& upstream)
{
    return [upstream](HttpWorkerContext& context) -> std::unique_ptr<HttpRequestHandler> {
        return std::make_unique<PassThroughHandler>(upstream, context.upstreamPool);
    };
}
