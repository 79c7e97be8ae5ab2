#include "http/HttpHeaders.h"

bool HttpHeaders::contains(QByteArrayView name) const
{
    for (const Field& field : m_fields) {
        if (sameName(field.first, name))
            return true;
    }
    return false;
}

QByteArray HttpHeaders::value(QByteArrayView name) const
{
    for (const Field& field : m_fields) {
        if (sameName(field.first, name))
            return field.second;
    }
    return {};
}

QList<QByteArray> HttpHeaders::values(QByteArrayView name) const
{
    QList<QByteArray> result;
    for (const Field& field : m_fields) {
        if (sameName(field.first, name))
            result.append(field.second);
    }
    return result;
}

void HttpHeaders::set(const QByteArray& name, const QByteArray& value)
{
    remove(name);
    append(name, value);
}

void HttpHeaders::remove(QByteArrayView name)
{
    m_fields.removeIf([name](const Field& field) { return sameName(field.first, name); });
}

bool HttpHeaders::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const Field& field : m_fields) {
        if (!sameName(field.first, name))
            continue;
        QByteArrayView rest(field.second);
        while (!rest.isEmpty()) {
            const qsizetype comma = rest.indexOf(',');
            const QByteArrayView part = comma < 0 ? rest : rest.first(comma);
            if (sameName(part.trimmed(), token))
                return true;
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    }
    return false;
}

void HttpHeaders::writeField(QByteArray& head, QByteArrayView name, QByteArrayView value)
{
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
}
