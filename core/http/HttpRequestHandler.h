#pragma once

#include "config/Config.h"

#include <functional>
#include <memory>

class HttpExchange;
class UpstreamPool;
struct HttpWorkerStats;

// What a worker thread offers to the handler it owns. Everything here belongs to that thread.
struct HttpWorkerContext
{
    int workerIndex = 0;
    ConfigPtr config;
    UpstreamPool& upstreamPool;
    HttpWorkerStats& stats;
};

// Answers requests. One instance per worker thread (see HttpRequestHandlerFactory), so its state needs no locks.
// handle() is called once per request when its head has arrived, on the worker's thread. Work that outlives the
// call lives in objects parented to the exchange: they die with it (see HttpExchange for the lifetime rules).
class HttpRequestHandler
{
public:
    virtual ~HttpRequestHandler() = default;
    virtual void handle(HttpExchange* exchange) = 0;
};

using HttpRequestHandlerFactory = std::function<std::unique_ptr<HttpRequestHandler>(HttpWorkerContext& context)>;
