#include "service/ProviderTypeService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "providers/ApiFormat.h"
#include "providers/RouteAllowlist.h"
#include "service/JsonInput.h"
#include "service/JsonValues.h"
#include "service/ListQuery.h"
#include "service/RowChanges.h"
#include "service/TextRules.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace {

const QString kProviderTypeColumns = QStringLiteral(
    "id, name, display_name, api_format, base_url, auth_header, auth_template, key_query_param, default_headers, "
    "usage_paths, model_paths, stream_event_roots, probe_method, probe_path, active, builtin, created_at, updated_at, "
    "allowed_routes");
const QStringList kUsageFields{QStringLiteral("prompt_tokens"), QStringLiteral("completion_tokens"),
                               QStringLiteral("total_tokens"), QStringLiteral("cache_read_tokens"),
                               QStringLiteral("cache_write_tokens")};
constexpr int kMaxEntries = 50;

bool isDottedPath(const QJsonValue& value)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$"));
    return value.isString() && value.toString().size() <= 200 && pattern.match(value.toString()).hasMatch();
}

bool isPathList(const QJsonValue& value)
{
    if (!value.isArray() || value.toArray().size() > 10)
        return false;
    const QJsonArray paths = value.toArray();
    return std::all_of(paths.begin(), paths.end(), isDottedPath);
}

QString checkBaseUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return QStringLiteral("'baseUrl' must be an http or https URL with a host");
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return QStringLiteral("'baseUrl' must not carry credentials, a query or a fragment");
    // The most common mistake with OpenAI-compatible servers: their documented base URL ends in /v1.
    if (const QString suffix = ApiFormat::versionSuffix(url.path()); !suffix.isEmpty()) {
        QUrl without = url;
        without.setPath(url.path().left(url.path().lastIndexOf(suffix, -1, Qt::CaseInsensitive)));
        return QStringLiteral("'baseUrl' must not end in %1: the paths clients send start with it and are appended "
                              "to the base URL (%1%1/chat/completions); use %2")
            .arg(suffix, without.toString());
    }
    return {};
}

// A new type takes what its creator left out from its apiFormat; a template goes with its header, so a creator who
// names the header (Azure's api-key) gets the plain "{key}" unless they give a template too.
QJsonObject withFormatDefaults(QJsonObject input)
{
    QJsonObject defaults = ApiFormat::typeDefaults(input.value(QLatin1String("apiFormat")).toString());
    if (input.contains(QLatin1String("authHeader")))
        defaults.remove(QLatin1String("authTemplate"));
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
        if (!input.contains(it.key()))
            input.insert(it.key(), it.value());
    }
    return input;
}

QString checkDefaultHeaders(const QJsonObject& headers)
{
    return TextRules::checkHeaders(QStringLiteral("defaultHeaders"), headers);
}

QString checkUsagePaths(const QJsonObject& paths)
{
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        if (!kUsageFields.contains(it.key()))
            return QStringLiteral("'usagePaths' keys must be among %1 ('%2' is not)")
                .arg(kUsageFields.join(QStringLiteral(", ")), it.key().left(100));
        if (!isPathList(it.value()))
            return QStringLiteral("'usagePaths.%1' must be a list of at most 10 dotted paths such as "
                                  "\"usage.prompt_tokens\"")
                .arg(it.key());
    }
    return {};
}

QString checkModelPaths(const QJsonObject& paths)
{
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        if (it.key() == QLatin1String("response") || it.key() == QLatin1String("request")) {
            if (!isPathList(it.value()))
                return QStringLiteral("'modelPaths.%1' must be a list of at most 10 dotted paths").arg(it.key());
        } else if (it.key() == QLatin1String("url")) {
            const QString pattern = it.value().toString();
            if (!it.value().isString() || !pattern.contains(QLatin1String("{model}")) || pattern.size() > 200)
                return QStringLiteral(
                    "'modelPaths.url' must be a pattern containing {model}, e.g. \"models/{model}:\"");
        } else {
            return QStringLiteral("'modelPaths' keys must be response, request or url ('%1' is not)")
                .arg(it.key().left(100));
        }
    }
    return {};
}

