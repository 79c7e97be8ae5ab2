#include "admin/ApiRouter.h"

#include "common/Logging.h"

void ApiRouter::add(const QByteArray& method, const QString& pattern, Access access, Handler handler)
{
    addDeferred(method, pattern, access,
                [handler = std::move(handler)](ApiRequest& request, const Reply& reply) { reply(handler(request)); });
}

void ApiRouter::addDeferred(const QByteArray& method, const QString& pattern, Access access, DeferredHandler handler)
{
    m_routes.push_back({method, pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts), access, std::move(handler)});
}

QStringList ApiRouter::routes() const
{
    QStringList routes;
    for (const Route& route : m_routes)
        routes << QString::fromLatin1(route.method) + QStringLiteral(" /") + route.segments.join(QLatin1Char('/'));
    return routes;
}

bool ApiRouter::matches(const Route& route, const QStringList& segments, QHash<QString, QString>* params)
{
    if (route.segments.size() != segments.size())
        return false;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString& expected = route.segments.at(i);
        if (expected.startsWith(QLatin1Char('{')) && expected.endsWith(QLatin1Char('}')))
            params->insert(expected.mid(1, expected.size() - 2), segments.at(i));
        else if (expected != segments.at(i))
            return false;
    }
    return true;
}

void ApiRouter::dispatch(ApiRequest& request, const std::function<void(ApiReply)>& done) const
{
    const QStringList segments = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QByteArrayList allowed;
    for (const Route& route : m_routes) {
        QHash<QString, QString> params;
        if (!matches(route, segments, &params))
            continue;
        if (route.method != request.method) {
            allowed << route.method;
            continue;
        }
        request.params = std::move(params);
        if (route.access == Access::Authenticated ||
            (route.access == Access::OptionalLogin && !request.header("authorization").isEmpty())) {
            auto actor = m_authenticator
                             ? m_authenticator(request)
                             : Result<Actor>(ApiErrors::unauthenticated(QStringLiteral("no authenticator")));
            if (!actor) {
                ApiReply reply = ApiReply::fromError(actor.error());
                if (reply.status == 401)
                    reply.addHeader("WWW-Authenticate", "Bearer");
                done(reply);
                return;
            }
            request.actor = std::move(*actor);
        }
        route.handler(request, [done, method = request.method, path = request.path](ApiResult result) {
            if (result) {
                done(std::move(result).value());
                return;
            }
            if (ApiReply::statusFor(result.error().code) == 500)
                qCCritical(lcAdmin).noquote() << method << path << "failed:" << result.error().message;
            done(ApiReply::fromError(result.error()));
        });
        return;
    }
    if (!allowed.isEmpty()) {
        ApiReply reply = ApiReply::fromError(Error::make(
            QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed on %2").arg(QString::fromLatin1(request.method), request.path)));
        reply.addHeader("Allow", allowed.join(", "));
        done(reply);
        return;
    }
    done(ApiReply::fromError(ApiErrors::notFound(QStringLiteral("no such endpoint: %1").arg(request.path))));
}
