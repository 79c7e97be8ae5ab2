#pragma once

class ApiRouter;
class TraceService;

// /api/traces: the filtered, cursor-paged trace listing and single traces.
class TraceController
{
public:
    explicit TraceController(TraceService& traces) : m_traces(traces) {}
    void addRoutes(ApiRouter& router);

private:
    TraceService& m_traces;
};
