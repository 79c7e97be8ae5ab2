#include "admin/RolesController.h"

#include "admin/ApiRouter.h"
#include "service/UserService.h"

void RolesController::addRoutes(ApiRouter& router)
{
    router.add("GET", QStringLiteral("/api/roles"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto roles = m_users.roles(request.actor);
                   if (!roles)
                       return roles.error();
                   return ApiReply::ok(*roles);
               });
}
