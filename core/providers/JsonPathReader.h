#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringList>

#include <cstring>
#include <functional>
#include <optional>

// Reads the values at a few dotted paths of one JSON object without building a document: members off the paths are
// skipped by a quote- and bracket-aware scan, never parsed. Several times faster than QJsonDocument on provider
// events, where the paths touch a handful of the members.
class JsonPathReader
{
public:
    struct Value
    {
        std::optional<double> number;
        QByteArray string; // raw JSON string contents, escapes decoded
        bool found = false;
    };

    explicit JsonPathReader(const QList<QStringList>& paths);

    // Values in the order of the paths given to the constructor; nullopt when json is not a well-formed object.
    std::optional<QList<Value>> read(QByteArrayView json) const;

    // Calls visit with each member of the object json holds, in order: the key as written between its quotes
    // (escapes not decoded) and the value's JSON text. False when the scan cannot read json as an object (visit may
    // have been called for the members before the fault). The scan checks brackets, quotes and separators, not the
    // values themselves: it is no validation.
    static bool forEachMember(QByteArrayView json,
                              const std::function<void(QByteArrayView key, QByteArrayView value)>& visit);

    // The quote that closes a JSON string whose contents start at `from` (quotes escaped by an odd run of
    // backslashes skipped), or null when the text ends first.
    static const char* closingQuote(const char* from, const char* end)
    {
        for (;;) {
            const auto* quote = static_cast<const char*>(std::memchr(from, '"', size_t(end - from)));
            if (!quote)
                return nullptr;
            const char* backslash = quote;
            while (backslash > from && backslash[-1] == '\\')
                --backslash;
            if ((quote - backslash) % 2 == 0) // an even run of backslashes does not escape the quote
                return quote;
            from = quote + 1;
        }
    }

private:
    struct Node
    {
        QByteArray key;
        QList<int> children;
        QList<int> paths; // indexes of the paths ending here
    };

    class Cursor;

    QList<Node> m_nodes; // m_nodes[0] is the root object
    qsizetype m_pathCount = 0;
};
