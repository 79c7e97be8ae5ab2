#pragma once

class ApiRouter;
class StatsService;

// /api/stats: overview, trend, share by model, per provider key and per gateway key, over a period.
class StatsController
{
public:
    explicit StatsController(StatsService& stats) : m_stats(stats) {}
    void addRoutes(ApiRouter& router);

private:
    StatsService& m_stats;
};
