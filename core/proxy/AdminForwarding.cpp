#include "proxy/AdminForwarding.h"

#include "http/AdminForwardHeaders.h"
#include "http/HttpExchange.h"
#include "http/UpstreamError.h"
#include "http/UpstreamExchange.h"
#include "http/UpstreamPool.h"
#include "proxy/BodyBudget.h"
#include "proxy/ClientAddress.h"

#include <QUrl>

namespace {

void refuseLargeBody(HttpExchange* exchange)
{
    exchange->respondError(413, "payload_too_large", "admin API request bodies are limited to 1 MiB");
}

} // namespace

void AdminForwarding::start(HttpExchange* exchange, const ProxyContext& context)
{
    exchange->setListener(std::unique_ptr<HttpExchange::Listener>(new AdminForwarding(exchange, context)));
    if (exchange->request().contentLength > kMaxBodyBytes)
        return refuseLargeBody(exchange); // unread: the connection closes after the answer
    exchange->resumeBody();
}

AdminForwarding::~AdminForwarding()
{
    m_context.bodies.give(m_body.size());
}

// A chunked body is counted as it comes; past the limit the answer ends the exchange and no more is read.
void AdminForwarding::bodyData(const QByteArray& data)
{
    if (m_body.size() + data.size() > kMaxBodyBytes)
        return refuseLargeBody(m_exchange);
    if (!m_context.bodies.take(data.size()))
        return m_exchange->respondError(503, "overloaded", "the gateway is holding all the request bodies it may");
    m_body += data;
}

void AdminForwarding::bodyEnd()
{
    const HttpRequest& request = m_exchange->request();
    UpstreamRequest upstream;
    upstream.method = request.method;
    upstream.origin = UpstreamOrigin::fromUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_context.adminPort)));
    upstream.target = request.target;
    for (const auto& [name, value] : request.headers) {
        const QByteArray lower = name.toByteArray().toLower();
        if (lower != "host" && lower != "connection" && lower != "content-length" && lower != "expect" &&
            lower != "transfer-encoding" && !lower.startsWith("x-gatehouse-"))
            upstream.headers.append(name, value);
    }
    upstream.headers.append(AdminForwardHeaders::kClientAddress,
                            clientAddressOf(request, *m_context.config).toString().toLatin1());
    upstream.headers.append(AdminForwardHeaders::kForwardToken, m_context.adminForwardToken);
    upstream.headers.set("content-length", QByteArray::number(m_body.size()));
    upstream.body = m_body;
    m_upstream = m_context.upstreams.start(std::move(upstream), this);
}

void AdminForwarding::drained()
{
    if (m_upstream)
        m_upstream->resumeResponse();
}

void AdminForwarding::clientDisconnected()
{
    if (m_upstream)
        m_upstream->abort();
}

void AdminForwarding::responseHead(int status, const HttpHeaders& headers)
{
    HttpHeaders out;
    for (const auto& [name, value] : headers) {
        if (!HttpHeaders::sameName(name, "connection") && !HttpHeaders::sameName(name, "transfer-encoding"))
            out.append(name, value);
    }
    m_exchange->writeHead(status, out);
}

void AdminForwarding::responseData(const QByteArray& data)
{
    if (!m_exchange->writeBody(data))
        m_upstream->pauseResponse();
}

void AdminForwarding::finished()
{
    m_exchange->end();
}

void AdminForwarding::failed(const UpstreamError&)
{
    if (m_exchange->isHeadWritten())
        m_exchange->abort();
    else
        m_exchange->respondError(502, "admin_unavailable", "the admin API is not answering");
}
