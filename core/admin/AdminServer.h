#pragma once

#include "common/Result.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QPointer>
#include <QTcpServer>

class GatewayService;

// The admin REST API on its own listener (127.0.0.1:9090 by default). Handlers are synchronous: QHttpServer 6.4
// crashes when a stored responder writes after its client left (PLATFORM.md).
class AdminServer
{
public:
    explicit AdminServer(GatewayService& service);

    Result<void> listen(const QHostAddress& address, quint16 port);
    quint16 serverPort() const { return m_listener ? m_listener->serverPort() : 0; }
    void close();

private:
    void addRoutes();

    GatewayService& m_service;
    QHttpServer m_http;
    QPointer<QTcpServer> m_listener; // owned by m_http once bound
};
