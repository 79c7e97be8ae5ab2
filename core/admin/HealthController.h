#pragma once

class ApiRouter;
class GatewayService;

// /api/health: every provider key's health; reset of a key's invalid mark.
class HealthController
{
public:
    explicit HealthController(GatewayService& service) : m_service(service) {}
    void addRoutes(ApiRouter& router);

private:
    GatewayService& m_service;
};
