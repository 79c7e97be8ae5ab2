#pragma once

class ApiRouter;
class HealthService;

// /api/health: every provider key's health; reset of a key's invalid mark.
class HealthController
{
public:
    explicit HealthController(HealthService& health) : m_health(health) {}
    void addRoutes(ApiRouter& router);

private:
    HealthService& m_health;
};
