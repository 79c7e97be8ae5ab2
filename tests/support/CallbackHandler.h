#pragma once

#include "http/HttpRequestHandler.h"

// A request handler made of one function, for tests. The function runs on the worker threads: keep it stateless.
class CallbackHandler : public HttpRequestHandler
{
public:
    using Callback = std::function<void(HttpExchange*)>;

    explicit CallbackHandler(Callback callback) : m_callback(std::move(callback)) {}
    void handle(HttpExchange* exchange) override { m_callback(exchange); }

    static HttpRequestHandlerFactory factory(Callback callback)
    {
        return [callback](HttpWorkerContext&) { return std::make_unique<CallbackHandler>(callback); };
    }

private:
    Callback m_callback;
};
