#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

class JsonInput;
struct RowChanges;

// Gateway keys: what clients use in place of a provider key. Only a hash and a short prefix are stored; create() and
// regenerate() return the full key once ("key"). A user holds at most one active key per provider type, and a key's
// owner must hold the proxy permission of its type. Its pool lists live provider keys of that same type.
//
// gateway_keys:view/:manage see/change every user's keys; gateway_keys:own only the caller's (others' ids: 404), and
// of those only the name and whether it is enabled: limits, budgets, expiry, pool, strategy, retries and timeout are
// set by gateway_keys:manage.
class GatewayKeyService
{
public:
    static constexpr const char* kStrategies[] = {"round_robin", "weighted", "health_best", "smart"};

    explicit GatewayKeyService(ServiceContext& context) : m_context(context) {}

    // Filters: userId, providerTypeId, enabled, q (name); sort: name, createdAt, expiresAt, lastUsedAt, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);
    Result<QJsonObject> get(const Actor& actor, qint64 id);
    Result<QJsonObject> create(const Actor& actor, const QJsonObject& input);
    Result<QJsonObject> update(const Actor& actor, qint64 id, const QJsonObject& input);
    Result<void> remove(const Actor& actor, qint64 id);
    Result<QJsonObject> regenerate(const Actor& actor, qint64 id);

private:
    enum class Scope { None, Own, All };
    static Scope readScope(const Actor& actor);

    Result<QJsonObject> load(qint64 id);
    // The key as the actor may see it (404 when not), after checking the actor may change it.
    Result<QJsonObject> loadForChange(const Actor& actor, qint64 id, const QString& action);
    Result<void> attachPools(QJsonArray& items);
    static void readFields(JsonInput& in, RowChanges& changes);
    Result<void> checkManagedFields(const Actor& actor, const QJsonObject& input, const QString& action);
    Result<void> checkOwnerMayProxy(qint64 userId, qint64 providerTypeId);
    Result<void> checkOneActive(qint64 userId, qint64 providerTypeId, qint64 exceptId);
    Result<void> checkPool(const QList<qint64>& pool, qint64 providerTypeId);
    Result<void> storePool(qint64 id, const QList<qint64>& pool);

    ServiceContext& m_context;
};
