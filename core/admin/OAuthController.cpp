#include "admin/OAuthController.h"

#include "admin/ResourceRoutes.h"
#include "service/OAuthConfigService.h"
#include "service/OAuthSessionService.h"

void OAuthController::addRoutes(ApiRouter& router)
{
    addResourceRoutes(router, QStringLiteral("/api/oauth/configs"), m_configs);
    const auto access = ApiRouter::Access::Authenticated;
    router.add("POST", QStringLiteral("/api/oauth/authorize"), access, [this](ApiRequest& request) -> ApiResult {
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto started = m_sessions.authorize(request.actor, *body);
        return started ? ApiResult(ApiReply::created(*started)) : ApiResult(started.error());
    });
    router.addDeferred("POST", QStringLiteral("/api/oauth/exchange"), access,
                       [this](ApiRequest& request, const ApiRouter::Reply& reply) {
                           auto body = request.jsonObject();
                           if (!body)
                               return reply(body.error());
                           m_sessions.exchange(request.actor, *body, [reply](Result<QJsonObject> session) {
                               reply(session ? ApiResult(ApiReply::ok(*session)) : ApiResult(session.error()));
                           });
                       });
    router.add("GET", QStringLiteral("/api/oauth/sessions"), access, [this](ApiRequest& request) -> ApiResult {
        auto page = m_sessions.list(request.actor, request.query);
        return page ? ApiResult(ApiReply::ok(*page)) : ApiResult(page.error());
    });
}
