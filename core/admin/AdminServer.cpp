#include "admin/AdminServer.h"

#include "app/GatewayService.h"

#include <QHttpServerResponse>

AdminServer::AdminServer(GatewayService& service) : m_service(service)
{
    addRoutes();
}

Result<void> AdminServer::listen(const QHostAddress& address, quint16 port)
{
    auto listener = std::make_unique<QTcpServer>();
    if (!listener->listen(address, port))
        return Error::make(QStringLiteral("listen_failed"), QStringLiteral("admin API cannot listen on %1:%2: %3")
                                                                .arg(address.toString())
                                                                .arg(port)
                                                                .arg(listener->errorString()));
    m_listener = listener.release();
    m_http.bind(m_listener);
    return {};
}

void AdminServer::close()
{
    if (m_listener)
        m_listener->close();
}

void AdminServer::addRoutes()
{
    m_http.route(QStringLiteral("/api/system/info"), QHttpServerRequest::Method::Get,
                 [this] { return QHttpServerResponse(m_service.systemInfo()); });
}
