#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

// An ordered list of header fields as they appear on the wire; lookups ignore the case of names.
class HttpHeaders
{
public:
    using Field = QPair<QByteArray, QByteArray>;

    HttpHeaders() = default;
    HttpHeaders(std::initializer_list<Field> fields) : m_fields(fields) {}

    const QList<Field>& fields() const { return m_fields; }
    int size() const { return int(m_fields.size()); }
    bool isEmpty() const { return m_fields.isEmpty(); }
    bool operator==(const HttpHeaders& other) const = default;

    bool contains(QByteArrayView name) const;
    // The first value of the field, or a null QByteArray when absent.
    QByteArray value(QByteArrayView name) const;
    QList<QByteArray> values(QByteArrayView name) const;

    void reserve(qsizetype fields) { m_fields.reserve(fields); }
    void append(const QByteArray& name, const QByteArray& value) { m_fields.append({name, value}); }
    // Replaces every field of that name by one with this value.
    void set(const QByteArray& name, const QByteArray& value);
    void remove(QByteArrayView name);
    // For parsers that receive a field in pieces.
    void appendToLastName(QByteArrayView piece) { m_fields.last().first.append(piece); }
    void appendToLastValue(QByteArrayView piece) { m_fields.last().second.append(piece); }

    // True when a comma-separated field value list (e.g. Connection) contains this token, case-insensitively.
    bool hasToken(QByteArrayView name, QByteArrayView token) const;

    // Field names are compared without regard to case; names of another length are told apart without a compare.
    static bool sameName(QByteArrayView a, QByteArrayView b)
    {
        return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
    }
    // Appends "name: value" and CR LF to a message head being written.
    static void writeField(QByteArray& head, QByteArrayView name, QByteArrayView value);

private:
    QList<Field> m_fields;
};
