#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <utility>
#include <vector>

// An ordered list of header fields as they appear on the wire; lookups ignore the case of names.
//
// The bytes of all fields live in one buffer and a field is a pair of views into it, so a parsed head of a dozen
// fields costs two allocations rather than two per field; a head parsed whole is that buffer (readFrom()). A view stays
// valid until these headers change or go away: what must outlive them is copied (toByteArray()). Copies share the
// buffer until one of them changes; where the fields are in it is copied (a std::vector: adding a field is a few
// instructions, where a QList checked whether it was shared each time, and the proxy adds some 40 a request).
class HttpHeaders
{
public:
    struct Field
    {
        QByteArrayView name;
        QByteArrayView value;
    };

    class Iterator
    {
    public:
        using iterator_category = std::input_iterator_tag; // fields are made on the fly, as values
        using value_type = Field;
        using difference_type = qsizetype;
        using pointer = void;
        using reference = Field;

        Iterator(const HttpHeaders* headers, qsizetype index) : m_headers(headers), m_index(index) {}
        Field operator*() const { return m_headers->at(m_index); }
        Iterator& operator++()
        {
            ++m_index;
            return *this;
        }
        bool operator==(const Iterator& other) const { return m_index == other.m_index; }

    private:
        const HttpHeaders* m_headers;
        qsizetype m_index;
    };

    HttpHeaders() = default;
    HttpHeaders(std::initializer_list<std::pair<QByteArrayView, QByteArrayView>> fields);

    Field at(qsizetype index) const
    {
        Q_ASSERT(index >= 0 && size_t(index) < m_spans.size());
        const Span& span = m_spans[size_t(index)];
        const char* bytes = m_bytes.constData();
        return {QByteArrayView(bytes + span.nameAt, span.nameSize),
                QByteArrayView(bytes + span.valueAt, span.valueSize)};
    }
    Iterator begin() const { return Iterator(this, 0); }
    Iterator end() const { return Iterator(this, qsizetype(m_spans.size())); }
    int size() const { return int(m_spans.size()); }
    // The most these fields take as lines of a head ("name: value" and CR LF each): what to reserve for them.
    qsizetype lineBytesBound() const { return m_bytes.size() + 4 * qsizetype(m_spans.size()); }
    bool isEmpty() const { return m_spans.empty(); }
    // The same fields in the same order.
    bool operator==(const HttpHeaders& other) const;

    bool contains(QByteArrayView name) const;
    // The first value of the field, or a null view when absent (a present empty value is empty, not null).
    QByteArrayView value(QByteArrayView name) const;
    QList<QByteArrayView> values(QByteArrayView name) const;

    // Room for this many fields of this many bytes in all, so that building a head allocates once for each.
    void reserve(qsizetype fields, qsizetype bytes);
    void append(QByteArrayView name, QByteArrayView value);
    // Replaces every field of that name by one with this value.
    void set(QByteArrayView name, QByteArrayView value);
    void remove(QByteArrayView name);
    // Removes the fields whose names the predicate accepts (their bytes stay in the buffer, shared with any copy).
    template <typename Predicate> void removeIf(Predicate byName)
    {
        std::erase_if(m_spans, [this, &byName](const Span& span) {
            return byName(QByteArrayView(m_bytes.constData() + span.nameAt, span.nameSize));
        });
    }
    // These fields but those whose names `dropped` accepts, with room for `moreFields` more of `moreBytes` bytes: the
    // kept fields share this buffer, copied once with the room, where appending them copied each (a request from an
    // SDK has 15 to 20 fields).
    template <typename Predicate>
    HttpHeaders filtered(Predicate dropped, qsizetype moreFields, qsizetype moreBytes) const
    {
        return afterField({}, {}, dropped, moreFields, moreBytes);
    }
    // The same, after one field (name, value) when the name is not empty.
    template <typename Predicate>
    HttpHeaders afterField(QByteArrayView name, QByteArrayView value, Predicate dropped, qsizetype moreFields,
                           qsizetype moreBytes) const
    {
        HttpHeaders out;
        out.m_bytes = m_bytes;
        out.reserve(qsizetype(m_spans.size()) + 1 + moreFields,
                    m_bytes.size() + name.size() + value.size() + moreBytes);
        if (!name.isEmpty())
            out.append(name, value);
        for (const Span& span : m_spans) {
            if (!dropped(QByteArrayView(m_bytes.constData() + span.nameAt, span.nameSize)))
                out.m_spans.push_back(span);
        }
        return out;
    }
    // For parsers that receive a field in pieces: the name's pieces, then the value's, before the next field.
    void appendToLastName(QByteArrayView piece);
    void appendToLastValue(QByteArrayView piece);
    // For a parser of a head held whole in one buffer: empty headers keep `head` (shared, not copied), with room for
    // `fields` fields, and each field is where its name and value are in it. A name comes in one piece, then its
    // value's pieces, at their offsets in `head`; only a value whose pieces lie apart is copied (put together).
    void readFrom(QByteArray head, qsizetype fields);
    void appendNameAt(qsizetype at, qsizetype size)
    {
        Q_ASSERT(at >= 0 && at + size <= m_bytes.size());
        m_spans.push_back({at, size, at + size, 0});
    }
    void appendToLastValueAt(qsizetype at, qsizetype size);

