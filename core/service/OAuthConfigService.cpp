#include "service/OAuthConfigService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "crypto/SecretBox.h"
#include "service/JsonInput.h"
#include "service/JsonValues.h"
#include "service/ListQuery.h"
#include "service/ProviderTypeService.h"
#include "service/RowChanges.h"
#include "service/TextRules.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"

#include <QHostAddress>

namespace {

const QString kConfigColumns = QStringLiteral(
    "c.id, c.provider_type_id, t.name, c.name, c.authorize_url, c.token_url, c.revoke_url, c.client_id, "
    "c.client_secret_ciphertext IS NOT NULL, c.scopes, c.redirect_uri, c.authorize_params, c.token_params, "
    "c.auth_header, c.auth_template, c.extra_headers, c.enabled, c.note, c.created_at, c.updated_at");
const QString kConfigFrom = QStringLiteral("oauth_configs c JOIN provider_types t ON t.id = c.provider_type_id");

// Parameters the flow sets itself: a configuration may not send its own.
const QStringList kAuthorizeParamsTaken{QStringLiteral("response_type"),
                                        QStringLiteral("client_id"),
                                        QStringLiteral("redirect_uri"),
                                        QStringLiteral("scope"),
                                        QStringLiteral("state"),
                                        QStringLiteral("code_challenge"),
                                        QStringLiteral("code_challenge_method")};
const QStringList kTokenParamsTaken{QStringLiteral("grant_type"),    QStringLiteral("code"),
                                    QStringLiteral("redirect_uri"),  QStringLiteral("client_id"),
                                    QStringLiteral("client_secret"), QStringLiteral("code_verifier"),
                                    QStringLiteral("refresh_token")};

QJsonObject configJson(const QSqlQuery& row)
{
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("providerTypeId"), row.value(1).toLongLong()},
        {QStringLiteral("providerType"), row.value(2).toString()},
        {QStringLiteral("name"), row.value(3).toString()},
        {QStringLiteral("authorizeUrl"), row.value(4).toString()},
        {QStringLiteral("tokenUrl"), row.value(5).toString()},
        {QStringLiteral("revokeUrl"), JsonValues::text(row.value(6))},
        {QStringLiteral("clientId"), row.value(7).toString()},
        {QStringLiteral("clientSecretSet"), row.value(8).toInt() == 1},
        {QStringLiteral("scopes"), row.value(9).toString()},
        {QStringLiteral("redirectUri"), row.value(10).toString()},
        {QStringLiteral("authorizeParams"), JsonValues::object(row.value(11))},
        {QStringLiteral("tokenParams"), JsonValues::object(row.value(12))},
        {QStringLiteral("authHeader"), row.value(13).toString()},
        {QStringLiteral("authTemplate"), row.value(14).toString()},
        {QStringLiteral("extraHeaders"), JsonValues::object(row.value(15))},
        {QStringLiteral("enabled"), row.value(16).toInt() == 1},
        {QStringLiteral("note"), row.value(17).toString()},
        {QStringLiteral("createdAt"), JsonValues::time(row.value(18))},
        {QStringLiteral("updatedAt"), JsonValues::time(row.value(19))},
    };
}

// A JSON object of string parameters, none of them one the flow sets.
QString checkParams(const QString& field, const QJsonObject& params, const QStringList& taken)
{
    if (params.size() > 20)
        return QStringLiteral("'%1' may hold at most 20 parameters").arg(field);
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!TextRules::isToken(it.key(), 100) || !it.value().isString() || it.value().toString().size() > 1000)
            return QStringLiteral("'%1' must map parameter names to string values (bad entry '%2')")
                .arg(field, it.key().left(100));
        if (taken.contains(it.key()))
            return QStringLiteral("'%1' may not set '%2': the flow sets it").arg(field, it.key());
    }
    return {};
}

// An endpoint URL the gateway may call: https, or http to a loopback address (a local test server). Empty when it
// is one, else the problem naming `field`.
QString checkEndpoint(const QString& field, const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    const bool loopback = QHostAddress(url.host()).isLoopback() || url.host() == QLatin1String("localhost");
    if (!url.isValid() || url.host().isEmpty() || url.hasFragment() || !url.userInfo().isEmpty() ||
        !(url.scheme() == QLatin1String("https") || (url.scheme() == QLatin1String("http") && loopback)))
        return QStringLiteral("'%1' must be an https URL (http only to a loopback address), without credentials or "
                              "fragment")
            .arg(field);
    return {};
}

