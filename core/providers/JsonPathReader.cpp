#include "providers/JsonPathReader.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <charconv>
#include <cstring>

class JsonPathReader::Cursor
{
public:
    explicit Cursor(QByteArrayView json) : m_p(json.data()), m_end(json.data() + json.size()) {}

    // Calls consume(key) for each member of the object under the cursor, with the cursor on the member's value,
    // which consume must pass (false: it could not). The key is raw: without its quotes, escapes not decoded. Inlined:
    // the usage reader's object() runs through it per response (3% slower as a call, BenchUsageExtractor).
    template <typename Consume> [[gnu::always_inline]] bool members(Consume consume)
    {
        if (!take('{'))
            return false;
        skipSpace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        for (;;) {
            skipSpace();
            const char* keyStart = m_p + 1;
            if (!string())
                return false;
            const QByteArrayView key(keyStart, m_p - 1 - keyStart);
            if (!take(':'))
                return false;
            skipSpace();
            if (!consume(key))
                return false;
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            return take('}');
        }
    }

    bool object(const QList<Node>& nodes, int node, QList<Value>& values)
    {
        return members([&](QByteArrayView key) { // a key with escapes matches no path
            int child = -1;
            for (int candidate : nodes[node].children) {
                if (nodes[candidate].key == key) {
                    child = candidate;
                    break;
                }
            }
            if (child >= 0 && m_p < m_end && *m_p == '{' && !nodes[child].children.isEmpty())
                return object(nodes, child, values);
            if (child >= 0 && !nodes[child].paths.isEmpty()) {
                Value value;
                if (!scalar(value))
                    return false;
                for (int path : nodes[child].paths)
                    values[path] = value;
                return true;
            }
            return skipValue();
        });
    }

    // Past the value under the cursor, which `raw` is set to.
    bool value(QByteArrayView& raw)
    {
        const char* start = m_p;
        if (!skipValue())
            return false;
        raw = QByteArrayView(start, m_p - start);
        return true;
    }

    bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool take(char c)
    {
        skipSpace();
        if (m_p == m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }

    // Past a string starting at the quote under the cursor.
    bool string()
    {
        if (m_p == m_end || *m_p != '"')
            return false;
        const char* quote = closingQuote(m_p + 1, m_end);
        if (!quote)
            return false;
        m_p = quote + 1;
        return true;
    }

    bool skipValue()
    {
        if (m_p == m_end)
            return false;
        if (*m_p == '"')
            return string();
        if (*m_p != '{' && *m_p != '[') {
            const char* start = m_p;
            while (m_p < m_end && *m_p != ',' && *m_p != '}' && *m_p != ']' && *m_p != ' ' && *m_p != '\n' &&
                   *m_p != '\r' && *m_p != '\t')
                ++m_p;
            return m_p > start;
        }
        int depth = 0;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '"') {
                if (!string())
                    return false;
                continue;
            }
            ++m_p;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return true;
        }
        return false;
    }

    bool scalar(Value& value)
    {
        const char* start = m_p;
        if (m_p < m_end && *m_p == '"') {
            if (!string())
                return false;
            const QByteArrayView raw(start + 1, m_p - 1 - (start + 1));
            if (raw.contains('\\')) { // rare: let Qt decode the escapes
                const QByteArray array = '[' + QByteArray(start, m_p - start) + ']';
                value.string = QJsonDocument::fromJson(array).array().at(0).toString().toUtf8();
            } else {
                value.string = raw.toByteArray();
            }
            value.found = true;
            return true;
        }
        if (!skipValue())
            return false;
        double number = 0;
        const auto [end, error] = std::from_chars(start, m_p, number);
        if (error == std::errc() && end == m_p) {
            value.number = number;
            value.found = true;
        }
        return true;
    }

    const char* m_p;
    const char* m_end;
};

JsonPathReader::JsonPathReader(const QList<QStringList>& paths) : m_pathCount(paths.size())
{
    m_nodes.append(Node{});
    for (qsizetype index = 0; index < paths.size(); ++index) {
        int node = 0;
        for (const QString& segment : paths[index]) {
            const QByteArray key = segment.toUtf8();
            int next = -1;
            for (int child : m_nodes[node].children) {
                if (m_nodes[child].key == key)
                    next = child;
            }
            if (next < 0) {
                next = int(m_nodes.size());
                m_nodes.append(Node{key, {}, {}});
                m_nodes[node].children.append(next);
            }
            node = next;
        }
        m_nodes[node].paths.append(int(index));
    }
}

std::optional<QList<JsonPathReader::Value>> JsonPathReader::read(QByteArrayView json) const
{
    QList<Value> values(m_pathCount);
    Cursor cursor(json);
    if (!cursor.object(m_nodes, 0, values) || !cursor.atEnd())
        return std::nullopt;
    return values;
}

bool JsonPathReader::forEachMember(QByteArrayView json,
                                   const std::function<void(QByteArrayView key, QByteArrayView value)>& visit)
{
    Cursor cursor(json);
    const bool read = cursor.members([&](QByteArrayView key) {
        QByteArrayView value;
        if (!cursor.value(value))
            return false;
        visit(key, value);
        return true;
    });
    return read && cursor.atEnd();
}
