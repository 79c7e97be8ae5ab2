#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"

#include <QJsonObject>
#include <QUrlQuery>

// Model prices per provider type, in micro-dollars per million tokens, that turn traced usage into cost. A pattern
// is an exact model name or a prefix ending in '*'. stats:view or stats:own to read, providers:manage to change.
// A deleted price is removed for good (audited with its values): nothing refers to it, traces keep their cost, and
// the pattern must be free to be priced again.
class PricingService
{
public:
    static constexpr qint64 kMaxMicrosPerMillionTokens = 1'000'000'000'000; // $1M per million tokens

    explicit PricingService(ServiceContext& context) : m_context(context) {}

    // Filters: providerTypeId, q (model pattern); sort: modelPattern, providerTypeId, createdAt, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);
    Result<QJsonObject> create(const Actor& actor, const QJsonObject& input);
    Result<QJsonObject> update(const Actor& actor, qint64 id, const QJsonObject& input);
    Result<void> remove(const Actor& actor, qint64 id);

private:
    Result<QJsonObject> load(qint64 id);
    Result<void> checkPatternFree(qint64 providerTypeId, const QString& pattern, qint64 exceptId);

    ServiceContext& m_context;
};
