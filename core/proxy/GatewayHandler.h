#pragma once

#include "cache/SharedLimits.h"
#include "http/HttpRequestHandler.h"
#include "proxy/ProxyContext.h"

#include <memory>

// The proxy's request handler, one per worker thread: /api/* goes to the admin listener (unless the configuration
// keeps the admin API off this port, 404, or the caller's address is not allowed, 403), /healthz answers liveness
// probes of load balancers and /readyz readiness ones, everything else is an ActiveRequest. It owns its worker's
// SharedLimits, if any.
class GatewayHandler : public HttpRequestHandler
{
public:
    GatewayHandler(ProxyContext context, std::unique_ptr<SharedLimits> sharedLimits)
        : m_context(std::move(context)), m_sharedLimits(std::move(sharedLimits))
    {
        m_context.sharedLimits = m_sharedLimits.get();
    }
    void handle(HttpExchange* exchange) override;

private:
    ProxyContext m_context;
    std::unique_ptr<SharedLimits> m_sharedLimits;
};
