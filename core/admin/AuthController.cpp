#include "admin/AuthController.h"

#include "admin/ApiRouter.h"
#include "admin/JsonInput.h"
#include "auth/AuthService.h"

#include <QJsonArray>

void AuthController::addRoutes(ApiRouter& router)
{
    router.setAuthenticator([this](const ApiRequest& request) -> Result<Actor> {
        const QByteArray authorization = request.header("Authorization");
        if (!authorization.startsWith("Bearer ") || authorization.size() <= 7)
            return ApiErrors::unauthenticated(QStringLiteral("log in first: send Authorization: Bearer <access token>"));
        return m_auth.authenticate(QByteArrayView(authorization).sliced(7), request.clientAddress);
    });

    router.add("POST", QStringLiteral("/api/auth/login"), ApiRouter::Access::Public, [this](ApiRequest& request) -> ApiResult {
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        JsonInput in(*body);
        const auto username = in.text(QStringLiteral("username"), JsonInput::Required, 1, 200);
        const auto password = in.text(QStringLiteral("password"), JsonInput::Required, 1, 1024);
        if (auto error = in.error())
            return *error;
        auto session = m_auth.login(*username, *password, request.clientAddress);
        if (!session)
            return session.error();
        return ApiReply::ok(QJsonObject{
            {QStringLiteral("accessToken"), session->accessToken},
            {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
            {QStringLiteral("expiresIn"), session->expiresInSeconds},
            {QStringLiteral("user"), QJsonObject{{QStringLiteral("id"), session->userId},
                                                 {QStringLiteral("username"), session->username},
                                                 {QStringLiteral("role"), session->role}}}});
    });

    router.add("GET", QStringLiteral("/api/auth/me"), ApiRouter::Access::Authenticated, [](ApiRequest& request) -> ApiResult {
        const Actor& actor = request.actor;
        return ApiReply::ok(QJsonObject{{QStringLiteral("id"), actor.userId},
                                        {QStringLiteral("username"), actor.username},
                                        {QStringLiteral("role"), actor.role},
                                        {QStringLiteral("permissions"), QJsonArray::fromStringList(actor.permissions)}});
    });
}
