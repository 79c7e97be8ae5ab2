#include "service/GatewayKeyService.h"

#include "auth/GatewayKeyCodec.h"
#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "service/JsonInput.h"
#include "service/JsonValues.h"
#include "service/ListQuery.h"
#include "service/QueryInput.h"
#include "service/RowChanges.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"

#include <QHash>
#include <QJsonDocument>

namespace {

const QString kGatewayKeyColumns = QStringLiteral(
    "g.id, g.user_id, u.username, g.provider_type_id, t.name, g.name, g.key_prefix, g.strategy, g.retry_count, "
    "g.timeout_ms, g.rpm_limit, g.rpd_limit, g.tokens_per_day_limit, g.cost_per_day_limit_micros, g.expires_at, "
    "g.enabled, g.created_at, g.updated_at, g.last_used_at");
const QString kGatewayKeyFrom = QStringLiteral("gateway_keys g JOIN users u ON u.id = g.user_id "
                                               "JOIN provider_types t ON t.id = g.provider_type_id");
constexpr qint64 kMaxId = 9'007'199'254'740'991;

struct GatewayKeyLimit
{
    const char* field;
    const char* column;
    qint64 maximum;
};
const GatewayKeyLimit kGatewayKeyLimits[] = {
    {"rpmLimit", "rpm_limit", 1'000'000'000},
    {"rpdLimit", "rpd_limit", 1'000'000'000},
    {"tokensPerDayLimit", "tokens_per_day_limit", 1'000'000'000'000'000},
    {"costPerDayLimitMicros", "cost_per_day_limit_micros", 1'000'000'000'000'000}};

// What a key may spend and reach, and how hard it may push: gateway_keys:manage's to set. The owner names, enables,
// disables, regenerates and deletes it.
const QString kEmptyPool = QStringLiteral(
    "'pool' must hold at least one provider key: a key without one answers every request with 403 empty_pool");

const QStringList kManagedFields = {QStringLiteral("strategy"),
                                    QStringLiteral("retryCount"),
                                    QStringLiteral("timeoutMs"),
                                    QStringLiteral("rpmLimit"),
                                    QStringLiteral("rpdLimit"),
                                    QStringLiteral("tokensPerDayLimit"),
                                    QStringLiteral("costPerDayLimitMicros"),
                                    QStringLiteral("expiresAt"),
                                    QStringLiteral("pool")};

QJsonObject gatewayKeyJson(const QSqlQuery& row)
{
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("userId"), row.value(1).toLongLong()},
        {QStringLiteral("username"), row.value(2).toString()},
        {QStringLiteral("providerTypeId"), row.value(3).toLongLong()},
        {QStringLiteral("providerType"), row.value(4).toString()},
        {QStringLiteral("name"), row.value(5).toString()},
        {QStringLiteral("keyPrefix"), row.value(6).toString()},
        {QStringLiteral("strategy"), row.value(7).toString()},
        {QStringLiteral("retryCount"), row.value(8).toLongLong()},
        {QStringLiteral("timeoutMs"), row.value(9).toLongLong()},
        {QStringLiteral("rpmLimit"), JsonValues::integer(row.value(10))},
        {QStringLiteral("rpdLimit"), JsonValues::integer(row.value(11))},
        {QStringLiteral("tokensPerDayLimit"), JsonValues::integer(row.value(12))},
        {QStringLiteral("costPerDayLimitMicros"), JsonValues::integer(row.value(13))},
        {QStringLiteral("expiresAt"), JsonValues::time(row.value(14))},
        {QStringLiteral("enabled"), row.value(15).toInt() == 1},
        {QStringLiteral("createdAt"), JsonValues::time(row.value(16))},
        {QStringLiteral("updatedAt"), JsonValues::time(row.value(17))},
        {QStringLiteral("lastUsedAt"), JsonValues::time(row.value(18))},
    };
}

Error gatewayKeyNotFound(qint64 id)
{
    return ApiErrors::notFound(QStringLiteral("no gateway key with id %1").arg(id));
}

QString placeholders(qsizetype count)
{
    QStringList marks;
    for (qsizetype i = 0; i < count; ++i)
        marks << QStringLiteral("?");
    return marks.join(QStringLiteral(", "));
}

} // namespace

GatewayKeyService::Scope GatewayKeyService::readScope(const Actor& actor)
{
    if (actor.has(Permissions::kGatewayKeysView) || actor.has(Permissions::kGatewayKeysManage))
        return Scope::All;
    return actor.has(Permissions::kGatewayKeysOwn) ? Scope::Own : Scope::None;
}

Result<QJsonObject> GatewayKeyService::load(qint64 id)
{
    auto row = m_context.database.exec(QStringLiteral("SELECT %1 FROM %2 WHERE g.id = ? AND g.deleted_at IS NULL")
                                           .arg(kGatewayKeyColumns, kGatewayKeyFrom),
                                       {id});
    if (!row)
        return row.error();
    if (!row->next())
        return gatewayKeyNotFound(id);
    QJsonArray items{gatewayKeyJson(*row)};
    if (auto pooled = attachPools(items); !pooled)
        return pooled.error();
    return items.first().toObject();
}

Result<void> GatewayKeyService::attachPools(QJsonArray& items)
{
    if (items.isEmpty())
        return {};
    QVariantList ids;
    for (const QJsonValue& item : items)
        ids << item[QLatin1String("id")].toInteger();
    auto rows = m_context.database.exec(
        QStringLiteral("SELECT p.gateway_key_id, p.provider_key_id FROM gateway_key_pool p JOIN provider_keys k ON "
                       "k.id = p.provider_key_id WHERE k.deleted_at IS NULL AND p.gateway_key_id IN (%1) "
                       "ORDER BY p.provider_key_id")
            .arg(placeholders(ids.size())),
        ids);
    if (!rows)
        return rows.error();
    QHash<qint64, QJsonArray> pools;
    while (rows->next())
        pools[rows->value(0).toLongLong()].append(rows->value(1).toLongLong());
    for (qsizetype i = 0; i < items.size(); ++i) {
        QJsonObject item = items.at(i).toObject();
        item.insert(QStringLiteral("pool"), pools.value(item[QLatin1String("id")].toInteger()));
        items.replace(i, item);
    }
    return {};
}

Result<QJsonObject> GatewayKeyService::loadForChange(const Actor& actor, qint64 id, const QString& action)
{
    const Scope scope = readScope(actor);
    if (scope == Scope::None)
        return m_context.deny(
            actor, action,
            QStringLiteral("%1 needs the permission gateway_keys:own or gateway_keys:manage").arg(action));
    auto key = load(id);
    if (!key)
        return key.error();
    const bool own = key->value(QLatin1String("userId")).toInteger() == actor.userId;
    if (scope == Scope::Own && !own)
        return gatewayKeyNotFound(id); // other users' keys do not exist for this caller
    if (!own && !actor.has(Permissions::kGatewayKeysManage))
        return m_context.deny(
            actor, action,
            QStringLiteral("%1 of another user's key needs the permission gateway_keys:manage").arg(action));
    if (own && !actor.has(Permissions::kGatewayKeysOwn) && !actor.has(Permissions::kGatewayKeysManage))
        return m_context.deny(
            actor, action,
            QStringLiteral("%1 needs the permission gateway_keys:own or gateway_keys:manage").arg(action));
    return key;
}

Result<void> GatewayKeyService::checkManagedFields(const Actor& actor, const QJsonObject& input, const QString& action)
{
    if (actor.has(Permissions::kGatewayKeysManage))
        return {};
    QStringList set;
    for (const QString& field : kManagedFields) {
        if (input.contains(field))
            set << QStringLiteral("'%1'").arg(field);
    }
    if (set.isEmpty())
        return {};
    return m_context.deny(
        actor, action,
        QStringLiteral("%1 of a gateway key %2 set by an admin: needs the permission "
                       "gateway_keys:manage; the owner may set 'name' and 'enabled'")
            .arg(set.join(QStringLiteral(", ")), set.size() == 1 ? QLatin1String("is") : QLatin1String("are")));
}

void GatewayKeyService::readFields(JsonInput& in, RowChanges& changes)
{
    if (const auto value = in.text(QStringLiteral("name"), JsonInput::Optional, 0, 200))
        changes.set(QStringLiteral("name"), QStringLiteral("name"), *value);
    QStringList strategies;
    for (const char* strategy : kStrategies)
        strategies << QLatin1String(strategy);
    if (const auto value = in.oneOf(QStringLiteral("strategy"), JsonInput::Optional, strategies))
        changes.set(QStringLiteral("strategy"), QStringLiteral("strategy"), *value);
    if (const auto value = in.integer(QStringLiteral("retryCount"), JsonInput::Optional, 0, 10))
        changes.set(QStringLiteral("retryCount"), QStringLiteral("retry_count"), *value);
    if (const auto value = in.integer(QStringLiteral("timeoutMs"), JsonInput::Optional, 1000, 3'600'000))
        changes.set(QStringLiteral("timeoutMs"), QStringLiteral("timeout_ms"), *value);
    for (const GatewayKeyLimit& limit : kGatewayKeyLimits) {
        const QString field = QLatin1String(limit.field);
        if (in.isNull(field))
            changes.set(field, QLatin1String(limit.column), JsonValues::nullInteger());
        else if (const auto value = in.integer(field, JsonInput::Optional, 1, limit.maximum))
            changes.set(field, QLatin1String(limit.column), *value);
    }
    if (in.isNull(QStringLiteral("expiresAt"))) {
        changes.set(QStringLiteral("expiresAt"), QStringLiteral("expires_at"), JsonValues::nullInteger());
    } else if (const auto value = in.text(QStringLiteral("expiresAt"), JsonInput::Optional, 1, 64)) {
        const auto expiresAt = JsonValues::parseTime(*value);
        if (!expiresAt)
            in.addProblem(
                QStringLiteral("'expiresAt' must be an ISO 8601 time with a zone, e.g. 2027-01-31T00:00:00Z"));
        else if (*expiresAt <= QDateTime::currentMSecsSinceEpoch())
            in.addProblem(QStringLiteral("'expiresAt' must be in the future"));
        else
            changes.set(QStringLiteral("expiresAt"), QStringLiteral("expires_at"), *expiresAt);
    }
    if (const auto value = in.boolean(QStringLiteral("enabled"), JsonInput::Optional))
        changes.set(QStringLiteral("enabled"), QStringLiteral("enabled"), *value ? 1 : 0);
}

Result<void> GatewayKeyService::checkOwnerMayProxy(qint64 userId, qint64 providerTypeId)
{
    auto row = m_context.database.exec(
        QStringLiteral(
            "SELECT u.username, r.permissions, t.name FROM users u JOIN roles r ON r.id = u.role_id, "
            "provider_types t WHERE u.id = ? AND u.deleted_at IS NULL AND t.id = ? AND t.deleted_at IS NULL"),
        {userId, providerTypeId});
    if (!row)
        return row.error();
    if (!row->next()) {
        auto user = m_context.database.exec(
            QStringLiteral("SELECT COUNT(*) FROM users WHERE id = ? AND deleted_at IS NULL"), {userId});
        if (!user)
            return user.error();
        return user->next() && user->value(0).toLongLong() > 0
                   ? ApiErrors::invalid(
                         QStringLiteral("'providerTypeId' %1 is not a provider type").arg(providerTypeId))
                   : ApiErrors::invalid(QStringLiteral("'userId' %1 is not a user").arg(userId));
    }
    Actor owner;
    for (const QJsonValue& permission : QJsonDocument::fromJson(row->value(1).toString().toUtf8()).array())
        owner.permissions << permission.toString();
    const QString type = row->value(2).toString();
    if (!owner.has(Permissions::proxy(type)))
        return ApiErrors::invalid(
            QStringLiteral("user '%1' may not use the proxy for '%2': the role needs %3 or %4")
                .arg(row->value(0).toString(), type, Permissions::proxy(type), Permissions::kProxyAll));
    return {};
}

Result<void> GatewayKeyService::checkOneActive(qint64 userId, qint64 providerTypeId, qint64 exceptId)
{
    auto row = m_context.database.exec(
        QStringLiteral("SELECT g.id, t.name FROM gateway_keys g JOIN provider_types t ON t.id = g.provider_type_id "
                       "WHERE g.user_id = ? AND g.provider_type_id = ? AND g.enabled = 1 AND g.deleted_at IS NULL "
                       "AND g.id <> ?"),
        {userId, providerTypeId, exceptId});
    if (!row)
        return row.error();
    if (row->next())
        return ApiErrors::conflict(
            QStringLiteral("this user already has an active gateway key for '%1' (id %2); a user "
                           "holds at most one per provider type: disable or delete it first")
                .arg(row->value(1).toString())
                .arg(row->value(0).toLongLong()));
    return {};
}

Result<void> GatewayKeyService::checkPool(const QList<qint64>& pool, qint64 providerTypeId)
{
    if (pool.isEmpty())
        return {};
    QVariantList values;
    for (qint64 id : pool)
        values << id;
    auto rows = m_context.database.exec(
        QStringLiteral("SELECT id, provider_type_id, deleted_at FROM provider_keys WHERE id IN (%1)")
            .arg(placeholders(values.size())),
        values);
    if (!rows)
        return rows.error();
    QHash<qint64, QPair<qint64, bool>> found; // id -> (type, deleted)
    while (rows->next())
        found.insert(rows->value(0).toLongLong(), {rows->value(1).toLongLong(), !rows->value(2).isNull()});
    // One message whatever the reason, so that the answer does not tell which ids exist.
    for (qint64 id : pool) {
        if (!found.contains(id) || found.value(id).second || found.value(id).first != providerTypeId)
            return ApiErrors::invalid(
                QStringLiteral("'pool': provider key %1 is not a live key of this gateway key's provider type")
                    .arg(id));
    }
    return {};
}

Result<void> GatewayKeyService::storePool(qint64 id, const QList<qint64>& pool)
{
    if (auto cleared =
            m_context.database.exec(QStringLiteral("DELETE FROM gateway_key_pool WHERE gateway_key_id = ?"), {id});
        !cleared)
        return cleared.error();
    for (qint64 providerKeyId : pool) {
        auto added = m_context.database.exec(
            QStringLiteral("INSERT INTO gateway_key_pool (gateway_key_id, provider_key_id) VALUES (?, ?)"),
            {id, providerKeyId});
        if (!added)
            return added.error();
    }
    return {};
}

Result<QJsonObject> GatewayKeyService::list(const Actor& actor, const QUrlQuery& query)
{
    const Scope scope = readScope(actor);
    if (scope == Scope::None)
        return m_context.deny(actor, QStringLiteral("gateway_key.list"),
                              QStringLiteral("listing gateway keys needs gateway_keys:own or gateway_keys:view"));
    QueryInput in(query);
    auto list =
        ListQuery::read(in, {.columns = kGatewayKeyColumns,
                             .from = kGatewayKeyFrom,
                             .where = {QStringLiteral("g.deleted_at IS NULL")},
                             .toJson = gatewayKeyJson,
                             .sortColumns = {{QStringLiteral("name"), QStringLiteral("g.name")},
                                             {QStringLiteral("createdAt"), QStringLiteral("g.created_at")},
                                             {QStringLiteral("expiresAt"), QStringLiteral("g.expires_at")},
                                             {QStringLiteral("lastUsedAt"), QStringLiteral("g.last_used_at")},
                                             {QStringLiteral("id"), QStringLiteral("g.id")}},
                             .defaultSort = QStringLiteral("-createdAt"),
                             .idColumn = QStringLiteral("g.id"),
                             .idFilters = {{QStringLiteral("userId"), QStringLiteral("g.user_id")},
                                           {QStringLiteral("providerTypeId"), QStringLiteral("g.provider_type_id")}},
                             .flagFilters = {{QStringLiteral("enabled"), QStringLiteral("g.enabled")}},
                             .searchColumn = QStringLiteral("g.name")});
    if (auto error = in.error())
        return *error;
    if (scope == Scope::Own)
        list.addCondition(QStringLiteral("g.user_id = ?"), {actor.userId});
    auto page = list.run(m_context.database);
    if (!page)
        return page;
    QJsonArray items = page->value(QLatin1String("items")).toArray();
    if (auto pooled = attachPools(items); !pooled)
        return pooled.error();
    page->insert(QStringLiteral("items"), items);
    return page;
}

Result<QJsonObject> GatewayKeyService::get(const Actor& actor, qint64 id)
{
    const Scope scope = readScope(actor);
    if (scope == Scope::None)
        return m_context.deny(actor, QStringLiteral("gateway_key.view"),
                              QStringLiteral("viewing gateway keys needs gateway_keys:own or gateway_keys:view"));
    auto key = load(id);
    if (key && scope == Scope::Own && key->value(QLatin1String("userId")).toInteger() != actor.userId)
        return gatewayKeyNotFound(id);
    return key;
}

Result<QJsonObject> GatewayKeyService::create(const Actor& actor, const QJsonObject& input)
{
    const QString action = QStringLiteral("gateway_key.create");
    if (auto allowed = m_context.allow(actor, action, {Permissions::kGatewayKeysOwn, Permissions::kGatewayKeysManage});
        !allowed)
        return allowed.error();
    JsonInput in(input);
    const qint64 userId = in.integer(QStringLiteral("userId"), JsonInput::Optional, 1, kMaxId).value_or(actor.userId);
    const auto typeId = in.integer(QStringLiteral("providerTypeId"), JsonInput::Required, 1, kMaxId);
    const auto pool = in.ids(QStringLiteral("pool"), JsonInput::Optional).value_or(QList<qint64>());
    RowChanges changes;
    readFields(in, changes);
    if (auto error = in.error())
        return *error;
    if (userId != actor.userId && !actor.has(Permissions::kGatewayKeysManage))
        return m_context.deny(
            actor, action, QStringLiteral("creating a key for another user needs the permission gateway_keys:manage"));
    if (auto managed = checkManagedFields(actor, input, action); !managed)
        return managed.error();
    const bool enabled = !changes.columns.contains(QLatin1String("enabled")) ||
                         changes.values.at(changes.columns.indexOf(QLatin1String("enabled"))).toInt() == 1;

    const QString key = GatewayKeyCodec::generate();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    changes.set(QStringLiteral("userId"), QStringLiteral("user_id"), userId);
    changes.set(QStringLiteral("providerTypeId"), QStringLiteral("provider_type_id"), *typeId);
    changes.set({}, QStringLiteral("key_hash"), QString::fromLatin1(GatewayKeyCodec::hash(key.toLatin1())));
    changes.set({}, QStringLiteral("key_prefix"), GatewayKeyCodec::prefix(key));
    changes.set({}, QStringLiteral("created_at"), now);
    changes.set({}, QStringLiteral("updated_at"), now);
    qint64 id = 0;
    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        if (auto owner = checkOwnerMayProxy(userId, *typeId); !owner)
            return owner.error();
        // A key without provider keys answers every request with 403 empty_pool. Whoever may fill the pool must; a
        // key its owner creates waits for a manager to fill it.
        if (pool.isEmpty() && actor.has(Permissions::kGatewayKeysManage))
            return ApiErrors::invalid(kEmptyPool);
        if (auto poolOk = checkPool(pool, *typeId); !poolOk)
            return poolOk.error();
        if (enabled) {
            if (auto single = checkOneActive(userId, *typeId, 0); !single)
                return single.error();
        }
        auto inserted = changes.insertInto(m_context.database, QStringLiteral("gateway_keys"));
        if (!inserted)
            return inserted.error();
        id = *inserted;
        if (auto stored = storePool(id, pool); !stored)
            return stored.error();
        return AuditEntry{action,
                          QStringLiteral("gateway_key"),
                          id,
                          {{QStringLiteral("userId"), userId},
                           {QStringLiteral("providerTypeId"), *typeId},
                           {QStringLiteral("keyPrefix"), GatewayKeyCodec::prefix(key)}}};
    });
    if (!done)
        return done.error();
    auto created = load(id);
    if (created)
        created->insert(QStringLiteral("key"), key);
    return created;
}

Result<QJsonObject> GatewayKeyService::update(const Actor& actor, qint64 id, const QJsonObject& input)
{
    const QString action = QStringLiteral("gateway_key.update");
    auto existing = loadForChange(actor, id, action);
    if (!existing)
        return existing;
    JsonInput in(input);
    for (const QString& fixed : {QStringLiteral("userId"), QStringLiteral("providerTypeId")}) {
        if (in.has(fixed)) {
            in.isNull(fixed);
            in.addProblem(QStringLiteral("'%1' cannot be changed: create a new key instead").arg(fixed));
        }
    }
    const auto pool = in.ids(QStringLiteral("pool"), JsonInput::Optional);
    RowChanges changes;
    readFields(in, changes);
    if (auto error = in.error())
        return *error;
    if (auto managed = checkManagedFields(actor, input, action); !managed)
        return managed.error();
    if (pool && pool->isEmpty())
        return ApiErrors::invalid(kEmptyPool + QStringLiteral("; to stop the key, disable it"));
    QStringList fields = changes.fields;
    if (pool)
        fields << QStringLiteral("pool");
    if (fields.isEmpty())
        return existing;

    const qint64 userId = existing->value(QLatin1String("userId")).toInteger();
    const qint64 typeId = existing->value(QLatin1String("providerTypeId")).toInteger();
    const qsizetype enabledIndex = changes.columns.indexOf(QLatin1String("enabled"));
    const bool enabling = enabledIndex >= 0 && changes.values.at(enabledIndex).toInt() == 1;
    changes.set({}, QStringLiteral("updated_at"), QDateTime::currentMSecsSinceEpoch());
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (enabling) {
                if (auto owner = checkOwnerMayProxy(userId, typeId); !owner)
                    return owner.error();
                if (auto single = checkOneActive(userId, typeId, id); !single)
                    return single.error();
            }
            if (pool) {
                if (auto poolOk = checkPool(*pool, typeId); !poolOk)
                    return poolOk.error();
                if (auto stored = storePool(id, *pool); !stored)
                    return stored.error();
            }
            if (auto updated = changes.update(m_context.database, QStringLiteral("gateway_keys"), id); !updated)
                return updated.error();
            return AuditEntry{action, QStringLiteral("gateway_key"), id, fieldsChanged(fields)};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<void> GatewayKeyService::remove(const Actor& actor, qint64 id)
{
    const QString action = QStringLiteral("gateway_key.delete");
    auto existing = loadForChange(actor, id, action);
    if (!existing)
        return existing.error();
    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto deleted = m_context.database.exec(
            QStringLiteral("UPDATE gateway_keys SET deleted_at = ?, updated_at = ? WHERE id = ?"), {now, now, id});
        if (!deleted)
            return deleted.error();
        return AuditEntry{action,
                          QStringLiteral("gateway_key"),
                          id,
                          {{QStringLiteral("keyPrefix"), existing->value(QLatin1String("keyPrefix"))}}};
    });
    if (!done)
        return done.error();
    return {};
}

Result<QJsonObject> GatewayKeyService::regenerate(const Actor& actor, qint64 id)
{
    const QString action = QStringLiteral("gateway_key.regenerate");
    auto existing = loadForChange(actor, id, action);
    if (!existing)
        return existing;
    const QString key = GatewayKeyCodec::generate();
    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        auto updated = m_context.database.exec(
            QStringLiteral("UPDATE gateway_keys SET key_hash = ?, key_prefix = ?, updated_at = ? WHERE id = ?"),
            {QString::fromLatin1(GatewayKeyCodec::hash(key.toLatin1())), GatewayKeyCodec::prefix(key),
             QDateTime::currentMSecsSinceEpoch(), id});
        if (!updated)
            return updated.error();
        return AuditEntry{action,
                          QStringLiteral("gateway_key"),
                          id,
                          {{QStringLiteral("oldKeyPrefix"), existing->value(QLatin1String("keyPrefix"))},
                           {QStringLiteral("keyPrefix"), GatewayKeyCodec::prefix(key)}}};
    });
    if (!done)
        return done.error();
    auto regenerated = load(id);
    if (regenerated)
        regenerated->insert(QStringLiteral("key"), key);
    return regenerated;
}
