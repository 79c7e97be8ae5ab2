#include "service/ProviderKeyService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "crypto/SecretBox.h"
#include "service/JsonInput.h"
#include "service/JsonValues.h"
#include "service/ListQuery.h"
#include "service/ProviderTypeService.h"
#include "service/RowChanges.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"

namespace {

const QString kProviderKeyColumns = QStringLiteral(
    "k.id, k.provider_type_id, t.name, k.name, k.auth_kind, k.secret_prefix, k.secret_suffix, k.weight, "
    "k.rpm_limit, k.tpm_limit, k.rpd_limit, k.active, k.health_status, k.cooldown_until, k.invalid_reason, "
    "k.last_error, k.last_error_at, k.created_at, k.updated_at");
const QString kProviderKeyFrom = QStringLiteral("provider_keys k JOIN provider_types t ON t.id = k.provider_type_id");

struct ProviderKeyLimit
{
    const char* field;
    const char* column;
    qint64 maximum;
};
const ProviderKeyLimit kProviderKeyLimits[] = {{"rpmLimit", "rpm_limit", 1'000'000'000},
                                               {"tpmLimit", "tpm_limit", 1'000'000'000'000},
                                               {"rpdLimit", "rpd_limit", 1'000'000'000}};

QJsonObject providerKeyJson(const QSqlQuery& row)
{
    const QString prefix = row.value(5).toString();
    const QString suffix = row.value(6).toString();
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("providerTypeId"), row.value(1).toLongLong()},
        {QStringLiteral("providerType"), row.value(2).toString()},
        {QStringLiteral("name"), row.value(3).toString()},
        {QStringLiteral("authKind"), row.value(4).toString()},
        {QStringLiteral("secretMasked"),
         prefix.isEmpty() && suffix.isEmpty() ? QStringLiteral("…") : prefix + QStringLiteral("…") + suffix},
        {QStringLiteral("weight"), row.value(7).toLongLong()},
        {QStringLiteral("rpmLimit"), JsonValues::integer(row.value(8))},
        {QStringLiteral("tpmLimit"), JsonValues::integer(row.value(9))},
        {QStringLiteral("rpdLimit"), JsonValues::integer(row.value(10))},
        {QStringLiteral("active"), row.value(11).toInt() == 1},
        {QStringLiteral("health"), QJsonObject{{QStringLiteral("status"), row.value(12).toString()},
                                               {QStringLiteral("cooldownUntil"), JsonValues::time(row.value(13))},
                                               {QStringLiteral("invalidReason"), JsonValues::text(row.value(14))},
                                               {QStringLiteral("lastError"), JsonValues::text(row.value(15))},
                                               {QStringLiteral("lastErrorAt"), JsonValues::time(row.value(16))}}},
        {QStringLiteral("createdAt"), JsonValues::time(row.value(17))},
        {QStringLiteral("updatedAt"), JsonValues::time(row.value(18))},
    };
}

// Printable ASCII without spaces: the secret is sent in an HTTP header, where anything else breaks or injects.
bool isSecretText(const QString& secret)
{
    return std::all_of(secret.begin(), secret.end(), [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

void readCommonFields(JsonInput& in, RowChanges& changes)
{
    if (const auto value = in.integer(QStringLiteral("weight"), JsonInput::Optional, 1, 1000))
        changes.set(QStringLiteral("weight"), QStringLiteral("weight"), *value);
    for (const ProviderKeyLimit& limit : kProviderKeyLimits) {
        const QString field = QLatin1String(limit.field);
        if (in.isNull(field))
            changes.set(field, QLatin1String(limit.column), JsonValues::nullInteger());
        else if (const auto value = in.integer(field, JsonInput::Optional, 1, limit.maximum))
            changes.set(field, QLatin1String(limit.column), *value);
    }
    if (const auto value = in.boolean(QStringLiteral("active"), JsonInput::Optional))
        changes.set(QStringLiteral("active"), QStringLiteral("active"), *value ? 1 : 0);
}

std::optional<QString> readSecret(JsonInput& in, JsonInput::Presence presence)
{
    const auto secret = in.text(QStringLiteral("secret"), presence, ProviderKeyService::kMinSecretLength,
                                ProviderKeyService::kMaxSecretLength);
    if (secret && !isSecretText(*secret)) {
        in.addProblem(QStringLiteral("'secret' must be printable ASCII without spaces"));
        return std::nullopt;
    }
    return secret;
}

Error providerKeyNotFound(qint64 id)
{
    return ApiErrors::notFound(QStringLiteral("no provider key with id %1").arg(id));
}

QString idText(qint64 id)
{
    return QString::number(id);
}

} // namespace

QPair<QString, QString> ProviderKeyService::visibleEnds(const QString& secret)
{
    const qsizetype budget = secret.size() / 3;
    const qsizetype head = std::min<qsizetype>(6, (budget + 1) / 2);
    const qsizetype tail = std::min<qsizetype>(4, budget - head);
    return {secret.left(head), tail > 0 ? secret.right(tail) : QString()};
}

Result<QJsonObject> ProviderKeyService::load(qint64 id)
{
    auto row = m_context.database.exec(QStringLiteral("SELECT %1 FROM %2 WHERE k.id = ? AND k.deleted_at IS NULL")
                                           .arg(kProviderKeyColumns, kProviderKeyFrom),
                                       {id});
    if (!row)
        return row.error();
    if (!row->next())
        return providerKeyNotFound(id);
    return providerKeyJson(*row);
}

Result<void> ProviderKeyService::storeSecret(qint64 id, const QString& secret)
{
    if (auto current = m_context.sealingKeyIsCurrent(); !current)
        return current;
    const QByteArray sealed =
        m_context.secrets.seal(secret.toUtf8(), SealedColumns::kProviderKeySecret.associatedData(id));
    const auto [prefix, suffix] = visibleEnds(secret);
    auto stored = m_context.database.exec(
        QStringLiteral("UPDATE provider_keys SET secret_ciphertext = ?, secret_prefix = ?, secret_suffix = ?, "
                       "auth_kind = 'api_key' WHERE id = ?"),
        {sealed, prefix, suffix, id});
    if (!stored)
        return stored.error();
    return {};
}

Result<void> ProviderKeyService::requireNameFree(Database& database, qint64 providerTypeId, const QString& name,
                                                 qint64 exceptId)
{
    auto taken = database.exec(QStringLiteral("SELECT COUNT(*) FROM provider_keys WHERE provider_type_id = ? "
                                              "AND name = ? AND deleted_at IS NULL AND id <> ?"),
                               {providerTypeId, name, exceptId});
    if (!taken)
        return taken.error();
    if (taken->next() && taken->value(0).toLongLong() > 0)
        return ApiErrors::conflict(
            QStringLiteral("a provider key named '%1' already exists for this provider type").arg(name));
    return {};
}

Result<QJsonObject> ProviderKeyService::list(const Actor& actor, const QUrlQuery& query)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("provider_key.list"),
                                       {Permissions::kProviderKeysView, Permissions::kProviderKeysManage});
        !allowed)
        return allowed.error();
    return ListQuery::page(m_context.database, query,
                           {.columns = kProviderKeyColumns,
                            .from = kProviderKeyFrom,
                            .where = {QStringLiteral("k.deleted_at IS NULL")},
                            .toJson = providerKeyJson,
                            .sortColumns = {{QStringLiteral("name"), QStringLiteral("k.name")},
                                            {QStringLiteral("weight"), QStringLiteral("k.weight")},
                                            {QStringLiteral("createdAt"), QStringLiteral("k.created_at")},
                                            {QStringLiteral("healthStatus"), QStringLiteral("k.health_status")},
                                            {QStringLiteral("id"), QStringLiteral("k.id")}},
                            .defaultSort = QStringLiteral("name"),
                            .idColumn = QStringLiteral("k.id"),
                            .idFilters = {{QStringLiteral("providerTypeId"), QStringLiteral("k.provider_type_id")}},
                            .flagFilters = {{QStringLiteral("active"), QStringLiteral("k.active")}},
                            .searchColumn = QStringLiteral("k.name")});
}

Result<QJsonObject> ProviderKeyService::get(const Actor& actor, qint64 id)
{
    return m_context.allowedRow(actor, QStringLiteral("provider_key.view"),
                                {Permissions::kProviderKeysView, Permissions::kProviderKeysManage},
                                [&] { return load(id); });
}

Result<QJsonObject> ProviderKeyService::create(const Actor& actor, const QJsonObject& input)
{
    if (auto allowed =
            m_context.allow(actor, QStringLiteral("provider_key.create"), {Permissions::kProviderKeysManage});
        !allowed)
        return allowed.error();
    JsonInput in(input);
    const auto name = in.text(QStringLiteral("name"), JsonInput::Required, 1, 200);
    const auto typeId = in.integer(QStringLiteral("providerTypeId"), JsonInput::Required, 1, 9'007'199'254'740'991);
    const auto secret = readSecret(in, JsonInput::Required);
    RowChanges changes;
    readCommonFields(in, changes);
    if (auto error = in.error())
        return *error;

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    changes.set(QStringLiteral("name"), QStringLiteral("name"), *name);
    changes.set(QStringLiteral("providerTypeId"), QStringLiteral("provider_type_id"), *typeId);
    // A placeholder until the id is known: the secret is sealed under it, in the same transaction.
    changes.set(QStringLiteral("secret"), QStringLiteral("secret_ciphertext"), QByteArray(""));
    changes.set({}, QStringLiteral("created_by"),
                actor.userId > 0 ? QVariant(actor.userId) : JsonValues::nullInteger());
    changes.set({}, QStringLiteral("created_at"), now);
    changes.set({}, QStringLiteral("updated_at"), now);
    qint64 id = 0;
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (auto type = ProviderTypeService::requireLive(m_context.database, *typeId); !type)
                return type.error();
            if (auto free = requireNameFree(m_context.database, *typeId, *name, 0); !free)
                return free.error();
            auto inserted = changes.insertInto(m_context.database, QStringLiteral("provider_keys"));
            if (!inserted)
                return inserted.error();
            id = *inserted;
            if (auto stored = storeSecret(id, *secret); !stored)
                return stored.error();
            return AuditEntry{QStringLiteral("provider_key.create"),
                              QStringLiteral("provider_key"),
                              id,
                              {{QStringLiteral("name"), *name}, {QStringLiteral("providerTypeId"), *typeId}}};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<QJsonObject> ProviderKeyService::update(const Actor& actor, qint64 id, const QJsonObject& input)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("provider_key.update"),
                                         {Permissions::kProviderKeysManage}, [&] { return load(id); });
    if (!existing)
        return existing.error();
    JsonInput in(input);
    if (in.has(QStringLiteral("providerTypeId"))) {
        in.isNull(QStringLiteral("providerTypeId"));
        in.addProblem(QStringLiteral("'providerTypeId' cannot be changed: create a new key for another provider type"));
    }
    const auto name = in.text(QStringLiteral("name"), JsonInput::Optional, 1, 200);
    const auto secret = readSecret(in, JsonInput::Optional);
    if (secret && existing->value(QLatin1String("authKind")).toString() == QLatin1String("oauth"))
        in.addProblem(QStringLiteral("an OAuth account's key has no secret to replace: revoke the account and add an "
                                     "API key, or connect the account again"));
    RowChanges changes;
    readCommonFields(in, changes);
    if (auto error = in.error())
        return *error;
    if (name)
        changes.set(QStringLiteral("name"), QStringLiteral("name"), *name);
    QStringList fields = changes.fields;
    if (secret)
        fields << QStringLiteral("secret");
    if (fields.isEmpty())
        return existing;

    changes.set({}, QStringLiteral("updated_at"), QDateTime::currentMSecsSinceEpoch());
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (name) {
                if (auto free = requireNameFree(
                        m_context.database, existing->value(QLatin1String("providerTypeId")).toInteger(), *name, id);
                    !free)
                    return free.error();
            }
            if (auto updated = changes.update(m_context.database, QStringLiteral("provider_keys"), id); !updated)
                return updated.error();
            if (secret) {
                if (auto stored = storeSecret(id, *secret); !stored)
                    return stored.error();
            }
            return AuditEntry{QStringLiteral("provider_key.update"), QStringLiteral("provider_key"), id,
                              fieldsChanged(fields)};
        },
        [this](qint64 changed) { return load(changed); });
}

