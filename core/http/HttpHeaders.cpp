#include "http/HttpHeaders.h"

HttpHeaders::HttpHeaders(std::initializer_list<std::pair<QByteArrayView, QByteArrayView>> fields)
{
    qsizetype bytes = 0;
    for (const auto& [name, value] : fields)
        bytes += name.size() + value.size();
    reserve(qsizetype(fields.size()), bytes);
    for (const auto& [name, value] : fields)
        append(name, value);
}

bool HttpHeaders::operator==(const HttpHeaders& other) const
{
    return std::equal(begin(), end(), other.begin(), other.end(),
                      [](const Field& a, const Field& b) { return a.name == b.name && a.value == b.value; });
}

bool HttpHeaders::contains(QByteArrayView name) const
{
    return std::any_of(begin(), end(), [name](const Field& field) { return sameName(field.name, name); });
}

QByteArrayView HttpHeaders::value(QByteArrayView name) const
{
    for (const Field& field : *this) {
        if (sameName(field.name, name))
            return field.value;
    }
    return {};
}

QList<QByteArrayView> HttpHeaders::values(QByteArrayView name) const
{
    QList<QByteArrayView> result;
    for (const Field& field : *this) {
        if (sameName(field.name, name))
            result.append(field.value);
    }
    return result;
}

void HttpHeaders::reserve(qsizetype fields, qsizetype bytes)
{
    m_spans.reserve(size_t(fields));
    m_bytes.reserve(bytes);
}

qsizetype HttpHeaders::appendBytes(QByteArrayView first, QByteArrayView second)
{
    // Either may be a view into the buffer (a field copied within these headers), which growing it may move.
    const auto offsetInBuffer = [this](QByteArrayView bytes) -> qsizetype {
        const char* start = m_bytes.constData();
        return bytes.data() >= start && bytes.data() < start + m_bytes.size() ? bytes.data() - start : -1;
    };
    const qsizetype firstFrom = offsetInBuffer(first);
    const qsizetype secondFrom = offsetInBuffer(second);
    const qsizetype at = m_bytes.size();
    m_bytes.resize(at + first.size() + second.size());
    char* buffer = m_bytes.data();
    char* const end = copyBytes(buffer + at, firstFrom >= 0 ? buffer + firstFrom : first.data(), first.size());
    copyBytes(end, secondFrom >= 0 ? buffer + secondFrom : second.data(), second.size());
    return at;
}

void HttpHeaders::append(QByteArrayView name, QByteArrayView value)
{
    const qsizetype at = appendBytes(name, value);
    m_spans.push_back({at, name.size(), at + name.size(), value.size()});
}

void HttpHeaders::set(QByteArrayView name, QByteArrayView value)
{
    remove(name);
    append(name, value);
}

void HttpHeaders::remove(QByteArrayView name)
{
    removeIf([name](QByteArrayView fieldName) { return sameName(fieldName, name); });
}

void HttpHeaders::appendToLastName(QByteArrayView piece)
{
    Span& last = m_spans.back();
    Q_ASSERT(last.valueSize == 0 && last.nameAt + last.nameSize == m_bytes.size());
    appendBytes(piece);
    last.nameSize += piece.size();
    last.valueAt = m_bytes.size();
}

void HttpHeaders::appendToLastValue(QByteArrayView piece)
{
    Span& last = m_spans.back();
    Q_ASSERT(last.valueAt + last.valueSize == m_bytes.size());
    appendBytes(piece);
    last.valueSize += piece.size();
}

void HttpHeaders::readFrom(QByteArray head, qsizetype fields)
{
    Q_ASSERT(m_spans.empty());
    m_spans.reserve(size_t(fields));
    m_bytes = std::move(head);
}

void HttpHeaders::appendToLastValueAt(qsizetype at, qsizetype size)
{
    Span& last = m_spans.back();
    Q_ASSERT(at >= 0 && at + size <= m_bytes.size());
    if (last.valueSize == 0) {
        last.valueAt = at;
    } else if (last.valueAt + last.valueSize != at) {
        // Pieces apart in the head: the value so far and this piece, together at the end of the buffer.
        last.valueAt = appendBytes(QByteArrayView(m_bytes.constData() + last.valueAt, last.valueSize),
                                   QByteArrayView(m_bytes.constData() + at, size));
    }
    last.valueSize += size;
}

bool HttpHeaders::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const Field& field : *this) {
        if (!sameName(field.name, name))
            continue;
        QByteArrayView rest = field.value;
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

void HttpHeaders::writeLine(QByteArray& head, std::initializer_list<QByteArrayView> parts)
{
    qsizetype length = 2;
    for (const QByteArrayView part : parts)
        length += part.size();
    const qsizetype at = head.size();
    head.resize(at + length);
    char* out = head.data() + at;
    for (const QByteArrayView part : parts)
        out = copyBytes(out, part.data(), part.size());
    *out++ = '\r';
    *out = '\n';
}
