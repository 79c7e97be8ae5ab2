#include "service/TextRules.h"

#include <QRegularExpression>

#include <algorithm>

namespace TextRules {

bool isToken(const QString& text, int maxLength)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]+$"));
    return !text.isEmpty() && text.size() <= maxLength && pattern.match(text).hasMatch();
}

bool isHeaderValue(const QString& text)
{
    return std::none_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

QString checkHeaders(const QString& field, const QJsonObject& headers)
{
    constexpr int kMaxHeaders = 50;
    if (headers.size() > kMaxHeaders)
        return QStringLiteral("'%1' may hold at most %2 headers").arg(field).arg(kMaxHeaders);
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        if (!isToken(it.key(), 100) || !it.value().isString() || it.value().toString().size() > 1000 ||
            !isHeaderValue(it.value().toString()))
            return QStringLiteral("'%1' must map header names to string values (bad entry '%2')")
                .arg(field, it.key().left(100));
    }
    return {};
}

} // namespace TextRules