QString checkStreamEventRoots(const QJsonObject& roots)
{
    if (roots.size() > kMaxEntries)
        return QStringLiteral("'streamEventRoots' may hold at most %1 events").arg(kMaxEntries);
    for (auto it = roots.begin(); it != roots.end(); ++it) {
        if (it.key().isEmpty() || it.key().size() > 100 || !isDottedPath(it.value()))
            return QStringLiteral("'streamEventRoots' must map event types to dotted paths (bad entry '%1')")
                .arg(it.key().left(100));
    }
    return {};
}

QJsonObject providerTypeJson(const QSqlQuery& row)
{
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("name"), row.value(1).toString()},
        {QStringLiteral("displayName"), row.value(2).toString()},
        {QStringLiteral("apiFormat"), row.value(3).toString()},
        {QStringLiteral("baseUrl"), row.value(4).toString()},
        {QStringLiteral("authHeader"), row.value(5).toString()},
        {QStringLiteral("authTemplate"), row.value(6).toString()},
        {QStringLiteral("keyQueryParam"), JsonValues::text(row.value(7))},
        {QStringLiteral("defaultHeaders"), JsonValues::object(row.value(8))},
        {QStringLiteral("usagePaths"), JsonValues::object(row.value(9))},
        {QStringLiteral("modelPaths"), JsonValues::object(row.value(10))},
        {QStringLiteral("streamEventRoots"), JsonValues::object(row.value(11))},
        {QStringLiteral("probeMethod"), row.value(12).toString()},
        {QStringLiteral("probePath"), JsonValues::text(row.value(13))},
        {QStringLiteral("active"), row.value(14).toInt() == 1},
        {QStringLiteral("builtin"), row.value(15).toInt() == 1},
        {QStringLiteral("createdAt"), JsonValues::time(row.value(16))},
        {QStringLiteral("updatedAt"), JsonValues::time(row.value(17))},
        {QStringLiteral("allowedRoutes"),
         row.value(18).isNull() ? QJsonValue()
                                : QJsonValue(QJsonDocument::fromJson(row.value(18).toString().toUtf8()).array())},
    };
}

Error providerTypeNotFound(qint64 id)
{
    return ApiErrors::notFound(QStringLiteral("no provider type with id %1").arg(id));
}

} // namespace

