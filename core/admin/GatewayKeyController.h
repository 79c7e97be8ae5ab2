#pragma once

class ApiRouter;
class GatewayKeyService;

// /api/gateway-keys: thin HTTP translation of GatewayKeyService calls.
class GatewayKeyController
{
public:
    explicit GatewayKeyController(GatewayKeyService& service) : m_service(service) {}
    void addRoutes(ApiRouter& router);

private:
    GatewayKeyService& m_service;
};
