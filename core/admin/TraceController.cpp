#include "admin/TraceController.h"

#include "admin/ApiRouter.h"
#include "service/QueryInput.h"
#include "service/TraceService.h"

void TraceController::addRoutes(ApiRouter& router)
{
    router.add(
        "GET", QStringLiteral("/api/traces"), ApiRouter::Access::Authenticated,
        [this](ApiRequest& request) -> ApiResult {
            QueryInput in(request.query);
            TraceFilter filter;
            filter.fromMs = in.time(QStringLiteral("from"));
            filter.toMs = in.time(QStringLiteral("to"));
            filter.gatewayKeyId = in.id(QStringLiteral("gatewayKeyId")).value_or(0);
            filter.providerKeyId = in.id(QStringLiteral("providerKeyId")).value_or(0);
            filter.userId = in.id(QStringLiteral("userId")).value_or(0);
            filter.model = in.text(QStringLiteral("model")).value_or(QString());
            filter.success = in.boolean(QStringLiteral("success"));
            filter.errorKind = in.text(QStringLiteral("errorKind"), 100).value_or(QString());
            if (const auto status = in.text(QStringLiteral("status"), 10); status && !filter.setStatus(*status))
                in.reject(QStringLiteral("status"),
                          QStringLiteral("must be an HTTP status (e.g. 429, or 0 for a client "
                                         "that left) or a class 1xx to 5xx"));
            const auto pageSize = in.integer(QStringLiteral("pageSize"), 1, TraceService::kMaxPageSize);
            std::optional<TraceService::Cursor> before;
            if (const auto cursor = in.text(QStringLiteral("before"), 40)) {
                before = TraceService::Cursor::parse(*cursor);
                if (!before)
                    in.reject(QStringLiteral("before"), QStringLiteral("must be a cursor from an earlier nextCursor"));
            }
            if (in.text(QStringLiteral("page")))
                in.reject(QStringLiteral("page"), QStringLiteral("is not used here: traces are paged by cursor, pass "
                                                                 "before=<nextCursor of the previous page>"));
            if (auto error = in.error())
                return *error;
            if (filter.fromMs && filter.toMs && *filter.fromMs >= *filter.toMs)
                return ApiErrors::invalid(QStringLiteral("'from' must be earlier than 'to'"));

            const int size = int(pageSize.value_or(TraceService::kDefaultPageSize));
            auto page = m_traces.list(request.actor, filter, before, size);
            if (!page)
                return page.error();
            return ApiReply::ok(
                QJsonObject{{QStringLiteral("items"), page->items},
                            {QStringLiteral("pageSize"), size},
                            {QStringLiteral("total"), page->total},
                            {QStringLiteral("nextCursor"),
                             page->nextCursor.isEmpty() ? QJsonValue() : QJsonValue(page->nextCursor)}});
        });

    router.add("GET", QStringLiteral("/api/traces/{id}"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   const auto id = request.id();
                   if (!id)
                       return id.error();
                   auto trace = m_traces.get(request.actor, *id);
                   if (!trace)
                       return trace.error();
                   return ApiReply::ok(*trace);
               });
}
