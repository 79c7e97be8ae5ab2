#include "admin/ProviderTypeController.h"

#include "admin/ResourceRoutes.h"
#include "providers/ProviderTypeService.h"

void ProviderTypeController::addRoutes(ApiRouter& router)
{
    addResourceRoutes(router, QStringLiteral("/api/provider-types"), m_service);
}