QString checkRedirect(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty() || url.hasFragment() || !url.userInfo().isEmpty())
        return QStringLiteral("'redirectUri' must be an http or https URL with a host and no fragment");
    return {};
}

// Fields a create requires and an update may change; the provider type is set once.
void readFields(JsonInput& in, JsonInput::Presence presence, RowChanges& changes)
{
    if (const auto value = in.text(QStringLiteral("name"), presence, 1, 100))
        changes.set(QStringLiteral("name"), QStringLiteral("name"), *value);
    struct Endpoint
    {
        const char* field;
        const char* column;
        JsonInput::Presence presence;
    };
    for (const Endpoint& endpoint :
         {Endpoint{"authorizeUrl", "authorize_url", presence}, Endpoint{"tokenUrl", "token_url", presence},
          Endpoint{"revokeUrl", "revoke_url", JsonInput::Optional}}) {
        const QString field = QLatin1String(endpoint.field);
        if (endpoint.presence == JsonInput::Optional && in.isNull(field)) {
            changes.set(field, QLatin1String(endpoint.column), JsonValues::nullText());
        } else if (const auto value = in.text(field, endpoint.presence, 1, 2000)) {
            if (const QString problem = checkEndpoint(field, *value); !problem.isEmpty())
                in.addProblem(problem);
            changes.set(field, QLatin1String(endpoint.column), *value);
        }
    }
    if (const auto value = in.text(QStringLiteral("clientId"), presence, 1, 500)) {
        if (!TextRules::isHeaderValue(*value))
            in.addProblem(QStringLiteral("'clientId' must not hold control characters"));
        changes.set(QStringLiteral("clientId"), QStringLiteral("client_id"), *value);
    }
    if (const auto value = in.text(QStringLiteral("redirectUri"), presence, 1, 2000)) {
        if (const QString problem = checkRedirect(*value); !problem.isEmpty())
            in.addProblem(problem);
        changes.set(QStringLiteral("redirectUri"), QStringLiteral("redirect_uri"), *value);
    }
    if (const auto value = in.text(QStringLiteral("scopes"), JsonInput::Optional, 0, 2000)) {
        if (!TextRules::isHeaderValue(*value))
            in.addProblem(QStringLiteral("'scopes' must not hold control characters"));
        changes.set(QStringLiteral("scopes"), QStringLiteral("scopes"), value->simplified());
    }
    if (const auto value = in.object(QStringLiteral("authorizeParams"), JsonInput::Optional)) {
        if (const QString problem = checkParams(QStringLiteral("authorizeParams"), *value, kAuthorizeParamsTaken);
            !problem.isEmpty())
            in.addProblem(problem);
        changes.set(QStringLiteral("authorizeParams"), QStringLiteral("authorize_params"), JsonValues::compact(*value));
    }
    if (const auto value = in.object(QStringLiteral("tokenParams"), JsonInput::Optional)) {
        if (const QString problem = checkParams(QStringLiteral("tokenParams"), *value, kTokenParamsTaken);
            !problem.isEmpty())
            in.addProblem(problem);
        changes.set(QStringLiteral("tokenParams"), QStringLiteral("token_params"), JsonValues::compact(*value));
    }
    if (const auto value = in.text(QStringLiteral("authHeader"), JsonInput::Optional, 1, 100)) {
        if (!TextRules::isToken(*value, 100))
            in.addProblem(QStringLiteral("'authHeader' must be a header name (letters, digits, '-', '_')"));
        changes.set(QStringLiteral("authHeader"), QStringLiteral("auth_header"), *value);
    }
    if (const auto value = in.text(QStringLiteral("authTemplate"), JsonInput::Optional, 1, 200)) {
        if (!value->contains(QLatin1String("{token}")) || !TextRules::isHeaderValue(*value))
            in.addProblem(QStringLiteral("'authTemplate' must contain {token}, e.g. \"Bearer {token}\""));
        changes.set(QStringLiteral("authTemplate"), QStringLiteral("auth_template"), *value);
    }
    if (const auto value = in.object(QStringLiteral("extraHeaders"), JsonInput::Optional)) {
        if (const QString problem = TextRules::checkHeaders(QStringLiteral("extraHeaders"), *value); !problem.isEmpty())
            in.addProblem(problem);
        changes.set(QStringLiteral("extraHeaders"), QStringLiteral("extra_headers"), JsonValues::compact(*value));
    }
    if (const auto value = in.boolean(QStringLiteral("enabled"), JsonInput::Optional))
        changes.set(QStringLiteral("enabled"), QStringLiteral("enabled"), *value ? 1 : 0);
    if (const auto value = in.text(QStringLiteral("note"), JsonInput::Optional, 0, 2000))
        changes.set(QStringLiteral("note"), QStringLiteral("note"), *value);
}

