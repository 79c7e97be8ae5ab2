#include "admin/AuthController.h"

#include "admin/ApiRouter.h"
#include "service/AuthService.h"
#include "service/JsonInput.h"

#include <QJsonArray>

namespace {

QByteArray bearerToken(const ApiRequest& request)
{
    const QByteArray authorization = request.header("Authorization");
    if (!authorization.startsWith("Bearer "))
        return {};
    return authorization.mid(7);
}

ApiResult sessionReply(const Result<AuthService::Session>& session, int retryAfterSeconds)
{
    if (!session) {
        if (retryAfterSeconds <= 0)
            return session.error();
        ApiReply reply = ApiReply::fromError(session.error());
        reply.addHeader("Retry-After", QByteArray::number(retryAfterSeconds));
        return reply;
    }
    return ApiReply::ok(
        QJsonObject{{QStringLiteral("accessToken"), session->accessToken},
                    {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
                    {QStringLiteral("expiresIn"), session->expiresInSeconds},
                    {QStringLiteral("refreshToken"), session->refreshToken},
                    {QStringLiteral("refreshExpiresIn"), session->refreshExpiresInSeconds},
                    {QStringLiteral("user"), QJsonObject{{QStringLiteral("id"), session->userId},
                                                         {QStringLiteral("username"), session->username},
                                                         {QStringLiteral("role"), session->role}}}});
}

// The refreshToken field of a body, the only field allowed.
Result<QString> refreshTokenField(const ApiRequest& request)
{
    auto body = request.jsonObject();
    if (!body)
        return body.error();
    JsonInput in(*body);
    const auto token = in.text(QStringLiteral("refreshToken"), JsonInput::Required, 1, 200);
    if (auto error = in.error())
        return *error;
    return *token;
}

} // namespace

void AuthController::addRoutes(ApiRouter& router)
{
    router.setAuthenticator([this](const ApiRequest& request) -> Result<Actor> {
        const QByteArray token = bearerToken(request);
        if (token.isEmpty())
            return ApiErrors::unauthenticated(
                QStringLiteral("log in first: send Authorization: Bearer <access token>"));
        return m_auth.authenticate(token, request.clientAddress);
    });

    router.add("POST", QStringLiteral("/api/auth/login"), ApiRouter::Access::Public,
               [this](ApiRequest& request) -> ApiResult {
                   auto body = request.jsonObject();
                   if (!body)
                       return body.error();
                   JsonInput in(*body);
                   const auto username = in.text(QStringLiteral("username"), JsonInput::Required, 1, 200);
                   const auto password = in.text(QStringLiteral("password"), JsonInput::Required, 1, 1024);
                   if (auto error = in.error())
                       return *error;
                   int retryAfter = 0;
                   const auto session = m_auth.login(*username, *password, request.clientAddress, &retryAfter);
                   return sessionReply(session, retryAfter);
               });

    router.add("POST", QStringLiteral("/api/auth/refresh"), ApiRouter::Access::Public,
               [this](ApiRequest& request) -> ApiResult {
                   auto token = refreshTokenField(request);
                   if (!token)
                       return token.error();
                   return sessionReply(m_auth.refresh(*token, request.clientAddress), 0);
               });

    router.add("POST", QStringLiteral("/api/auth/logout"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto token = refreshTokenField(request);
                   if (!token)
                       return token.error();
                   if (auto done = m_auth.logout(request.actor, *token, bearerToken(request)); !done)
                       return done.error();
                   return ApiReply::noContent();
               });

    router.add("POST", QStringLiteral("/api/auth/password"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto body = request.jsonObject();
                   if (!body)
                       return body.error();
                   JsonInput in(*body);
                   const auto current = in.text(QStringLiteral("currentPassword"), JsonInput::Required, 1, 1024);
                   const auto fresh = in.text(QStringLiteral("newPassword"), JsonInput::Required, 1, 1024);
                   if (auto error = in.error())
                       return *error;
                   int retryAfter = 0;
                   const auto session = m_auth.changePassword(request.actor, *current, *fresh, &retryAfter);
                   return sessionReply(session, retryAfter);
               });

    router.add("GET", QStringLiteral("/api/auth/me"), ApiRouter::Access::Authenticated,
               [](ApiRequest& request) -> ApiResult {
                   const Actor& actor = request.actor;
                   return ApiReply::ok(
                       QJsonObject{{QStringLiteral("id"), actor.userId},
                                   {QStringLiteral("username"), actor.username},
                                   {QStringLiteral("role"), actor.role},
                                   {QStringLiteral("permissions"), QJsonArray::fromStringList(actor.permissions)}});
               });
}
