#pragma once

#include "admin/ApiRouter.h"
#include "common/Result.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>

#include <functional>
#include <memory>

class AuditController;
class AuditService;
class AuthController;
class AuthService;
class GatewayKeyController;
class GatewayKeyService;
class HealthController;
class HealthService;
class OAuthConfigService;
class OAuthController;
class OAuthSessionService;
class PricingController;
class PricingService;
class ProviderKeyController;
class ProviderKeyService;
class ProviderTypeController;
class ProviderTypeService;
class RolesController;
class StatsController;
class StatsService;
class TraceController;
class TraceService;
class UserService;
class UsersController;

// What the admin API serves: the use cases, and what it needs of the process around it.
struct AdminServices
{
    AuthService& auth;
    ProviderTypeService& providerTypes;
    ProviderKeyService& providerKeys;
    GatewayKeyService& gatewayKeys;
    PricingService& pricing;
    UserService& users;
    AuditService& audit;
    TraceService& traces;
    StatsService& stats;
    HealthService& health;
    OAuthConfigService& oauthConfigs;
    OAuthSessionService& oauthSessions;
    std::function<QJsonObject()> systemInfo; // GET /api/system/info for signed-in users
    std::function<QJsonObject()> redisState; // {configured, connected}, also in /api/health
    QByteArray forwardToken;             // /api requests forwarded from the proxy port carry it (AdminForwardHeaders)
    std::function<bool()> ready;         // GET /readyz
    std::function<QByteArray()> metrics; // GET /metrics, Prometheus text
    QByteArray metricsToken;             // empty: /metrics for loopback clients only
};

// The admin REST API on its own listener (127.0.0.1:9090 by default). QHttpServer 6.4 does the HTTP; our router
// does the rest. Handlers answer at once, except deferred ones (the OAuth exchange waits for the provider): their
// reply is written only if the client is still connected, since QHttpServer 6.4 crashes when a stored responder
// writes after its client left (docs/architecture.md, platform facts).
class AdminServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit AdminServer(AdminServices services);
    ~AdminServer() override;

    Result<void> listen(const QHostAddress& address, quint16 port);
    quint16 serverPort() const { return m_listener ? m_listener->serverPort() : 0; }
    void close();

    ApiRouter& router() { return m_router; }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;
    // /healthz, /readyz and /metrics: for load balancers, orchestrators and Prometheus, not the REST API.
    void answerOperations(const QHttpServerRequest& request, QTcpSocket* socket);

private:
    AdminServices m_services;
    ApiRouter m_router;
    std::unique_ptr<AuthController> m_authController;
    std::unique_ptr<ProviderTypeController> m_providerTypeController;
    std::unique_ptr<ProviderKeyController> m_providerKeyController;
    std::unique_ptr<GatewayKeyController> m_gatewayKeyController;
    std::unique_ptr<PricingController> m_pricingController;
    std::unique_ptr<UsersController> m_usersController;
    std::unique_ptr<RolesController> m_rolesController;
    std::unique_ptr<AuditController> m_auditController;
    std::unique_ptr<TraceController> m_traceController;
    std::unique_ptr<StatsController> m_statsController;
    std::unique_ptr<HealthController> m_healthController;
    std::unique_ptr<OAuthController> m_oauthController;
    QPointer<QTcpServer> m_listener; // owned by QAbstractHttpServer once bound
};
