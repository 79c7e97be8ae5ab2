#include "service/PricingService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "service/JsonInput.h"
#include "service/JsonValues.h"
#include "service/ListQuery.h"
#include "service/ProviderTypeService.h"
#include "service/RowChanges.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"

#include <QRegularExpression>

namespace {

const QString kPricingColumns = QStringLiteral(
    "p.id, p.provider_type_id, t.name, p.model_pattern, p.input_micros_per_mtok, p.output_micros_per_mtok, "
    "p.cache_read_micros_per_mtok, p.cache_write_micros_per_mtok, p.example, p.created_at, p.updated_at");
const QString kPricingFrom = QStringLiteral("model_pricing p JOIN provider_types t ON t.id = p.provider_type_id");

struct Price
{
    const char* field;
    const char* column;
};
const Price kPrices[] = {{"inputMicrosPerMTok", "input_micros_per_mtok"},
                         {"outputMicrosPerMTok", "output_micros_per_mtok"},
                         {"cacheReadMicrosPerMTok", "cache_read_micros_per_mtok"},
                         {"cacheWriteMicrosPerMTok", "cache_write_micros_per_mtok"}};

QJsonObject pricingJson(const QSqlQuery& row)
{
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("providerTypeId"), row.value(1).toLongLong()},
        {QStringLiteral("providerType"), row.value(2).toString()},
        {QStringLiteral("modelPattern"), row.value(3).toString()},
        {QStringLiteral("inputMicrosPerMTok"), row.value(4).toLongLong()},
        {QStringLiteral("outputMicrosPerMTok"), row.value(5).toLongLong()},
        {QStringLiteral("cacheReadMicrosPerMTok"), row.value(6).toLongLong()},
        {QStringLiteral("cacheWriteMicrosPerMTok"), row.value(7).toLongLong()},
        {QStringLiteral("example"), row.value(8).toInt() == 1},
        {QStringLiteral("createdAt"), JsonValues::time(row.value(9))},
        {QStringLiteral("updatedAt"), JsonValues::time(row.value(10))},
    };
}

std::optional<QString> readPattern(JsonInput& in, JsonInput::Presence presence)
{
    static const QRegularExpression pattern(QStringLiteral("^[^\\s*]+\\*?$"));
    const auto value = in.text(QStringLiteral("modelPattern"), presence, 1, 200);
    if (value && !pattern.match(*value).hasMatch()) {
        in.addProblem(QStringLiteral("'modelPattern' must be a model name, or a prefix ending in '*' (no spaces, '*' "
                                     "only at the end)"));
        return std::nullopt;
    }
    return value;
}

void readPrices(JsonInput& in, RowChanges& changes)
{
    for (const Price& price : kPrices) {
        if (const auto value = in.integer(QLatin1String(price.field), JsonInput::Optional, 0,
                                          PricingService::kMaxMicrosPerMillionTokens))
            changes.set(QLatin1String(price.field), QLatin1String(price.column), *value);
    }
}

Error pricingNotFound(qint64 id)
{
    return ApiErrors::notFound(QStringLiteral("no price with id %1").arg(id));
}

} // namespace

Result<QJsonObject> PricingService::load(qint64 id)
{
    auto row = m_context.database.exec(
        QStringLiteral("SELECT %1 FROM %2 WHERE p.id = ?").arg(kPricingColumns, kPricingFrom), {id});
    if (!row)
        return row.error();
    if (!row->next())
        return pricingNotFound(id);
    return pricingJson(*row);
}

Result<void> PricingService::checkPatternFree(qint64 providerTypeId, const QString& pattern, qint64 exceptId)
{
    auto taken = m_context.database.exec(
        QStringLiteral(
            "SELECT COUNT(*) FROM model_pricing WHERE provider_type_id = ? AND model_pattern = ? AND id <> ?"),
        {providerTypeId, pattern, exceptId});
    if (!taken)
        return taken.error();
    if (taken->next() && taken->value(0).toLongLong() > 0)
        return ApiErrors::conflict(QStringLiteral("'%1' already has a price for this provider type").arg(pattern));
    return {};
}

