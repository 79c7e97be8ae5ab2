#include "admin/AdminServer.h"

#include "admin/AuditController.h"
#include "admin/AuthController.h"
#include "admin/GatewayKeyController.h"
#include "admin/HealthController.h"
#include "admin/OAuthController.h"
#include "admin/PricingController.h"
#include "admin/ProviderKeyController.h"
#include "admin/ProviderTypeController.h"
#include "admin/RolesController.h"
#include "admin/StatsController.h"
#include "admin/TraceController.h"
#include "admin/UsersController.h"
#include "auth/Permissions.h"
#include "crypto/ConstantTime.h"
#include "http/AdminForwardHeaders.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>

AdminServer::AdminServer(AdminServices services)
    : m_services(std::move(services)), m_authController(std::make_unique<AuthController>(m_services.auth)),
      m_providerTypeController(std::make_unique<ProviderTypeController>(m_services.providerTypes)),
      m_providerKeyController(std::make_unique<ProviderKeyController>(m_services.providerKeys)),
      m_gatewayKeyController(std::make_unique<GatewayKeyController>(m_services.gatewayKeys)),
      m_pricingController(std::make_unique<PricingController>(m_services.pricing)),
      m_usersController(std::make_unique<UsersController>(m_services.users)),
      m_rolesController(std::make_unique<RolesController>(m_services.users)),
      m_auditController(std::make_unique<AuditController>(m_services.audit)),
      m_traceController(std::make_unique<TraceController>(m_services.traces)),
      m_statsController(std::make_unique<StatsController>(m_services.stats)),
      m_healthController(std::make_unique<HealthController>(m_services.health, m_services.redisState)),
      m_oauthController(std::make_unique<OAuthController>(m_services.oauthConfigs, m_services.oauthSessions))
{
    m_authController->addRoutes(m_router);
    m_providerTypeController->addRoutes(m_router);
    m_providerKeyController->addRoutes(m_router);
    m_gatewayKeyController->addRoutes(m_router);
    m_pricingController->addRoutes(m_router);
    m_usersController->addRoutes(m_router);
    m_rolesController->addRoutes(m_router);
    m_auditController->addRoutes(m_router);
    m_traceController->addRoutes(m_router);
    m_statsController->addRoutes(m_router);
    m_healthController->addRoutes(m_router);
    m_oauthController->addRoutes(m_router);
    // Strangers learn that the gateway answers and its version; where its data lives is for signed-in users, and the
    // server's settings for those who manage the server.
    m_router.add("GET", QStringLiteral("/api/system/info"), ApiRouter::Access::OptionalLogin,
                 [this](ApiRequest& request) -> ApiResult {
                     if (request.actor.userId == 0)
                         return ApiReply::ok(QJsonObject{{QStringLiteral("name"), QStringLiteral("gatehouse")},
                                                         {QStringLiteral("version"), QStringLiteral(GATEHOUSE_VERSION)},
                                                         {QStringLiteral("status"), QStringLiteral("ok")}});
                     QJsonObject info = m_services.systemInfo();
                     if (!request.actor.has(Permissions::kServerManage))
                         info.remove(QStringLiteral("settings"));
                     return ApiReply::ok(info);
                 });
}

AdminServer::~AdminServer() = default;

Result<void> AdminServer::listen(const QHostAddress& address, quint16 port)
{
    auto listener = std::make_unique<QTcpServer>();
    if (!listener->listen(address, port))
        return Error::make(QStringLiteral("listen_failed"), QStringLiteral("admin API cannot listen on %1:%2: %3")
                                                                .arg(address.toString())
                                                                .arg(port)
                                                                .arg(listener->errorString()));
    m_listener = listener.release();
    bind(m_listener);
    return {};
}

void AdminServer::close()
{
    if (m_listener)
        m_listener->close();
}

