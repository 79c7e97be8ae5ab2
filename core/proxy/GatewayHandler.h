#pragma once

#include "http/HttpRequestHandler.h"
#include "proxy/ProxyContext.h"

// The proxy's request handler, one per worker thread: /api/* goes to the admin listener (unless the configuration
// keeps the admin API off this port, 404, or the caller's address is not allowed, 403), /healthz answers liveness
// probes of load balancers, everything else is an ActiveRequest.
class GatewayHandler : public HttpRequestHandler
{
public:
    explicit GatewayHandler(ProxyContext context) : m_context(std::move(context)) {}
    void handle(HttpExchange* exchange) override;

private:
    ProxyContext m_context;
};
