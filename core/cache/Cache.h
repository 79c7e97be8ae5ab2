#pragma once

#include <QByteArray>

#include <functional>
#include <optional>

// Short-lived values shared by the gateway's cold paths: OAuth state and PKCE verifiers between the redirect and the
// callback (which may reach another instance), one-time tokens. Not a home for data the database owns (routing,
// keys): that lives in the routing snapshot. Callbacks run later from the event loop, never inside the call.
class Cache
{
public:
    using ValueCallback = std::function<void(std::optional<QByteArray>)>;

    virtual ~Cache() = default;

    virtual void set(const QByteArray& key, const QByteArray& value, qint64 ttlMs) = 0;
    virtual void get(const QByteArray& key, ValueCallback done) = 0;
    // Gets and removes at once, so a value meant for one use (an OAuth state) is used once across all instances.
    virtual void take(const QByteArray& key, ValueCallback done) = 0;
    virtual void remove(const QByteArray& key) = 0;
};