namespace {

void writeReply(QHttpServerResponder& responder, const ApiReply& reply)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
    const QByteArray body = reply.body.isNull() ? QByteArray() : reply.body.toJson(QJsonDocument::Compact);
    if (!body.isEmpty())
        responder.writeHeader("Content-Type", "application/json");
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeHeader("Cache-Control", "no-store");
    for (const auto& [name, value] : reply.headers)
        responder.writeHeader(name, value);
    responder.writeBody(body);
}

} // namespace

bool AdminServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    static const QHash<QHttpServerRequest::Method, QByteArray> methods{
        {QHttpServerRequest::Method::Get, "GET"},         {QHttpServerRequest::Method::Post, "POST"},
        {QHttpServerRequest::Method::Put, "PUT"},         {QHttpServerRequest::Method::Patch, "PATCH"},
        {QHttpServerRequest::Method::Delete, "DELETE"},   {QHttpServerRequest::Method::Head, "HEAD"},
        {QHttpServerRequest::Method::Options, "OPTIONS"},
    };
    const QString path = request.url().path();
    if (path == QLatin1String("/healthz") || path == QLatin1String("/readyz") || path == QLatin1String("/metrics")) {
        answerOperations(request, socket);
        return true;
    }
    ApiRequest api;
    api.method = methods.value(request.method(), "OTHER");
    api.path = request.url().path();
    api.query = request.query();
    api.headers = request.headers();
    api.body = request.body();
    api.clientAddress = request.remoteAddress().toString();
    // Requests forwarded from /api on the proxy port name their real client, proven by this process's token.
    const QByteArray token = request.value(AdminForwardHeaders::kForwardToken);
    if (!token.isEmpty() && constantTimeEquals(token, m_services.forwardToken))
        api.clientAddress = QString::fromLatin1(request.value(AdminForwardHeaders::kClientAddress));

    // A deferred reply is written when it comes, if the client is still there: the socket (and with it the request
    // the responder refers to) is deleted when the client leaves, and writing to it then would crash.
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    m_router.dispatch(api, [responder, client = QPointer<QTcpSocket>(socket)](const ApiReply& reply) {
        if (client && client->state() == QAbstractSocket::ConnectedState)
            writeReply(*responder, reply);
    });
    return true;
}

// Unauthenticated and without details, except /metrics: with metrics_token set it wants that bearer token, else a
// client on this machine (the admin listener is on loopback by default; a reverse proxy on this machine in front of
// it would make every client look local: set the token then).
void AdminServer::answerOperations(const QHttpServerRequest& request, QTcpSocket* socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    const auto answer = [&](int status, const QByteArray& contentType, const QByteArray& body) {
        responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
        responder.writeHeader("Content-Type", contentType);
        responder.writeHeader("Content-Length", QByteArray::number(body.size()));
        responder.writeHeader("Cache-Control", "no-store");
        responder.writeBody(body);
    };
    const QByteArray json = "application/json";
    if (request.method() != QHttpServerRequest::Method::Get)
        return answer(405, json, R"({"error":{"code":"method_not_allowed","message":"use GET"}})");
    const QString path = request.url().path();
    if (path == QLatin1String("/healthz"))
        return answer(200, json, R"({"status":"ok"})");
    if (path == QLatin1String("/readyz"))
        return m_services.ready() ? answer(200, json, R"({"status":"ready"})")
                                  : answer(503, json, R"({"status":"not ready"})");
    if (m_services.metricsToken.isEmpty()) {
        if (!request.remoteAddress().isLoopback())
            return answer(403, json,
                          R"({"error":{"code":"forbidden","message":"metrics are served to this machine only"}})");
    } else if (!constantTimeEquals(request.value("authorization"), "Bearer " + m_services.metricsToken)) {
        return answer(401, json, R"({"error":{"code":"unauthenticated","message":"metrics need the scrape token"}})");
    }
    answer(200, "text/plain; version=0.0.4; charset=utf-8", m_services.metrics());
}

void AdminServer::missingHandler(const QHttpServerRequest&, QTcpSocket*)
{
    // handleRequest answers every request, unknown paths included.
}
