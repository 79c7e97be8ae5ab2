#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"

#include <QJsonObject>
#include <QUrlQuery>

class Database;

// The provider keys behind the gateway. The secret is write-only: stored sealed with the SecretBox under
// "provider_key:<id>", shown masked ("sk-pro…wxyz"), returned in clear only by reveal(), which is always audited.
// Health fields are read-only here. provider_keys:view to read, provider_keys:manage to change or reveal.
class ProviderKeyService
{
public:
    static constexpr int kMinSecretLength = 8;
    static constexpr int kMaxSecretLength = 4096;

    explicit ProviderKeyService(ServiceContext& context) : m_context(context) {}

    // Filters: providerTypeId, active, q (name); sort: name, weight, createdAt, healthStatus, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);
    Result<QJsonObject> get(const Actor& actor, qint64 id);
    Result<QJsonObject> create(const Actor& actor, const QJsonObject& input);
    Result<QJsonObject> update(const Actor& actor, qint64 id, const QJsonObject& input);
    Result<void> remove(const Actor& actor, qint64 id);
    // {"id":..,"secret":".."}
    Result<QJsonObject> reveal(const Actor& actor, qint64 id);

    // What a response may show of a secret: at most 6 leading and 4 trailing characters, never more than a third.
    static QPair<QString, QString> visibleEnds(const QString& secret);
    // Conflict when another live key of the provider type has the name.
    static Result<void> requireNameFree(Database& database, qint64 providerTypeId, const QString& name,
                                        qint64 exceptId);

private:
    Result<QJsonObject> load(qint64 id);
    Result<void> storeSecret(qint64 id, const QString& secret);

    ServiceContext& m_context;
};
