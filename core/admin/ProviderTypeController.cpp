#include "admin/ProviderTypeController.h"

#include "admin/ResourceRoutes.h"
#include "service/ProviderTypeService.h"

void ProviderTypeController::addRoutes(ApiRouter& router)
{
    addResourceRoutes(router, QStringLiteral("/api/provider-types"), m_service);
}