    // True when a comma-separated field value list (e.g. Connection) contains this token, case-insensitively.
    bool hasToken(QByteArrayView name, QByteArrayView token) const;

    // Field names are compared without regard to case; names of another length are told apart without a compare.
    // Names are ASCII tokens (RFC 9110 section 5.1), so only ASCII letters have a case: a plain loop is several
    // times cheaper than a general case-insensitive compare, and the gateway compares names a few hundred times a
    // request.
    static bool sameName(QByteArrayView a, QByteArrayView b)
    {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            const char x = a[i];
            const char y = b[i];
            if (x == y)
                continue;
            const char lower = char(x | 0x20);
            if (lower != char(y | 0x20) || lower < 'a' || lower > 'z')
                return false;
        }
        return true;
    }
    // Appends the parts and CR LF to a message head being written, with one resize: appending piece by piece costs
    // several times more (a head has a dozen lines or two).
    static void writeLine(QByteArray& head, std::initializer_list<QByteArrayView> parts);
    // Appends "name: value" and CR LF.
    static void writeField(QByteArray& head, QByteArrayView name, QByteArrayView value)
    {
        writeLine(head, {name, ": ", value});
    }
    // Appends the fields but those whose names `skipped` accepts, as lines of a head, with one resize: a line at a
    // time cost a resize each, and the proxy writes two heads of a dozen fields or two for every request.
    template <typename Predicate> void writeTo(QByteArray& head, Predicate skipped) const
    {
        const qsizetype at = head.size();
        head.resize(at + lineBytesBound());
        char* out = head.data() + at;
        const char* bytes = m_bytes.constData();
        for (const Span& span : m_spans) {
            if (skipped(QByteArrayView(bytes + span.nameAt, span.nameSize)))
                continue;
            out = copyBytes(out, bytes + span.nameAt, span.nameSize);
            *out++ = ':';
            *out++ = ' ';
            out = copyBytes(out, bytes + span.valueAt, span.valueSize);
            *out++ = '\r';
            *out++ = '\n';
        }
        head.resize(out - head.constData());
    }

private:
    struct Span
    {
        qsizetype nameAt;
        qsizetype nameSize;
        qsizetype valueAt;
        qsizetype valueSize;
    };

    // memcpy, and the end of what it wrote; nothing for no bytes (memcpy from a null pointer is undefined even then).
    static char* copyBytes(char* to, const char* from, qsizetype size)
    {
        if (size > 0)
            std::memcpy(to, from, size_t(size));
        return to + size;
    }
    // Appends both to the buffer, one after the other, and returns where the first starts.
    qsizetype appendBytes(QByteArrayView first, QByteArrayView second = {});

    QByteArray m_bytes;
    std::vector<Span> m_spans;
};
