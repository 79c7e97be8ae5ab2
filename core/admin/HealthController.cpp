#include "admin/HealthController.h"

#include "admin/ApiRouter.h"
#include "service/HealthService.h"

namespace {

QJsonValue isoTime(const QDateTime& time)
{
    return time.isValid() ? QJsonValue(time.toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonObject toJson(const HealthService::KeyHealth& key)
{
    const KeyHealthSnapshot& s = key.snapshot;
    QJsonObject lastProbe;
    if (key.lastProbe) {
        lastProbe = QJsonObject{
            {QStringLiteral("at"), isoTime(key.lastProbe->at)},
            {QStringLiteral("ok"), key.lastProbe->ok},
            {QStringLiteral("status"), key.lastProbe->status ? QJsonValue(*key.lastProbe->status) : QJsonValue()},
            {QStringLiteral("latencyMs"), key.lastProbe->latencyMs},
            {QStringLiteral("error"),
             key.lastProbe->error.isEmpty() ? QJsonValue() : QJsonValue(key.lastProbe->error)}};
    }
    const auto text = [](const QString& value) { return value.isEmpty() ? QJsonValue() : QJsonValue(value); };
    return QJsonObject{
        {QStringLiteral("id"), key.id},
        {QStringLiteral("name"), key.name},
        {QStringLiteral("providerType"), key.providerType},
        {QStringLiteral("served"), key.served},
        {QStringLiteral("status"), KeyHealthSnapshot::statusName(s.status)},
        {QStringLiteral("cooldownUntil"), isoTime(key.cooldownUntil)},
        {QStringLiteral("ejectedUntil"), isoTime(key.ejectedUntil)},
        {QStringLiteral("inFlight"), s.inFlight},
        {QStringLiteral("latencyEwmaMs"), s.latencyEwmaMs ? QJsonValue(*s.latencyEwmaMs) : QJsonValue()},
        {QStringLiteral("errorRate"), s.errorRate},
        {QStringLiteral("consecutiveFailures"), s.consecutiveFailures},
        {QStringLiteral("successes"), qint64(s.successes)},
        {QStringLiteral("failures"), qint64(s.failures)},
        {QStringLiteral("invalidReason"), text(s.invalidReason)},
        {QStringLiteral("lastError"), text(s.lastError)},
        {QStringLiteral("lastErrorAt"), isoTime(key.lastErrorAt)},
        {QStringLiteral("lastProbe"), key.lastProbe ? QJsonValue(lastProbe) : QJsonValue()},
    };
}

} // namespace

void HealthController::addRoutes(ApiRouter& router)
{
    router.add(
        "GET", QStringLiteral("/api/health"), ApiRouter::Access::Authenticated,
        [this](ApiRequest& request) -> ApiResult {
            auto keys = m_health.list(request.actor);
            if (!keys)
                return keys.error();
            QJsonArray out;
            for (const auto& key : *keys)
                out.append(toJson(key));
            return ApiReply::ok(QJsonObject{{QStringLiteral("keys"), out}, {QStringLiteral("redis"), m_redis()}});
        });
    router.add("POST", QStringLiteral("/api/health/{id}/reset"), ApiRouter::Access::Authenticated,
               [this](ApiRequest& request) -> ApiResult {
                   auto id = request.id();
                   if (!id)
                       return id.error();
                   auto key = m_health.reset(request.actor, *id);
                   if (!key)
                       return key.error();
                   return ApiReply::ok(toJson(*key));
               });
    router.add(
        "POST", QStringLiteral("/api/health/{id}/probe"), ApiRouter::Access::Authenticated,
        [this](ApiRequest& request) -> ApiResult {
            auto id = request.id();
            if (!id)
                return id.error();
            if (auto probing = m_health.probe(request.actor, *id); !probing)
                return probing.error();
            return ApiReply::accepted(QJsonObject{{QStringLiteral("id"), *id}, {QStringLiteral("probing"), true}});
        });
}