// Absent: unchanged (nullopt); null: removed (an empty string); else the new secret.
std::optional<std::optional<QString>> readClientSecret(JsonInput& in)
{
    const QString field = QStringLiteral("clientSecret");
    if (in.isNull(field))
        return std::optional<QString>();
    if (const auto value = in.text(field, JsonInput::Optional, 1, 1000)) {
        if (!TextRules::isHeaderValue(*value))
            in.addProblem(QStringLiteral("'clientSecret' must not hold control characters"));
        return std::optional<QString>(*value);
    }
    return std::nullopt;
}

Error configNotFound(qint64 id)
{
    return ApiErrors::notFound(QStringLiteral("no OAuth configuration with id %1").arg(id));
}

const QStringList kReaders{Permissions::kProvidersManage, Permissions::kProviderKeysManage,
                           Permissions::kProviderKeysView};

} // namespace

Result<QJsonObject> OAuthConfigService::load(qint64 id)
{
    auto row = m_context.database.exec(
        QStringLiteral("SELECT %1 FROM %2 WHERE c.id = ? AND c.deleted_at IS NULL").arg(kConfigColumns, kConfigFrom),
        {id});
    if (!row)
        return row.error();
    if (!row->next())
        return configNotFound(id);
    return configJson(*row);
}

Result<void> OAuthConfigService::storeClientSecret(qint64 id, const std::optional<QString>& secret)
{
    QVariant sealed = JsonValues::nullText();
    if (secret) {
        if (auto current = m_context.sealingKeyIsCurrent(); !current)
            return current;
        sealed = m_context.secrets.seal(secret->toUtf8(), SealedColumns::kOAuthClientSecret.associatedData(id));
    }
    auto stored = m_context.database.exec(
        QStringLiteral("UPDATE oauth_configs SET client_secret_ciphertext = ? WHERE id = ?"), {sealed, id});
    return stored ? Result<void>() : Result<void>(stored.error());
}

Result<void> OAuthConfigService::checkNameFree(const QString& name, qint64 exceptId)
{
    auto taken = m_context.database.exec(
        QStringLiteral("SELECT COUNT(*) FROM oauth_configs WHERE name = ? AND deleted_at IS NULL AND id <> ?"),
        {name, exceptId});
    if (!taken)
        return taken.error();
    if (taken->next() && taken->value(0).toLongLong() > 0)
        return ApiErrors::conflict(QStringLiteral("an OAuth configuration named '%1' already exists").arg(name));
    return {};
}

Result<QJsonObject> OAuthConfigService::list(const Actor& actor, const QUrlQuery& query)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("oauth_config.list"), kReaders); !allowed)
        return allowed.error();
    return ListQuery::page(m_context.database, query,
                           {.columns = kConfigColumns,
                            .from = kConfigFrom,
                            .where = {QStringLiteral("c.deleted_at IS NULL")},
                            .toJson = configJson,
                            .sortColumns = {{QStringLiteral("name"), QStringLiteral("c.name")},
                                            {QStringLiteral("createdAt"), QStringLiteral("c.created_at")},
                                            {QStringLiteral("id"), QStringLiteral("c.id")}},
                            .defaultSort = QStringLiteral("name"),
                            .idColumn = QStringLiteral("c.id"),
                            .idFilters = {{QStringLiteral("providerTypeId"), QStringLiteral("c.provider_type_id")}},
                            .flagFilters = {{QStringLiteral("enabled"), QStringLiteral("c.enabled")}},
                            .searchColumn = QStringLiteral("c.name")});
}

Result<QJsonObject> OAuthConfigService::get(const Actor& actor, qint64 id)
{
    return m_context.allowedRow(actor, QStringLiteral("oauth_config.view"), kReaders, [&] { return load(id); });
}

