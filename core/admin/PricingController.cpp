#include "admin/PricingController.h"

#include "admin/ResourceRoutes.h"
#include "service/PricingService.h"

void PricingController::addRoutes(ApiRouter& router)
{
    addResourceRoutes(router, QStringLiteral("/api/pricing"), m_service);
}
