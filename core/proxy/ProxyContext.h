#pragma once

#include "config/Config.h"
#include "proxy/ProxyMetrics.h"

#include <QByteArray>

#include <atomic>

class AccessLog;
class BodyBudget;
class KeyClock;
class OAuthRefresher;
class RoutingStore;
class SharedLimits;
class TraceWriter;
class UpstreamPool;

// What every request of one proxy worker shares. The pool and the shared limits belong to the worker's thread; the
// routing store, the trace writer and the body budget are shared by all workers (lock-free reads and submits).
struct ProxyContext
{
    const ConfigPtr& config; // the worker's (HttpWorkerContext): a reload replaces it between two events
    RoutingStore& routing;
    const KeyClock& clock;
    TraceWriter& traces;
    UpstreamPool& upstreams;
    BodyBudget& bodies;
    AccessLog& accessLog;
    quint16 adminPort = 0;
    QByteArray adminForwardToken; // proves to the admin listener that a forwarded request came through /api here
    SharedLimits* sharedLimits = nullptr;     // the worker's; null without Redis: limits then count per instance
    ProxyMetrics::Shard* metrics = nullptr;   // the worker's
    const std::atomic<bool>* ready = nullptr; // what /readyz answers
    OAuthRefresher* oauth = nullptr;          // refreshes an OAuth key's token that a provider refused
};
