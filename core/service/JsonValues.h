#pragma once

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QVariant>

#include <optional>

// Conversions between stored values and the admin API's JSON: times as ISO 8601 UTC strings, SQL NULL as null.
namespace JsonValues {

// A BIGINT milliseconds column as "2026-11-26T18:00:00.000Z", or null.
inline QJsonValue time(const QVariant& milliseconds)
{
    if (milliseconds.isNull())
        return QJsonValue::Null;
    return QDateTime::fromMSecsSinceEpoch(milliseconds.toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs);
}

// An ISO 8601 time with a zone ("...Z" or "+01:00") as milliseconds since the epoch.
inline std::optional<qint64> parseTime(const QString& text)
{
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid() || parsed.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    return parsed.toMSecsSinceEpoch();
}

inline QJsonValue integer(const QVariant& value)
{
    return value.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(value.toLongLong());
}

inline QJsonValue text(const QVariant& value)
{
    return value.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(value.toString());
}

// A JSON document stored in a TEXT column.
inline QJsonObject object(const QVariant& value)
{
    return QJsonDocument::fromJson(value.toString().toUtf8()).object();
}

inline QString compact(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// A typed SQL NULL to bind (QPSQL needs the type).
inline QVariant nullInteger()
{
    return QVariant(QMetaType::fromType<qint64>());
}

inline QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

} // namespace JsonValues