Result<void> ProviderKeyService::remove(const Actor& actor, qint64 id)
{
    auto existing = m_context.allowedRow(actor, QStringLiteral("provider_key.delete"),
                                         {Permissions::kProviderKeysManage}, [&] { return load(id); });
    if (!existing)
        return existing.error();
    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto deleted = m_context.database.exec(
            QStringLiteral("UPDATE provider_keys SET deleted_at = ?, updated_at = ? WHERE id = ?"), {now, now, id});
        if (!deleted)
            return deleted.error();
        // A deleted key leaves every pool at once, so no list shows it and no request is routed to it.
        auto unpooled =
            m_context.database.exec(QStringLiteral("DELETE FROM gateway_key_pool WHERE provider_key_id = ?"), {id});
        if (!unpooled)
            return unpooled.error();
        // An OAuth account's tokens go with it (POST /api/oauth/sessions/{id}/revoke also tells the provider).
        auto erased = m_context.database.exec(
            QStringLiteral("UPDATE oauth_sessions SET status = 'revoked', access_token_ciphertext = NULL, "
                           "refresh_token_ciphertext = NULL, refresh_lease_until = NULL, updated_at = ? "
                           "WHERE provider_key_id = ?"),
            {now, id});
        if (!erased)
            return erased.error();
        return AuditEntry{QStringLiteral("provider_key.delete"),
                          QStringLiteral("provider_key"),
                          id,
                          {{QStringLiteral("name"), existing->value(QLatin1String("name"))}}};
    });
    if (!done)
        return done.error();
    return {};
}

