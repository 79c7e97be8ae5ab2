#include "service/AuditService.h"

#include "auth/Permissions.h"
#include "service/PageQuery.h"
#include "service/ServiceContext.h"

Result<QJsonObject> AuditService::list(const Actor& actor, const AuditLog::Filter& filter, const PageQuery& page)
{
    if (!actor.has(Permissions::kLogsView))
        return m_context.audit.denied(actor, QStringLiteral("audit.list"));
    auto entries = m_context.audit.entries(filter, page.orderBy, page.pageSize, page.offset());
    if (!entries)
        return entries.error();
    return page.reply(entries->items, entries->total);
}
