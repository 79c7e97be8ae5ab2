#pragma once

#include "http/HttpRequestHandler.h"
#include "http/UpstreamOrigin.h"

#include <QUrl>

// Forwards every request to one fixed upstream (its path prefixed to the request target), streaming both ways with
// backpressure. For tests and the engine benchmark; the gateway's real pipeline lives in proxy/.
class PassThroughHandler : public HttpRequestHandler
{
public:
    PassThroughHandler(const QUrl& upstream, UpstreamPool& pool);

    void handle(HttpExchange* exchange) override;

    static HttpRequestHandlerFactory factory(const QUrl& upstream);

private:
    UpstreamOrigin m_origin;
    QByteArray m_basePath; // without a trailing slash
    UpstreamPool& m_pool;
};
