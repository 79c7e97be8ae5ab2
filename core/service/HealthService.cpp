#include "service/HealthService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "health/HealthProber.h"
#include "health/KeyState.h"
#include "storage/AuditLog.h"
#include "storage/ChangeCounter.h"
#include "storage/Database.h"

#include <QDateTime>

namespace {

QDateTime utcFromMs(const QVariant& ms)
{
    return ms.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), Qt::UTC);
}

KeyHealthSnapshot::Status statusFromColumn(const QString& status)
{
    if (status == QLatin1String("cooldown"))
        return KeyHealthSnapshot::Status::CoolingDown;
    if (status == QLatin1String("ejected"))
        return KeyHealthSnapshot::Status::Ejected;
    if (status == QLatin1String("invalid"))
        return KeyHealthSnapshot::Status::Invalid;
    return KeyHealthSnapshot::Status::Healthy;
}

} // namespace

Result<QList<HealthService::KeyHealth>> HealthService::list(const Actor& actor)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("health.list"), {Permissions::kHealthView}); !allowed)
        return allowed.error();
    return load(std::nullopt);
}

Result<HealthService::KeyHealth> HealthService::reset(const Actor& actor, qint64 keyId)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("health.reset"), {Permissions::kProviderKeysManage});
        !allowed)
        return allowed.error();
    auto before = load(keyId);
    if (!before)
        return before.error();
    if (before->isEmpty())
        return ApiErrors::notFound(QStringLiteral("no provider key %1").arg(keyId));
    const KeyHealth& old = before->first();
    // The row, the health counter (so that the other instances clear their marks too) and the audit entry together;
    // the live state follows once they are stored.
    auto stored = m_context.database.transaction([&]() -> Result<void> {
        auto updated = m_context.database.exec(
            QStringLiteral("UPDATE provider_keys SET health_status = 'healthy', cooldown_until = NULL, "
                           "ejected_until = NULL, invalid_reason = NULL, health_reset_at = ? WHERE id = ?"),
            {QDateTime::currentMSecsSinceEpoch(), keyId});
        if (!updated)
            return updated.error();
        if (auto counted = ChangeCounter(m_context.database, ChangeCounter::kHealth).add(); !counted)
            return counted;
        return m_context.audit.record(
            actor, QStringLiteral("provider_key.health_reset"), QStringLiteral("provider_key"), QString::number(keyId),
            QJsonObject{{QStringLiteral("previous_status"), KeyHealthSnapshot::statusName(old.snapshot.status)},
                        {QStringLiteral("invalid_reason"), old.snapshot.invalidReason}});
    });
    if (!stored)
        return stored.error();
    if (const auto state = m_states.value(keyId))
        state->reset();
    auto after = load(keyId);
    if (!after)
        return after.error();
    return after->first();
}

Result<void> HealthService::probe(const Actor& actor, qint64 keyId)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("health.probe"), {Permissions::kProviderKeysManage});
        !allowed)
        return allowed.error();
    auto key = load(keyId);
    if (!key)
        return key.error();
    if (key->isEmpty())
        return ApiErrors::notFound(QStringLiteral("no provider key %1").arg(keyId));
    if (!m_prober.probeNow(keyId))
        return ApiErrors::conflict(QStringLiteral("the proxy does not serve provider key %1 (it is inactive, or its "
                                                  "provider type is inactive or has no probe path)")
                                       .arg(keyId));
    return {};
}

Result<QList<HealthService::KeyHealth>> HealthService::load(std::optional<qint64> onlyKey)
{
    QString sql = QStringLiteral(
        "SELECT k.id, k.name, t.name, k.health_status, k.cooldown_until, k.invalid_reason, k.last_error, "
        "k.last_error_at, p.created_at, p.ok, p.status, p.latency_ms, p.error FROM provider_keys k "
        "JOIN provider_types t ON t.id = k.provider_type_id "
        "LEFT JOIN health_probes p ON p.id = (SELECT MAX(id) FROM health_probes WHERE provider_key_id = k.id) "
        "WHERE k.deleted_at IS NULL");
    QVariantList values;
    if (onlyKey) {
        sql += QStringLiteral(" AND k.id = ?");
        values << *onlyKey;
    }
    sql += QStringLiteral(" ORDER BY k.id");
    auto rows = m_context.database.exec(sql, values);
    if (!rows)
        return rows.error();

    const KeyTime now = m_clock.now();
    const QDateTime wallNow = QDateTime::currentDateTimeUtc();
    QList<KeyHealth> keys;
    while (rows->next()) {
        KeyHealth key;
        key.id = rows->value(0).toLongLong();
        key.name = rows->value(1).toString();
        key.providerType = rows->value(2).toString();
        if (const auto state = m_states.value(key.id)) {
            key.served = true;
            key.snapshot = state->snapshot(now);
            if (key.snapshot.coolingDownForMs > 0)
                key.cooldownUntil = wallNow.addMSecs(key.snapshot.coolingDownForMs);
            if (key.snapshot.ejectedForMs > 0)
                key.ejectedUntil = wallNow.addMSecs(key.snapshot.ejectedForMs);
            if (key.snapshot.lastErrorAgoMs)
                key.lastErrorAt = wallNow.addMSecs(-*key.snapshot.lastErrorAgoMs);
        } else {
            key.snapshot.status = statusFromColumn(rows->value(3).toString());
            key.cooldownUntil = utcFromMs(rows->value(4));
            key.snapshot.invalidReason = rows->value(5).toString();
            key.snapshot.lastError = rows->value(6).toString();
            key.lastErrorAt = utcFromMs(rows->value(7));
        }
        if (!rows->value(8).isNull()) {
            ProbeResult probe;
            probe.at = utcFromMs(rows->value(8));
            probe.ok = rows->value(9).toInt() == 1;
            if (!rows->value(10).isNull())
                probe.status = rows->value(10).toInt();
            probe.latencyMs = rows->value(11).toLongLong();
            probe.error = rows->value(12).toString();
            key.lastProbe = probe;
        }
        keys.append(key);
    }
    return keys;
}
