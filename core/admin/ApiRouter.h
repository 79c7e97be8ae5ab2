#pragma once

#include "admin/ApiReply.h"
#include "admin/ApiRequest.h"

#include <functional>
#include <vector>

// Matches admin-API requests to handlers by method and path pattern ("/api/users/{id}"), authenticates the caller
// on protected routes, and turns every Error into its reply (ApiReply::fromError) so no handler writes error JSON.
class ApiRouter
{
public:
    // OptionalLogin: public, but a request that carries an Authorization header is authenticated like on an
    // Authenticated route (a bad token is 401), so the handler can tell strangers from users by request.actor.
    enum class Access { Public, OptionalLogin, Authenticated };
    using Handler = std::function<ApiResult(ApiRequest&)>;
    // A handler that answers later, from the event loop (after a request of its own to another server). It calls
    // `reply` exactly once, or never when its service goes away first.
    using Reply = std::function<void(ApiResult)>;
    using DeferredHandler = std::function<void(ApiRequest&, Reply reply)>;
    using Authenticator = std::function<Result<Actor>(const ApiRequest&)>;

    void add(const QByteArray& method, const QString& pattern, Access access, Handler handler);
    void addDeferred(const QByteArray& method, const QString& pattern, Access access, DeferredHandler handler);
    void setAuthenticator(Authenticator authenticator) { m_authenticator = std::move(authenticator); }

    // Calls `done` with the reply: at once, or later for a deferred route.
    void dispatch(ApiRequest& request, const std::function<void(ApiReply)>& done) const;

    // Every route as "METHOD /pattern" in the order added, so tests can hold docs and checks to the real list.
    QStringList routes() const;

private:
    struct Route
    {
        QByteArray method;
        QStringList segments;
        Access access;
        DeferredHandler handler;
    };

    static bool matches(const Route& route, const QStringList& segments, QHash<QString, QString>* params);

    std::vector<Route> m_routes;
    Authenticator m_authenticator;
};
