#include "admin/GatewayKeyController.h"

#include "admin/ResourceRoutes.h"
#include "service/GatewayKeyService.h"

void GatewayKeyController::addRoutes(ApiRouter& router)
{
    addResourceRoutes(router, QStringLiteral("/api/gateway-keys"), m_service);
    const auto access = ApiRouter::Access::Authenticated;
    router.add("POST", QStringLiteral("/api/gateway-keys/{id}/regenerate"), access,
               [this](ApiRequest& request) -> ApiResult {
                   auto id = request.id();
                   if (!id)
                       return id.error();
                   auto regenerated = m_service.regenerate(request.actor, *id);
                   return regenerated ? ApiResult(ApiReply::ok(*regenerated)) : ApiResult(regenerated.error());
               });
}