void ProviderTypeService::readFields(JsonInput& in, bool creating, RowChanges& changes)
{
    const auto presence = creating ? JsonInput::Required : JsonInput::Optional;
    QStringList problems;
    if (creating) {
        if (const auto name = in.text(QStringLiteral("name"), presence, 1, 50)) {
            static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9_-]*$"));
            if (!pattern.match(*name).hasMatch())
                problems << QStringLiteral("'name' must be lower case letters, digits, '-' and '_'");
            changes.set(QStringLiteral("name"), QStringLiteral("name"), *name);
        }
    } else if (in.has(QStringLiteral("name"))) {
        in.isNull(QStringLiteral("name"));
        problems << QStringLiteral("'name' cannot be changed: permissions (proxy:<name>) refer to it");
    }
    if (const auto value = in.text(QStringLiteral("displayName"), presence, 1, 100))
        changes.set(QStringLiteral("displayName"), QStringLiteral("display_name"), *value);
    if (const auto value = in.oneOf(QStringLiteral("apiFormat"), presence, ApiFormat::names()))
        changes.set(QStringLiteral("apiFormat"), QStringLiteral("api_format"), *value);
    if (const auto value = in.text(QStringLiteral("baseUrl"), presence, 1, 2000)) {
        if (const QString problem = checkBaseUrl(*value); !problem.isEmpty())
            problems << problem;
        changes.set(QStringLiteral("baseUrl"), QStringLiteral("base_url"), *value);
    }
    if (const auto value = in.text(QStringLiteral("authHeader"), JsonInput::Optional, 1, 100)) {
        if (!TextRules::isToken(*value, 100))
            problems << QStringLiteral("'authHeader' must be a header name (letters, digits, '-', '_')");
        changes.set(QStringLiteral("authHeader"), QStringLiteral("auth_header"), *value);
    }
    if (const auto value = in.text(QStringLiteral("authTemplate"), JsonInput::Optional, 1, 200)) {
        if (!value->contains(QLatin1String("{key}")) || !TextRules::isHeaderValue(*value))
            problems << QStringLiteral("'authTemplate' must contain {key}, e.g. \"Bearer {key}\"");
        changes.set(QStringLiteral("authTemplate"), QStringLiteral("auth_template"), *value);
    }
    if (in.isNull(QStringLiteral("keyQueryParam"))) {
        changes.set(QStringLiteral("keyQueryParam"), QStringLiteral("key_query_param"), JsonValues::nullText());
    } else if (const auto value = in.text(QStringLiteral("keyQueryParam"), JsonInput::Optional, 1, 50)) {
        if (!TextRules::isToken(*value, 50))
            problems << QStringLiteral("'keyQueryParam' must be a query parameter name (letters, digits, '-', '_')");
        changes.set(QStringLiteral("keyQueryParam"), QStringLiteral("key_query_param"), *value);
    }
    struct Document
    {
        const char* field;
        const char* column;
        QString (*check)(const QJsonObject&);
    };
    for (const Document& document : {Document{"defaultHeaders", "default_headers", checkDefaultHeaders},
                                     Document{"usagePaths", "usage_paths", checkUsagePaths},
                                     Document{"modelPaths", "model_paths", checkModelPaths},
                                     Document{"streamEventRoots", "stream_event_roots", checkStreamEventRoots}}) {
        if (const auto value = in.object(QLatin1String(document.field), JsonInput::Optional)) {
            if (const QString problem = document.check(*value); !problem.isEmpty())
                problems << problem;
            changes.set(QLatin1String(document.field), QLatin1String(document.column), JsonValues::compact(*value));
        }
    }
    if (const auto value = in.oneOf(QStringLiteral("probeMethod"), JsonInput::Optional,
                                    {QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("HEAD")}))
        changes.set(QStringLiteral("probeMethod"), QStringLiteral("probe_method"), *value);
    if (in.isNull(QStringLiteral("probePath"))) {
        changes.set(QStringLiteral("probePath"), QStringLiteral("probe_path"), JsonValues::nullText());
    } else if (const auto value = in.text(QStringLiteral("probePath"), JsonInput::Optional, 1, 500)) {
        if (!value->startsWith(u'/') || value->contains(u' ') || !TextRules::isHeaderValue(*value))
            problems << QStringLiteral("'probePath' must be a path starting with '/'");
        changes.set(QStringLiteral("probePath"), QStringLiteral("probe_path"), *value);
    }
    if (in.isNull(QStringLiteral("allowedRoutes"))) {
        changes.set(QStringLiteral("allowedRoutes"), QStringLiteral("allowed_routes"), JsonValues::nullText());
    } else if (const auto value =
                   in.texts(QStringLiteral("allowedRoutes"), JsonInput::Optional, int(RouteAllowlist::kMaxRoutes))) {
        const QJsonArray routes = QJsonArray::fromStringList(*value);
        if (auto allowlist = RouteAllowlist::fromJson(routes); !allowlist)
            problems << allowlist.error().message;
        changes.set(QStringLiteral("allowedRoutes"), QStringLiteral("allowed_routes"),
                    QString::fromUtf8(QJsonDocument(routes).toJson(QJsonDocument::Compact)));
    }
    if (const auto value = in.boolean(QStringLiteral("active"), JsonInput::Optional))
        changes.set(QStringLiteral("active"), QStringLiteral("active"), *value ? 1 : 0);
    // Problems of shape join the reader's own (unknown fields, types) in one message.
    for (const QString& problem : problems)
        in.addProblem(problem);
}

Result<QJsonObject> ProviderTypeService::load(qint64 id)
{
    auto row = m_context.database.exec(
        QStringLiteral("SELECT %1 FROM provider_types WHERE id = ? AND deleted_at IS NULL").arg(kProviderTypeColumns),
        {id});
    if (!row)
        return row.error();
    if (!row->next())
        return providerTypeNotFound(id);
    return providerTypeJson(*row);
}

Result<QJsonObject> ProviderTypeService::list(const Actor&, const QUrlQuery& query)
{
    return ListQuery::page(m_context.database, query,
                           {.columns = kProviderTypeColumns,
                            .from = QStringLiteral("provider_types"),
                            .where = {QStringLiteral("deleted_at IS NULL")},
                            .toJson = providerTypeJson,
                            .sortColumns = {{QStringLiteral("name"), QStringLiteral("name")},
                                            {QStringLiteral("displayName"), QStringLiteral("display_name")},
                                            {QStringLiteral("createdAt"), QStringLiteral("created_at")},
                                            {QStringLiteral("id"), QStringLiteral("id")}},
                            .defaultSort = QStringLiteral("name"),
                            .idColumn = QStringLiteral("id"),
                            .flagFilters = {{QStringLiteral("active"), QStringLiteral("active")}},
                            .searchColumn = QStringLiteral("name")});
}

