#include "admin/PricingController.h"

#include "admin/ApiRouter.h"
#include "providers/PricingService.h"

void PricingController::addRoutes(ApiRouter& router)
{
    const auto access = ApiRouter::Access::Authenticated;
    router.add("GET", QStringLiteral("/api/pricing"), access, [this](ApiRequest& request) -> ApiResult {
        auto page = m_service.list(request.actor, request.query);
        return page ? ApiResult(ApiReply::ok(*page)) : ApiResult(page.error());
    });
    router.add("POST", QStringLiteral("/api/pricing"), access, [this](ApiRequest& request) -> ApiResult {
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto created = m_service.create(request.actor, *body);
        return created ? ApiResult(ApiReply::created(*created)) : ApiResult(created.error());
    });
    router.add("PATCH", QStringLiteral("/api/pricing/{id}"), access, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto updated = m_service.update(request.actor, *id, *body);
        return updated ? ApiResult(ApiReply::ok(*updated)) : ApiResult(updated.error());
    });
    router.add("DELETE", QStringLiteral("/api/pricing/{id}"), access, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto removed = m_service.remove(request.actor, *id);
        return removed ? ApiResult(ApiReply::noContent()) : ApiResult(removed.error());
    });
}