Result<QJsonObject> ProviderKeyService::reveal(const Actor& actor, qint64 id)
{
    if (auto allowed =
            m_context.allow(actor, QStringLiteral("provider_key.reveal"), {Permissions::kProviderKeysManage});
        !allowed)
        return allowed.error();
    auto row = m_context.database.exec(
        QStringLiteral("SELECT secret_ciphertext FROM provider_keys WHERE id = ? AND deleted_at IS NULL"), {id});
    if (!row)
        return row.error();
    if (!row->next())
        return providerKeyNotFound(id);
    const QByteArray sealed = row->value(0).toByteArray();
    // Done reading before the audit write: an open SQLite statement holds a read snapshot, and a write on the same
    // connection after another connection committed (the trace writer, say) fails at once with "database is locked".
    row->finish();
    if (sealed.isEmpty())
        return ApiErrors::conflict(QStringLiteral("provider key %1 has no stored secret (OAuth account)").arg(id));
    auto secret = m_context.secrets.open(sealed, SealedColumns::kProviderKeySecret.associatedData(id));
    if (!secret)
        return Error::make(
            secret.error().code,
            QStringLiteral("provider key %1 cannot be decrypted: %2").arg(id).arg(secret.error().message));
    // No audit entry, no secret.
    if (auto audited = m_context.audit.record(actor, QStringLiteral("provider_key.reveal"),
                                              QStringLiteral("provider_key"), idText(id));
        !audited)
        return audited.error();
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("secret"), QString::fromUtf8(secret->data(), secret->size())}};
}
