#include "http/HttpHeaders.h"

#include <cstring>

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
    // One resize and plain copies: four appends cost several times more (a head has a dozen fields or two).
    const qsizetype at = head.size();
    head.resize(at + name.size() + 2 + value.size() + 2);
    char* out = head.data() + at;
    if (!name.isEmpty()) // memcpy from a null pointer is undefined even for no bytes
        std::memcpy(out, name.data(), size_t(name.size()));
    out += name.size();
    *out++ = ':';
    *out++ = ' ';
    if (!value.isEmpty())
        std::memcpy(out, value.data(), size_t(value.size()));
    out += value.size();
    *out++ = '\r';
    *out = '\n';
}
