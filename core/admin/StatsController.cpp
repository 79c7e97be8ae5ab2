#include "admin/StatsController.h"

#include "admin/ApiRouter.h"
#include "service/JsonValues.h"
#include "service/QueryInput.h"
#include "service/StatsService.h"

#include <QDateTime>

namespace {

constexpr qint64 kDefaultPeriodMs = 24 * 60 * 60 * 1000;

// The period (default: the last 24 hours) and the filters every statistics endpoint takes.
TraceFilter readFilter(QueryInput& in)
{
    TraceFilter filter;
    filter.fromMs = in.time(QStringLiteral("from"));
    filter.toMs = in.time(QStringLiteral("to"));
    filter.gatewayKeyId = in.id(QStringLiteral("gatewayKeyId")).value_or(0);
    filter.providerKeyId = in.id(QStringLiteral("providerKeyId")).value_or(0);
    filter.model = in.text(QStringLiteral("model")).value_or(QString());
    if (!filter.toMs)
        filter.toMs = QDateTime::currentMSecsSinceEpoch();
    if (!filter.fromMs)
        filter.fromMs = *filter.toMs - kDefaultPeriodMs;
    return filter;
}

std::optional<Error> checkPeriod(const TraceFilter& filter)
{
    if (*filter.fromMs >= *filter.toMs)
        return ApiErrors::invalid(QStringLiteral("'from' must be earlier than 'to'"));
    return std::nullopt;
}

template <typename T> ApiResult reply(const Result<T>& result, const TraceFilter& asked)
{
    if (!result)
        return result.error();
    if constexpr (std::is_same_v<T, QJsonObject>) {
        return ApiReply::ok(*result);
    } else {
        const TraceFilter covered = StatsService::wholeMinutes(asked);
        return ApiReply::ok(QJsonObject{
            {QStringLiteral("period"), QJsonObject{{QStringLiteral("from"), JsonValues::time(*covered.fromMs)},
                                                   {QStringLiteral("to"), JsonValues::time(*covered.toMs)}}},
            {QStringLiteral("items"), *result}});
    }
}

} // namespace

void StatsController::addRoutes(ApiRouter& router)
{
    using Query = Result<QJsonArray> (StatsService::*)(const Actor&, const TraceFilter&);
    const QList<QPair<QString, Query>> lists{{QStringLiteral("/api/stats/models"), &StatsService::models},
                                             {QStringLiteral("/api/stats/provider-keys"), &StatsService::providerKeys},
                                             {QStringLiteral("/api/stats/gateway-keys"), &StatsService::gatewayKeys}};
    for (const auto& list : lists) {
        const Query query = list.second; // a copy to capture: clang 14 cannot capture structured bindings
        router.add("GET", list.first, ApiRouter::Access::Authenticated,
                   [this, query](ApiRequest& request) -> ApiResult {
                       QueryInput in(request.query);
                       const TraceFilter filter = readFilter(in);
                       if (auto error = in.error())
                           return *error;
                       if (auto error = checkPeriod(filter))
                           return *error;
                       return reply((m_stats.*query)(request.actor, filter), filter);
                   });
    }

    router.add("GET", QStringLiteral("/api/stats/overview"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   QueryInput in(request.query);
                   const TraceFilter filter = readFilter(in);
                   if (auto error = in.error())
                       return *error;
                   if (auto error = checkPeriod(filter))
                       return *error;
                   return reply(m_stats.overview(request.actor, filter), filter);
               });

    router.add(
        "GET", QStringLiteral("/api/stats/trend"), ApiRouter::Access::Authenticated,
        [this](ApiRequest& request) -> ApiResult {
            QueryInput in(request.query);
            const TraceFilter filter = readFilter(in);
            const auto bucket = in.oneOf(QStringLiteral("bucket"), {QStringLiteral("hour"), QStringLiteral("day")});
            if (auto error = in.error())
                return *error;
            if (auto error = checkPeriod(filter))
                return *error;
            const auto size = bucket.value_or(QStringLiteral("hour")) == QLatin1String("day")
                                  ? StatsService::Bucket::Day
                                  : StatsService::Bucket::Hour;
            return reply(m_stats.trend(request.actor, filter, size), filter);
        });
}
