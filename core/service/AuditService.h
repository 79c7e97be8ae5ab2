#pragma once

#include "common/Actor.h"
#include "common/Result.h"

#include <QJsonObject>
#include <QUrlQuery>

struct ServiceContext;

// Reading the audit log: newest first, filtered, paged; needs logs:view.
class AuditService
{
public:
    explicit AuditService(ServiceContext& context) : m_context(context) {}

    // {"items":[{id, time, actorId, actorName, action, objectType, objectId, details, clientAddress}],"page",
    // "pageSize","total"}. Filters from, to (times), actorId, action (exact, or a prefix ending in '*': "auth.*"),
    // objectType, objectId; sort time (default -time).
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);

private:
    ServiceContext& m_context;
};
