#include "proxy/GatewayHandler.h"

#include "http/HttpExchange.h"
#include "proxy/ActiveRequest.h"
#include "proxy/AdminForwarding.h"
#include "proxy/ClientAddress.h"

void GatewayHandler::handle(HttpExchange* exchange)
{
    const QByteArray& path = exchange->request().path;
    if (path == "/api" || path.startsWith("/api/")) {
        if (!m_context.config->adminOnProxyPort)
            return exchange->respondError(404, "not_found", "the admin API is not served on this port");
        if (!m_context.config->adminAllowedFrom(clientAddressOf(exchange->request(), *m_context.config)))
            return exchange->respondError(403, "forbidden", "the admin API does not take requests from this address");
        AdminForwarding::start(exchange, m_context);
        return;
    }
    if (path == "/healthz") {
        exchange->respond(200, {{"content-type", "application/json"}}, R"({"status":"ok"})");
        return;
    }
    if (path == "/readyz") {
        if (m_context.ready && m_context.ready->load(std::memory_order_relaxed))
            exchange->respond(200, {{"content-type", "application/json"}}, R"({"status":"ready"})");
        else
            exchange->respond(503, {{"content-type", "application/json"}}, R"({"status":"not ready"})");
        return;
    }
    ActiveRequest::start(exchange, m_context);
}