Result<QJsonObject> OAuthConfigService::create(const Actor& actor, const QJsonObject& input)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("oauth_config.create"), {Permissions::kProvidersManage});
        !allowed)
        return allowed.error();
    JsonInput in(input);
    const auto typeId = in.integer(QStringLiteral("providerTypeId"), JsonInput::Required, 1, 9'007'199'254'740'991);
    RowChanges changes;
    readFields(in, JsonInput::Required, changes);
    const auto clientSecret = readClientSecret(in);
    if (auto error = in.error())
        return *error;

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    changes.set(QStringLiteral("providerTypeId"), QStringLiteral("provider_type_id"), *typeId);
    changes.set({}, QStringLiteral("created_at"), now);
    changes.set({}, QStringLiteral("updated_at"), now);
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (auto type = ProviderTypeService::requireLive(m_context.database, *typeId); !type)
                return type.error();
            if (auto free = checkNameFree(input.value(QLatin1String("name")).toString(), 0); !free)
                return free.error();
            auto inserted = changes.insertInto(m_context.database, QStringLiteral("oauth_configs"));
            if (!inserted)
                return inserted.error();
            if (clientSecret && *clientSecret) {
                if (auto stored = storeClientSecret(*inserted, *clientSecret); !stored)
                    return stored.error();
            }
            return AuditEntry{QStringLiteral("oauth_config.create"),
                              QStringLiteral("oauth_config"),
                              *inserted,
                              {{QStringLiteral("name"), input.value(QLatin1String("name"))},
                               {QStringLiteral("providerTypeId"), *typeId}}};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<QJsonObject> OAuthConfigService::update(const Actor& actor, qint64 id, const QJsonObject& input)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("oauth_config.update"), {Permissions::kProvidersManage},
                                         [&] { return load(id); });
    if (!existing)
        return existing.error();
    JsonInput in(input);
    if (in.has(QStringLiteral("providerTypeId"))) {
        in.isNull(QStringLiteral("providerTypeId"));
        in.addProblem(QStringLiteral("'providerTypeId' cannot be changed: create a new configuration"));
    }
    RowChanges changes;
    readFields(in, JsonInput::Optional, changes);
    const auto clientSecret = readClientSecret(in);
    if (auto error = in.error())
        return *error;
    QStringList fields = changes.fields;
    if (clientSecret)
        fields << QStringLiteral("clientSecret");
    if (fields.isEmpty())
        return existing;

    changes.set({}, QStringLiteral("updated_at"), QDateTime::currentMSecsSinceEpoch());
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (input.contains(QLatin1String("name"))) {
                if (auto free = checkNameFree(input.value(QLatin1String("name")).toString(), id); !free)
                    return free.error();
            }
            if (auto updated = changes.update(m_context.database, QStringLiteral("oauth_configs"), id); !updated)
                return updated.error();
            if (clientSecret) {
                if (auto stored = storeClientSecret(id, *clientSecret); !stored)
                    return stored.error();
            }
            return AuditEntry{QStringLiteral("oauth_config.update"), QStringLiteral("oauth_config"), id,
                              fieldsChanged(fields)};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<void> OAuthConfigService::remove(const Actor& actor, qint64 id)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("oauth_config.delete"), {Permissions::kProvidersManage},
                                         [&] { return load(id); });
    if (!existing)
        return existing.error();
    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        // Connected accounts refresh their tokens with it. Pending authorizations of it can no longer finish.
        auto used = m_context.database.exec(
            QStringLiteral("SELECT COUNT(*) FROM oauth_sessions WHERE oauth_config_id = ? AND status = 'active'"),
            {id});
        if (!used)
            return used.error();
        const qint64 accounts = used->next() ? used->value(0).toLongLong() : 0;
        used->finish();
        if (accounts > 0)
            return ApiErrors::conflict(
                QStringLiteral("%1 connected account(s) use this configuration: disconnect them first").arg(accounts));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto deleted = m_context.database.exec(
            QStringLiteral("UPDATE oauth_configs SET deleted_at = ?, updated_at = ?, client_secret_ciphertext = NULL "
                           "WHERE id = ?"),
            {now, now, id});
        if (!deleted)
            return deleted.error();
        return AuditEntry{QStringLiteral("oauth_config.delete"),
                          QStringLiteral("oauth_config"),
                          id,
                          {{QStringLiteral("name"), existing->value(QLatin1String("name"))}}};
    });
    return done ? Result<void>() : Result<void>(done.error());
}
