#pragma once

#include "proxy/ProxyContext.h"

#include <QObject>
#include <QPointer>

class HttpExchange;
class UpstreamExchange;

// /api/* on the proxy port, forwarded to the admin listener on loopback, so a public deployment exposes one port.
// The engine has already enforced its header and body limits (QHttpServer has none of its own). The caller's
// address travels in a header that the admin listener believes only with this process's forward token.
class AdminForwarding : public QObject
{
    Q_OBJECT

public:
    static constexpr const char* kClientAddressHeader = "x-gatehouse-client-address";
    static constexpr const char* kForwardTokenHeader = "x-gatehouse-forward-token";

    AdminForwarding(HttpExchange* exchange, const ProxyContext& context);
    void start();

private:
    HttpExchange* m_exchange;
    const ProxyContext& m_context;
    QPointer<UpstreamExchange> m_upstream;
    QByteArray m_body;
};
