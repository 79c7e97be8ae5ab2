#include "service/QueryInput.h"

#include "common/ApiErrors.h"

#include <QDateTime>
#include <QRegularExpression>

#include <limits>

QueryInput::QueryInput(const QUrlQuery& query) : m_query(query) {}

std::optional<QString> QueryInput::value(const QString& name)
{
    m_known.insert(name);
    const QStringList values = m_query.allQueryItemValues(name, QUrl::FullyDecoded);
    if (values.isEmpty())
        return std::nullopt;
    if (values.size() > 1) {
        reject(name, QStringLiteral("is given more than once"));
        return std::nullopt;
    }
    return values.first();
}

void QueryInput::reject(const QString& name, const QString& message)
{
    m_problems << QStringLiteral("'%1' %2").arg(name, message);
}

std::optional<qint64> QueryInput::integer(const QString& name, qint64 minimum, qint64 maximum)
{
    const auto text = value(name);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const qint64 number = text->toLongLong(&ok);
    if (!ok || number < minimum || number > maximum) {
        reject(name, QStringLiteral("must be a whole number from %1 to %2").arg(minimum).arg(maximum));
        return std::nullopt;
    }
    return number;
}

std::optional<qint64> QueryInput::id(const QString& name)
{
    return integer(name, 1, std::numeric_limits<qint64>::max());
}

std::optional<qint64> QueryInput::time(const QString& name)
{
    const auto text = value(name);
    if (!text)
        return std::nullopt;
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,15}$"));
    if (digits.match(*text).hasMatch())
        return text->toLongLong();
    QDateTime time = QDateTime::fromString(*text, Qt::ISODateWithMs);
    if (!time.isValid()) {
        reject(name, QStringLiteral("must be an ISO 8601 time such as 2026-11-26T18:00:00Z or milliseconds since "
                                    "the epoch"));
        return std::nullopt;
    }
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC);
    return time.toMSecsSinceEpoch();
}

std::optional<QString> QueryInput::text(const QString& name, int maxLength, int minLength)
{
    const auto text = value(name);
    if (text && (text->size() < minLength || text->size() > maxLength)) {
        reject(name, QStringLiteral("must be %1 to %2 characters long").arg(minLength).arg(maxLength));
        return std::nullopt;
    }
    return text;
}

std::optional<bool> QueryInput::boolean(const QString& name)
{
    const auto text = value(name);
    if (!text)
        return std::nullopt;
    if (*text == QLatin1String("true") || *text == QLatin1String("1"))
        return true;
    if (*text == QLatin1String("false") || *text == QLatin1String("0"))
        return false;
    reject(name, QStringLiteral("must be true or false"));
    return std::nullopt;
}

std::optional<QString> QueryInput::oneOf(const QString& name, const QStringList& allowed)
{
    const auto text = value(name);
    if (text && !allowed.contains(*text)) {
        reject(name, QStringLiteral("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    return text;
}

std::optional<Error> QueryInput::error() const
{
    QStringList problems = m_problems;
    const auto items = m_query.queryItems(QUrl::FullyDecoded);
    QSet<QString> reported;
    for (const auto& [name, value] : items) {
        if (!m_known.contains(name) && !reported.contains(name)) {
            reported.insert(name);
            problems << QStringLiteral("'%1' is not a known query parameter").arg(name);
        }
    }
    if (problems.isEmpty())
        return std::nullopt;
    return ApiErrors::invalid(QStringLiteral("invalid query: %1").arg(problems.join(QStringLiteral("; "))));
}
