#include "admin/ProviderKeyController.h"

#include "admin/ApiRouter.h"
#include "providers/ProviderKeyService.h"

void ProviderKeyController::addRoutes(ApiRouter& router)
{
    const auto access = ApiRouter::Access::Authenticated;
    router.add("GET", QStringLiteral("/api/provider-keys"), access, [this](ApiRequest& request) -> ApiResult {
        auto page = m_service.list(request.actor, request.query);
        return page ? ApiResult(ApiReply::ok(*page)) : ApiResult(page.error());
    });
    router.add("POST", QStringLiteral("/api/provider-keys"), access, [this](ApiRequest& request) -> ApiResult {
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto created = m_service.create(request.actor, *body);
        return created ? ApiResult(ApiReply::created(*created)) : ApiResult(created.error());
    });
    router.add("GET", QStringLiteral("/api/provider-keys/{id}"), access, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto type = m_service.get(request.actor, *id);
        return type ? ApiResult(ApiReply::ok(*type)) : ApiResult(type.error());
    });
    router.add("PATCH", QStringLiteral("/api/provider-keys/{id}"), access, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto updated = m_service.update(request.actor, *id, *body);
        return updated ? ApiResult(ApiReply::ok(*updated)) : ApiResult(updated.error());
    });
    router.add("DELETE", QStringLiteral("/api/provider-keys/{id}"), access, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto removed = m_service.remove(request.actor, *id);
        return removed ? ApiResult(ApiReply::noContent()) : ApiResult(removed.error());
    });
    router.add("POST", QStringLiteral("/api/provider-keys/{id}/reveal"), access,
               [this](ApiRequest& request) -> ApiResult {
                   auto id = request.id();
                   if (!id)
                       return id.error();
                   auto revealed = m_service.reveal(request.actor, *id);
                   return revealed ? ApiResult(ApiReply::ok(*revealed)) : ApiResult(revealed.error());
               });
}
