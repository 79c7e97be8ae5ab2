#include "service/JsonInput.h"

#include "common/ApiErrors.h"

#include <QJsonArray>

#include <cmath>

bool JsonInput::present(const QString& field, Presence presence)
{
    m_known.insert(field);
    if (m_object.contains(field) && !m_object.value(field).isNull())
        return true;
    if (presence == Required)
        problem(field, QStringLiteral("is required"));
    return false;
}

void JsonInput::problem(const QString& field, const QString& message)
{
    m_problems << QStringLiteral("'%1' %2").arg(field, message);
}

bool JsonInput::isNull(const QString& field)
{
    m_known.insert(field);
    return m_object.contains(field) && m_object.value(field).isNull();
}

std::optional<QString> JsonInput::text(const QString& field, Presence presence, int minLength, int maxLength)
{
    if (!present(field, presence))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    if (!value.isString()) {
        problem(field, QStringLiteral("must be a string"));
        return std::nullopt;
    }
    const QString string = value.toString();
    if (string.size() < minLength || string.size() > maxLength) {
        problem(field, minLength > 0 ? QStringLiteral("must be %1 to %2 characters long").arg(minLength).arg(maxLength)
                                     : QStringLiteral("must be at most %1 characters long").arg(maxLength));
        return std::nullopt;
    }
    return string;
}

std::optional<qint64> JsonInput::integer(const QString& field, Presence presence, qint64 minimum, qint64 maximum)
{
    if (!present(field, presence))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    const double number = value.toDouble(std::nan(""));
    // Doubles hold integers exactly up to 2^53; anything beyond is out of every range we accept.
    if (!value.isDouble() || std::trunc(number) != number || std::fabs(number) > 9007199254740992.0 ||
        qint64(number) < minimum || qint64(number) > maximum) {
        problem(field, QStringLiteral("must be a whole number from %1 to %2").arg(minimum).arg(maximum));
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<bool> JsonInput::boolean(const QString& field, Presence presence)
{
    if (!present(field, presence))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    if (!value.isBool()) {
        problem(field, QStringLiteral("must be true or false"));
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<QString> JsonInput::oneOf(const QString& field, Presence presence, const QStringList& allowed)
{
    const auto value = text(field, presence, 0, 200);
    if (value && !allowed.contains(*value)) {
        problem(field, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    return value;
}

std::optional<QList<qint64>> JsonInput::ids(const QString& field, Presence presence, int maxCount)
{
    if (!present(field, presence))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    const QJsonArray array = value.toArray();
    QList<qint64> result;
    bool valid = value.isArray() && array.size() <= maxCount;
    for (const QJsonValue& item : array) {
        const double number = item.toDouble(-1);
        valid = valid && item.isDouble() && number >= 1 && number <= 9007199254740992.0 && std::trunc(number) == number;
        if (valid && !result.contains(qint64(number)))
            result << qint64(number);
    }
    if (!valid) {
        problem(field, QStringLiteral("must be a list of at most %1 ids").arg(maxCount));
        return std::nullopt;
    }
    return result;
}

std::optional<QStringList> JsonInput::texts(const QString& field, Presence presence, int maxCount)
{
    if (!present(field, presence))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    const QJsonArray array = value.toArray();
    QStringList result;
    bool valid = value.isArray() && array.size() <= maxCount;
    for (const QJsonValue& item : array) {
        valid = valid && item.isString() && item.toString().size() <= 200;
        if (valid)
            result << item.toString();
    }
    if (!valid) {
        problem(field, QStringLiteral("must be a list of at most %1 strings").arg(maxCount));
        return std::nullopt;
    }
    return result;
}

std::optional<QJsonObject> JsonInput::object(const QString& field, Presence presence)
{
    if (!present(field, presence))
        return std::nullopt;
    const QJsonValue value = m_object.value(field);
    if (!value.isObject()) {
        problem(field, QStringLiteral("must be a JSON object"));
        return std::nullopt;
    }
    return value.toObject();
}

std::optional<Error> JsonInput::error() const
{
    QStringList problems = m_problems;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!m_known.contains(it.key()))
            problems << QStringLiteral("'%1' is not a known field").arg(it.key());
    }
    if (problems.isEmpty())
        return std::nullopt;
    return ApiErrors::invalid(problems.join(QStringLiteral("; ")));
}
