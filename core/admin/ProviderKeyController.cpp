#include "admin/ProviderKeyController.h"

#include "admin/ResourceRoutes.h"
#include "service/ProviderKeyService.h"

void ProviderKeyController::addRoutes(ApiRouter& router)
{
    addResourceRoutes(router, QStringLiteral("/api/provider-keys"), m_service);
    const auto access = ApiRouter::Access::Authenticated;
    router.add("POST", QStringLiteral("/api/provider-keys/{id}/reveal"), access,
               [this](ApiRequest& request) -> ApiResult {
                   auto id = request.id();
                   if (!id)
                       return id.error();
                   auto revealed = m_service.reveal(request.actor, *id);
                   return revealed ? ApiResult(ApiReply::ok(*revealed)) : ApiResult(revealed.error());
               });
}