Result<QJsonObject> ProviderTypeService::get(const Actor&, qint64 id)
{
    return load(id);
}

Result<QJsonObject> ProviderTypeService::create(const Actor& actor, const QJsonObject& input)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("provider_type.create"), {Permissions::kProvidersManage});
        !allowed)
        return allowed.error();
    JsonInput in(withFormatDefaults(input));
    RowChanges changes;
    readFields(in, true, changes);
    if (auto error = in.error())
        return *error;

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    changes.set({}, QStringLiteral("created_at"), now);
    changes.set({}, QStringLiteral("updated_at"), now);
    qint64 id = 0;
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            auto taken = m_context.database.exec(QStringLiteral("SELECT COUNT(*) FROM provider_types WHERE name = ?"),
                                                 {input.value(QLatin1String("name")).toString()});
            if (!taken)
                return taken.error();
            if (taken->next() && taken->value(0).toLongLong() > 0)
                return ApiErrors::conflict(
                    QStringLiteral("a provider type named '%1' exists or existed; names are never "
                                   "reused")
                        .arg(input.value(QLatin1String("name")).toString()));
            auto inserted = changes.insertInto(m_context.database, QStringLiteral("provider_types"));
            if (!inserted)
                return inserted.error();
            id = *inserted;
            changes.fields.removeAll(QString());
            return AuditEntry{QStringLiteral("provider_type.create"), QStringLiteral("provider_type"), id,
                              fieldsChanged(changes.fields)};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<QJsonObject> ProviderTypeService::update(const Actor& actor, qint64 id, const QJsonObject& input)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("provider_type.update"), {Permissions::kProvidersManage},
                                         [&] { return load(id); });
    if (!existing)
        return existing;
    JsonInput in(input);
    RowChanges changes;
    readFields(in, false, changes);
    if (auto error = in.error())
        return *error;
    if (changes.isEmpty())
        return existing;

    const QStringList fields = changes.fields;
    changes.set({}, QStringLiteral("updated_at"), QDateTime::currentMSecsSinceEpoch());
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (auto updated = changes.update(m_context.database, QStringLiteral("provider_types"), id); !updated)
                return updated.error();
            return AuditEntry{QStringLiteral("provider_type.update"), QStringLiteral("provider_type"), id,
                              fieldsChanged(fields)};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<void> ProviderTypeService::remove(const Actor& actor, qint64 id)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("provider_type.delete"), {Permissions::kProvidersManage},
                                         [&] { return load(id); });
    if (!existing)
        return existing.error();
    const QString name = existing->value(QLatin1String("name")).toString();
    if (existing->value(QLatin1String("builtin")).toBool())
        return ApiErrors::conflict(
            QStringLiteral("the built-in provider type '%1' cannot be deleted; set active to false instead").arg(name));

    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        auto used = m_context.database.exec(
            QStringLiteral(
                "SELECT (SELECT COUNT(*) FROM provider_keys WHERE provider_type_id = ? AND deleted_at IS NULL)"
                " + (SELECT COUNT(*) FROM gateway_keys WHERE provider_type_id = ? AND deleted_at IS NULL)"),
            {id, id});
        if (!used)
            return used.error();
        if (used->next() && used->value(0).toLongLong() > 0)
            return ApiErrors::conflict(
                QStringLiteral("provider type '%1' still has provider keys or gateway keys; delete them first")
                    .arg(name));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto deleted = m_context.database.exec(
            QStringLiteral("UPDATE provider_types SET deleted_at = ?, updated_at = ? WHERE id = ?"), {now, now, id});
        if (!deleted)
            return deleted.error();
        return AuditEntry{QStringLiteral("provider_type.delete"),
                          QStringLiteral("provider_type"),
                          id,
                          {{QStringLiteral("name"), name}}};
    });
    if (!done)
        return done.error();
    return {};
}

Result<void> ProviderTypeService::requireLive(Database& database, qint64 id)
{
    auto type =
        database.exec(QStringLiteral("SELECT COUNT(*) FROM provider_types WHERE id = ? AND deleted_at IS NULL"), {id});
    if (!type)
        return type.error();
    if (!type->next() || type->value(0).toLongLong() == 0)
        return ApiErrors::invalid(QStringLiteral("'providerTypeId' %1 is not a provider type").arg(id));
    return {};
}
