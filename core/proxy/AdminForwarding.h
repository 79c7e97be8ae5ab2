#pragma once

#include "http/HttpExchange.h"
#include "http/UpstreamExchange.h"
#include "proxy/ProxyContext.h"

#include <memory>

// /api/* on the proxy port, forwarded to the admin listener on loopback, so a public deployment exposes one port.
// The engine has already enforced its header limits; bodies are held to kMaxBodyBytes here, before anyone signed in
// (QHttpServer has no limit of its own, so the admin listener itself belongs on loopback). The caller's address
// travels in a header that the admin listener believes only with this process's forward token.
class AdminForwarding : private HttpExchange::Listener, private UpstreamExchange::Listener
{
public:
    static constexpr qint64 kMaxBodyBytes = 1024 * 1024; // admin requests are small JSON documents

    // Forwards the request, and hands the exchange its ownership.
    static void start(HttpExchange* exchange, const ProxyContext& context);

private:
    AdminForwarding(HttpExchange* exchange, const ProxyContext& context) : m_exchange(exchange), m_context(context) {}
    ~AdminForwarding() override;
    // HttpExchange::Listener
    void bodyData(const QByteArray& data) override;
    void bodyEnd() override;
    void drained() override;
    void clientDisconnected() override;
    // UpstreamExchange::Listener
    void responseHead(int status, const HttpHeaders& headers) override;
    void responseData(const QByteArray& data) override;
    void finished() override;
    void failed(const UpstreamError& error) override;

    HttpExchange* m_exchange;
    const ProxyContext& m_context;
    std::unique_ptr<UpstreamExchange> m_upstream;
    QByteArray m_body; // taken from the body budget, given back at the end
};
