#pragma once

class ApiRouter;
class ProviderKeyService;

// /api/provider-keys: thin HTTP translation of ProviderKeyService calls.
class ProviderKeyController
{
public:
    explicit ProviderKeyController(ProviderKeyService& service) : m_service(service) {}
    void addRoutes(ApiRouter& router);

private:
    ProviderKeyService& m_service;
};
