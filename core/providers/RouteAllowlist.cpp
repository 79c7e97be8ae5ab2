#include "providers/RouteAllowlist.h"

#include <QRegularExpression>
#include <QVarLengthArray>

#include <algorithm>

Result<RouteAllowlist> RouteAllowlist::fromJson(const QJsonValue& routes)
{
    RouteAllowlist allowlist;
    if (routes.isNull() || routes.isUndefined())
        return allowlist;
    const auto invalid = [](const QString& message) {
        return Error::make(QStringLiteral("invalid_argument"), message);
    };
    if (!routes.isArray() || routes.toArray().size() > kMaxRoutes)
        return invalid(
            QStringLiteral("'allowedRoutes' must be a list of at most %1 \"METHOD /path\" entries").arg(kMaxRoutes));
    static const QRegularExpression kShape(QStringLiteral(R"(^(\*|[A-Z]{1,16}) (/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)$)"));
    allowlist.m_everything = false;
    for (const QJsonValue& entry : routes.toArray()) {
        const QRegularExpressionMatch match = kShape.match(entry.toString());
        if (!match.hasMatch())
            return invalid(QStringLiteral("'allowedRoutes' entry '%1' is not \"METHOD /path\", e.g. "
                                          "\"POST /v1/chat/completions\" or \"GET /v1/models/*\"")
                               .arg(entry.toString().left(100)));
        allowlist.m_patterns.append(entry.toString());
        allowlist.m_routes.append(Route{match.captured(1).toLatin1(), match.captured(2).toLatin1().mid(1).split('/')});
    }
    return allowlist;
}

bool RouteAllowlist::segmentMatches(QByteArrayView pattern, QByteArrayView segment)
{
    const qsizetype star = pattern.indexOf('*');
    if (star < 0)
        return pattern == segment;
    // One '*' per segment is what the patterns need; more stars are matched as literal characters after the first.
    const QByteArrayView prefix = pattern.first(star);
    const QByteArrayView suffix = pattern.sliced(star + 1);
    return segment.size() > prefix.size() + suffix.size() && segment.startsWith(prefix) && segment.endsWith(suffix);
}

bool RouteAllowlist::allows(QByteArrayView method, QByteArrayView path) const
{
    if (m_everything)
        return true;
    if (!path.startsWith('/'))
        return false; // "*" of OPTIONS
    QVarLengthArray<QByteArrayView, 8> segments;
    for (qsizetype at = 1;;) {
        const qsizetype end = path.indexOf('/', at);
        segments.append(end < 0 ? path.sliced(at) : path.sliced(at, end - at));
        if (end < 0)
            break;
        at = end + 1;
    }
    return std::any_of(m_routes.begin(), m_routes.end(), [&](const Route& route) {
        return (route.method == "*" || route.method == method) && route.segments.size() == segments.size() &&
               std::equal(route.segments.begin(), route.segments.end(), segments.begin(), segmentMatches);
    });
}
