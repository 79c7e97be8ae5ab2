#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"

#include <QJsonObject>
#include <QUrlQuery>

class JsonInput;
struct RowChanges;

// Provider types as data: base URL, auth header and template, usage/model field paths, probe. Anyone logged in may
// read them; changing needs providers:manage. Built-in types may be edited (e.g. a proxy's base URL) but not deleted.
class ProviderTypeService
{
public:
    explicit ProviderTypeService(ServiceContext& context) : m_context(context) {}

    // Filters: active, q (name); sort: name, displayName, createdAt, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);
    Result<QJsonObject> get(const Actor& actor, qint64 id);
    Result<QJsonObject> create(const Actor& actor, const QJsonObject& input);
    Result<QJsonObject> update(const Actor& actor, qint64 id, const QJsonObject& input);
    Result<void> remove(const Actor& actor, qint64 id);

    // invalid_argument unless `id` is a provider type that is not deleted: for the services whose rows name one.
    static Result<void> requireLive(Database& database, qint64 id);

private:
    static void readFields(JsonInput& in, bool creating, RowChanges& changes);
    Result<QJsonObject> load(qint64 id);

    ServiceContext& m_context;
};
