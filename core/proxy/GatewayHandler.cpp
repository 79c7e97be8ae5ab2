#include "proxy/GatewayHandler.h"

#include "http/HttpExchange.h"
#include "proxy/ActiveRequest.h"
#include "proxy/AdminForwarding.h"

void GatewayHandler::handle(HttpExchange* exchange)
{
    const QByteArray& path = exchange->request().path;
    if (path == "/api" || path.startsWith("/api/")) {
        AdminForwarding::start(exchange, m_context);
        return;
    }
    if (path == "/healthz") {
        exchange->respond(200, {{"content-type", "application/json"}}, R"({"status":"ok"})");
        return;
    }
    ActiveRequest::start(exchange, m_context);
}
