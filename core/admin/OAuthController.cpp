#include "admin/OAuthController.h"

#include "admin/ResourceRoutes.h"
#include "service/OAuthConfigService.h"
#include "service/OAuthSessionService.h"

namespace {

// What a deferred session route answers with.
OAuthSessionService::Done answerWith(const ApiRouter::Reply& reply)
{
    return [reply](Result<QJsonObject> session) {
        reply(session ? ApiResult(ApiReply::ok(*session)) : ApiResult(session.error()));
    };
}

} // namespace

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
                           m_sessions.exchange(request.actor, *body, answerWith(reply));
                       });
    router.add("GET", QStringLiteral("/api/oauth/sessions"), access, [this](ApiRequest& request) -> ApiResult {
        auto page = m_sessions.list(request.actor, request.query);
        return page ? ApiResult(ApiReply::ok(*page)) : ApiResult(page.error());
    });
    // POST /api/oauth/sessions/{id}/refresh and /revoke: both answer once the provider has.
    using SessionAction = void (OAuthSessionService::*)(const Actor&, qint64, OAuthSessionService::Done);
    for (const auto& [name, action] : {std::pair<const char*, SessionAction>{"refresh", &OAuthSessionService::refresh},
                                       std::pair<const char*, SessionAction>{"revoke", &OAuthSessionService::revoke}}) {
        router.addDeferred("POST", QStringLiteral("/api/oauth/sessions/{id}/%1").arg(QLatin1String(name)), access,
                           [this, action](ApiRequest& request, const ApiRouter::Reply& reply) {
                               auto id = request.id();
                               if (!id)
                                   return reply(id.error());
                               (m_sessions.*action)(request.actor, *id, answerWith(reply));
                           });
    }
}
