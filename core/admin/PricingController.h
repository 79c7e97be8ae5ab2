#pragma once

class ApiRouter;
class PricingService;

// /api/pricing: thin HTTP translation of PricingService calls.
class PricingController
{
public:
    explicit PricingController(PricingService& service) : m_service(service) {}
    void addRoutes(ApiRouter& router);

private:
    PricingService& m_service;
};
