#pragma once

#include "http/HttpRequestHandler.h"

#include <QUrl>

// Forwards every request to one fixed upstream (its path prefixed to the request target), streaming both ways with
// backpressure. For tests and the engine benchmark; the gateway's real pipeline lives in proxy/.
class PassThroughHandler : public HttpRequestHandler
{
public:
    PassThroughHandler(QUrl upstream, UpstreamPool& pool) : m_upstream(std::move(upstream)), m_pool(pool) {}

    void handle(HttpExchange* exchange) override;

    static HttpRequestHandlerFactory factory(const QUrl& upstream);

private:
    QUrl m_upstream;
    UpstreamPool& m_pool;
};
