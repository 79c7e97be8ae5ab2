#pragma once

#include <QJsonObject>

#include <functional>

class ApiRouter;
class HealthService;

// /api/health: every provider key's health; reset of a key's invalid mark.
class HealthController
{
public:
    // `redis`: the shared state's health ({configured, connected}), shown beside the keys'.
    HealthController(HealthService& health, std::function<QJsonObject()> redis)
        : m_health(health), m_redis(std::move(redis))
    {}
    void addRoutes(ApiRouter& router);

private:
    HealthService& m_health;
    std::function<QJsonObject()> m_redis;
};
