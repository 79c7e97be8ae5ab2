#include "admin/UsersController.h"

#include "admin/ApiRouter.h"
#include "admin/ResourceRoutes.h"
#include "service/UserService.h"

void UsersController::addRoutes(ApiRouter& router)
{
    const auto authenticated = ApiRouter::Access::Authenticated;
    addResourceRoutes(router, QStringLiteral("/api/users"), m_users);

    router.add("POST", QStringLiteral("/api/users/{id}/password"), authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto id = request.id();
                   if (!id)
                       return id.error();
                   auto body = request.jsonObject();
                   if (!body)
                       return body.error();
                   if (auto reset = m_users.resetPassword(request.actor, *id, *body); !reset)
                       return reset.error();
                   return ApiReply::noContent();
               });
}
