#include "service/TraceFilter.h"

#include <QRegularExpression>

bool TraceFilter::setStatus(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^(?:([1-5])xx|([0-9]{1,3}))$"));
    const auto match = pattern.match(text.toLower());
    if (!match.hasMatch())
        return false;
    if (!match.captured(1).isEmpty()) {
        statusClass = match.captured(1).toInt();
        return true;
    }
    const int code = match.captured(2).toInt();
    if (code != 0 && (code < 100 || code > 599))
        return false;
    status = code;
    return true;
}

void TraceFilter::Sql::add(const QString& condition, const QVariantList& conditionValues)
{
    conditions << condition;
    values << conditionValues;
}

QString TraceFilter::Sql::whereClause() const
{
    return conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
}

TraceFilter::Sql TraceFilter::where() const
{
    Sql sql;
    if (fromMs)
        sql.add(QStringLiteral("created_at >= ?"), {*fromMs});
    if (toMs)
        sql.add(QStringLiteral("created_at < ?"), {*toMs});
    if (gatewayKeyId > 0)
        sql.add(QStringLiteral("gateway_key_id = ?"), {gatewayKeyId});
    if (providerKeyId > 0)
        sql.add(QStringLiteral("provider_key_id = ?"), {providerKeyId});
    if (userId > 0)
        sql.add(QStringLiteral("user_id = ?"), {userId});
    if (!model.isEmpty())
        sql.add(QStringLiteral("model = ?"), {model});
    if (status)
        sql.add(QStringLiteral("status = ?"), {*status});
    if (statusClass)
        sql.add(QStringLiteral("status >= ? AND status < ?"), {*statusClass * 100, *statusClass * 100 + 100});
    if (success)
        sql.add(QStringLiteral("success = ?"), {int(*success)});
    if (!errorKind.isEmpty())
        sql.add(QStringLiteral("error_kind = ?"), {errorKind});
    return sql;
}
