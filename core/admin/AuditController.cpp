#include "admin/AuditController.h"

#include "admin/ApiRouter.h"
#include "service/AuditService.h"
#include "service/PageQuery.h"

#include <QDateTime>

namespace {

// ?from=/to= as ISO 8601 with a zone ("2026-11-26T18:00:00Z"); ?actorId= a user id; the rest literal text.
Result<AuditLog::Filter> filterFrom(const QUrlQuery& query)
{
    AuditLog::Filter filter;
    QStringList problems;
    for (const auto& [name, target] : {std::pair{"from", &filter.fromMs}, std::pair{"to", &filter.toMs}}) {
        const QString text = query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
        if (text.isEmpty())
            continue;
        const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!time.isValid() || time.timeSpec() == Qt::LocalTime)
            problems << QStringLiteral("'%1' must be an ISO 8601 time with a zone, e.g. 2026-11-26T18:00:00Z")
                            .arg(QLatin1String(name));
        else
            *target = time.toMSecsSinceEpoch();
    }
    if (query.hasQueryItem(QStringLiteral("actorId"))) {
        bool ok = false;
        filter.actorUserId = query.queryItemValue(QStringLiteral("actorId")).toLongLong(&ok);
        if (!ok || filter.actorUserId <= 0)
            problems << QStringLiteral("'actorId' must be a user id");
    }
    filter.action = query.queryItemValue(QStringLiteral("action"), QUrl::FullyDecoded).left(200);
    filter.objectType = query.queryItemValue(QStringLiteral("objectType"), QUrl::FullyDecoded).left(200);
    filter.objectId = query.queryItemValue(QStringLiteral("objectId"), QUrl::FullyDecoded).left(200);
    if (!problems.isEmpty())
        return ApiErrors::invalid(problems.join(QStringLiteral("; ")));
    return filter;
}

} // namespace

void AuditController::addRoutes(ApiRouter& router)
{
    router.add("GET", QStringLiteral("/api/audit"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto page = PageQuery::parse(
                       request.query, {{QStringLiteral("time"), QStringLiteral("created_at")}}, QStringLiteral("-time"),
                       {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("actorId"),
                        QStringLiteral("action"), QStringLiteral("objectType"), QStringLiteral("objectId")});
                   if (!page)
                       return page.error();
                   auto filter = filterFrom(request.query);
                   if (!filter)
                       return filter.error();
                   auto entries = m_audit.list(request.actor, *filter, *page);
                   if (!entries)
                       return entries.error();
                   return ApiReply::ok(*entries);
               });
}