Result<QJsonObject> PricingService::list(const Actor& actor, const QUrlQuery& query)
{
    if (auto allowed =
            m_context.allow(actor, QStringLiteral("pricing.list"),
                            {Permissions::kStatsView, Permissions::kStatsOwn, Permissions::kProvidersManage});
        !allowed)
        return allowed.error();
    return ListQuery::page(m_context.database, query,
                           {.columns = kPricingColumns,
                            .from = kPricingFrom,
                            .where = {QStringLiteral("t.deleted_at IS NULL")},
                            .toJson = pricingJson,
                            .sortColumns = {{QStringLiteral("modelPattern"), QStringLiteral("p.model_pattern")},
                                            {QStringLiteral("providerTypeId"), QStringLiteral("p.provider_type_id")},
                                            {QStringLiteral("createdAt"), QStringLiteral("p.created_at")},
                                            {QStringLiteral("id"), QStringLiteral("p.id")}},
                            .defaultSort = QStringLiteral("modelPattern"),
                            .idColumn = QStringLiteral("p.id"),
                            .idFilters = {{QStringLiteral("providerTypeId"), QStringLiteral("p.provider_type_id")}},
                            .searchColumn = QStringLiteral("p.model_pattern")});
}

Result<QJsonObject> PricingService::create(const Actor& actor, const QJsonObject& input)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("pricing.create"), {Permissions::kProvidersManage});
        !allowed)
        return allowed.error();
    JsonInput in(input);
    const auto typeId = in.integer(QStringLiteral("providerTypeId"), JsonInput::Required, 1, 9'007'199'254'740'991);
    const auto pattern = readPattern(in, JsonInput::Required);
    RowChanges changes;
    readPrices(in, changes);
    if (auto error = in.error())
        return *error;

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    changes.set(QStringLiteral("providerTypeId"), QStringLiteral("provider_type_id"), *typeId);
    changes.set(QStringLiteral("modelPattern"), QStringLiteral("model_pattern"), *pattern);
    changes.set({}, QStringLiteral("created_at"), now);
    changes.set({}, QStringLiteral("updated_at"), now);
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (auto type = ProviderTypeService::requireLive(m_context.database, *typeId); !type)
                return type.error();
            if (auto free = checkPatternFree(*typeId, *pattern, 0); !free)
                return free.error();
            auto inserted = changes.insertInto(m_context.database, QStringLiteral("model_pricing"));
            if (!inserted)
                return inserted.error();
            return AuditEntry{
                QStringLiteral("pricing.create"),
                QStringLiteral("pricing"),
                *inserted,
                {{QStringLiteral("providerTypeId"), *typeId}, {QStringLiteral("modelPattern"), *pattern}}};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<QJsonObject> PricingService::update(const Actor& actor, qint64 id, const QJsonObject& input)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("pricing.update"), {Permissions::kProvidersManage},
                                         [&] { return load(id); });
    if (!existing)
        return existing;
    JsonInput in(input);
    if (in.has(QStringLiteral("providerTypeId"))) {
        in.isNull(QStringLiteral("providerTypeId"));
        in.addProblem(QStringLiteral("'providerTypeId' cannot be changed: add a price for the other provider type"));
    }
    const auto pattern = readPattern(in, JsonInput::Optional);
    RowChanges changes;
    readPrices(in, changes);
    if (auto error = in.error())
        return *error;
    if (pattern)
        changes.set(QStringLiteral("modelPattern"), QStringLiteral("model_pattern"), *pattern);
    if (changes.isEmpty())
        return existing;
    const QStringList fields = changes.fields;
    // An edited example price is the admin's own from now on.
    changes.set({}, QStringLiteral("example"), 0);
    changes.set({}, QStringLiteral("updated_at"), QDateTime::currentMSecsSinceEpoch());
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (pattern) {
                if (auto free =
                        checkPatternFree(existing->value(QLatin1String("providerTypeId")).toInteger(), *pattern, id);
                    !free)
                    return free.error();
            }
            if (auto updated = changes.update(m_context.database, QStringLiteral("model_pricing"), id); !updated)
                return updated.error();
            return AuditEntry{QStringLiteral("pricing.update"), QStringLiteral("pricing"), id, fieldsChanged(fields)};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<void> PricingService::remove(const Actor& actor, qint64 id)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("pricing.delete"), {Permissions::kProvidersManage},
                                         [&] { return load(id); });
    if (!existing)
        return existing.error();
    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        auto deleted = m_context.database.exec(QStringLiteral("DELETE FROM model_pricing WHERE id = ?"), {id});
        if (!deleted)
            return deleted.error();
        QJsonObject details = *existing;
        details.remove(QStringLiteral("createdAt"));
        details.remove(QStringLiteral("updatedAt"));
        return AuditEntry{QStringLiteral("pricing.delete"), QStringLiteral("pricing"), id, details};
    });
    if (!done)
        return done.error();
    return {};
}
