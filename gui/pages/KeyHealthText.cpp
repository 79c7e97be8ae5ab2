#include "pages/KeyHealthText.h"

#include <QDateTime>
#include <QJsonValue>
#include <QLocale>

namespace {

QString timeOfDay(const QJsonValue& iso)
{
    return QLocale().toString(QDateTime::fromString(iso.toString(), Qt::ISODateWithMs).toLocalTime().time(),
                              QStringLiteral("HH:mm:ss"));
}

} // namespace

QString KeyHealthText::status(const QJsonObject& health)
{
    const QString status = health.value(QLatin1String("status")).toString();
    if (status == QLatin1String("cooling_down"))
        return tr("Cooling down until %1").arg(timeOfDay(health.value(QLatin1String("cooldownUntil"))));
    if (status == QLatin1String("ejected"))
        return tr("Ejected until %1").arg(timeOfDay(health.value(QLatin1String("ejectedUntil"))));
    if (status == QLatin1String("invalid"))
        return tr("Invalid: %1").arg(health.value(QLatin1String("invalidReason")).toString());
    return tr("Healthy");
}

QString KeyHealthText::lastProbe(const QJsonObject& health)
{
    const QJsonObject probe = health.value(QLatin1String("lastProbe")).toObject();
    if (probe.isEmpty())
        return tr("—");
    const QString when = timeOfDay(probe.value(QLatin1String("at")));
    if (probe.value(QLatin1String("ok")).toBool())
        return tr("OK at %1 (%2 ms)").arg(when).arg(probe.value(QLatin1String("latencyMs")).toInteger());
    const QJsonValue status = probe.value(QLatin1String("status"));
    return tr("Failed at %1: %2")
        .arg(when,
             status.isNull() ? probe.value(QLatin1String("error")).toString() : tr("HTTP %1").arg(status.toInt()));
}
