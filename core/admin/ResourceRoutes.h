#pragma once

#include "admin/ApiRouter.h"

// Registers the routes of a resource whose service offers list, create, get, update and remove, each taking the
// acting user first and returning a Result:
//
//     GET <path>   POST <path>   GET <path>/{id}   PATCH <path>/{id}   DELETE <path>/{id}
//
// A service without get() has no GET <path>/{id}. Routes beyond these (reveal, regenerate) stay with their controller.
template <typename Service> void addResourceRoutes(ApiRouter& router, const QString& path, Service& service)
{
    const auto access = ApiRouter::Access::Authenticated;
    const QString item = path + QStringLiteral("/{id}");
    router.add("GET", path, access, [&service](ApiRequest& request) -> ApiResult {
        auto page = service.list(request.actor, request.query);
        return page ? ApiResult(ApiReply::ok(*page)) : ApiResult(page.error());
    });
    router.add("POST", path, access, [&service](ApiRequest& request) -> ApiResult {
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto created = service.create(request.actor, *body);
        return created ? ApiResult(ApiReply::created(*created)) : ApiResult(created.error());
    });
    if constexpr (requires(ApiRequest & request) { service.get(request.actor, qint64()); }) {
        router.add("GET", item, access, [&service](ApiRequest& request) -> ApiResult {
            auto id = request.id();
            if (!id)
                return id.error();
            auto found = service.get(request.actor, *id);
            return found ? ApiResult(ApiReply::ok(*found)) : ApiResult(found.error());
        });
    }
    router.add("PATCH", item, access, [&service](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto body = request.jsonObject();
        if (!body)
            return body.error();
        auto updated = service.update(request.actor, *id, *body);
        return updated ? ApiResult(ApiReply::ok(*updated)) : ApiResult(updated.error());
    });
    router.add("DELETE", item, access, [&service](ApiRequest& request) -> ApiResult {
        auto id = request.id();
        if (!id)
            return id.error();
        auto removed = service.remove(request.actor, *id);
        return removed ? ApiResult(ApiReply::noContent()) : ApiResult(removed.error());
    });
}
