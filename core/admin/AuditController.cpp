#include "admin/AuditController.h"

#include "admin/ApiRouter.h"
#include "service/AuditService.h"

void AuditController::addRoutes(ApiRouter& router)
{
    router.add("GET", QStringLiteral("/api/audit"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto entries = m_audit.list(request.actor, request.query);
                   if (!entries)
                       return entries.error();
                   return ApiReply::ok(*entries);
               });
}
