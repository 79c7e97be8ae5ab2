#pragma once

class ApiRouter;
class ProviderTypeService;

// /api/provider-types: thin HTTP translation of ProviderTypeService calls.
class ProviderTypeController
{
public:
    explicit ProviderTypeController(ProviderTypeService& service) : m_service(service) {}
    void addRoutes(ApiRouter& router);

private:
    ProviderTypeService& m_service;
};
