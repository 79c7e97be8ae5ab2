#include "admin/UsersController.h"

#include "admin/ApiRouter.h"
#include "service/PageQuery.h"
#include "service/UserService.h"

namespace {

Result<UserService::Filter> filterFrom(const QUrlQuery& query)
{
    UserService::Filter filter;
    filter.role = query.queryItemValue(QStringLiteral("role"), QUrl::FullyDecoded);
    filter.search = query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded).left(200);
    if (query.hasQueryItem(QStringLiteral("enabled"))) {
        const QString enabled = query.queryItemValue(QStringLiteral("enabled"));
        if (enabled != QLatin1String("true") && enabled != QLatin1String("false"))
            return ApiErrors::invalid(QStringLiteral("'enabled' must be true or false"));
        filter.enabled = enabled == QLatin1String("true");
    }
    return filter;
}

} // namespace

void UsersController::addRoutes(ApiRouter& router)
{
    const auto authenticated = ApiRouter::Access::Authenticated;
    router.add("GET", QStringLiteral("/api/users"), authenticated, [this](ApiRequest& request) -> ApiResult {
        static const QHash<QString, QString> sortColumns{
            {QStringLiteral("id"), QStringLiteral("u.id")},
            {QStringLiteral("username"), QStringLiteral("u.username")},
            {QStringLiteral("createdAt"), QStringLiteral("u.created_at")},
            {QStringLiteral("lastLoginAt"), QStringLiteral("u.last_login_at")}};
        auto page = PageQuery::parse(request.query, sortColumns, QStringLiteral("username"),
                                     {QStringLiteral("role"), QStringLiteral("enabled"), QStringLiteral("q")});
        if (!page)
            return page.error();
        auto filter = filterFrom(request.query);
        if (!filter)
            return filter.error();
        auto users = m_users.list(request.actor, *filter, *page);
        if (!users)
            return users.error();
        return ApiReply::ok(*users);
    });

    router.add("POST", QStringLiteral("/api/users"), authenticated, [this](ApiRequest& request) -> ApiResult {
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto user = m_users.create(request.actor, *body);
        if (!user)
            return user.error();
        return ApiReply::created(*user);
    });

    router.add("GET", QStringLiteral("/api/users/{id}"), authenticated, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto user = m_users.get(request.actor, *id);
        if (!user)
            return user.error();
        return ApiReply::ok(*user);
    });

    router.add("PATCH", QStringLiteral("/api/users/{id}"), authenticated, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto user = m_users.update(request.actor, *id, *body);
        if (!user)
            return user.error();
        return ApiReply::ok(*user);
    });

    router.add("DELETE", QStringLiteral("/api/users/{id}"), authenticated, [this](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        if (auto removed = m_users.remove(request.actor, *id); !removed)
            return removed.error();
        return ApiReply::noContent();
    });

    router.add("POST", QStringLiteral("/api/users/{id}/password"), authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto id = request.id();
                   if (!id)
                       return id.error();
                   auto body = request.jsonObject();
                   if (!body)
                       return body.error();
                   if (auto reset = m_users.resetPassword(request.actor, *id, *body); !reset)
                       return reset.error();
                   return ApiReply::noContent();
               });
}
