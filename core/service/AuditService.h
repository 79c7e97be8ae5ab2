#pragma once

#include "common/Result.h"
#include "storage/AuditLog.h"

#include <QJsonObject>

struct PageQuery;
struct ServiceContext;

// Reading the audit log: newest first, filtered, paged; needs logs:view.
class AuditService
{
public:
    explicit AuditService(ServiceContext& context) : m_context(context) {}

    // {"items":[...],"page","pageSize","total"}
    Result<QJsonObject> list(const Actor& actor, const AuditLog::Filter& filter, const PageQuery& page);

private:
    ServiceContext& m_context;
};
