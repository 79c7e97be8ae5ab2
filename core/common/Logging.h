#pragma once

#include <QLoggingCategory>
#include <QString>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

// One logging category per subsystem, with dotted names, so `QT_LOGGING_RULES=gatehouse.proxy.debug=true` works.
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcProxy)
Q_DECLARE_LOGGING_CATEGORY(lcProviders)
Q_DECLARE_LOGGING_CATEGORY(lcBalance)
Q_DECLARE_LOGGING_CATEGORY(lcHealth)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcOAuth)
Q_DECLARE_LOGGING_CATEGORY(lcAdmin)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcCache)
Q_DECLARE_LOGGING_CATEGORY(lcCrypto)
Q_DECLARE_LOGGING_CATEGORY(lcStats)
Q_DECLARE_LOGGING_CATEGORY(lcAccess) // the access log: one line per proxied request

namespace Logging {

enum class Format { Text, Json };

// Installs the process-wide message handler: minimum level ("debug", "info", "warning", "error") and format
// (human-readable text or one JSON object per line) on stderr.
void install(const QString& level, Format format);

// A secret shown as its first characters only: "sk-proj-abc…". Use for every key or token that reaches a log line.
QString redact(const QString& secret, int visible = 8);

bool isJson();

// Writes the access log lines still held in the batch (see Logging.cpp); the handler does so itself every 100 ms,
// before any other line, and at exit.
void flush();

} // namespace Logging

// One log line with named fields, rendered for the installed format: as text `message key=value key="two words"`
// (a value that is not a plain word is a JSON string literal, so a value cannot forge a line or a field), as JSON
// members of the line's object next to "message". Written when it goes out of scope; costs nothing when the
// category does not log `type`.
//     LogLine(lcProxy(), QtInfoMsg, u"retry").field("request_id", id).field("to_key_id", keyId);
class LogLine
{
public:
    LogLine(const QLoggingCategory& category, QtMsgType type, QStringView message);
    ~LogLine();
    LogLine(const LogLine&) = delete;
    LogLine& operator=(const LogLine&) = delete;

    // The key is written here, where its length is known when it is a literal (nearly always), the value in
    // Logging.cpp.
    LogLine& field(std::string_view key, QStringView value)
    {
        if (appendKey(key))
            appendValue(value);
        return *this;
    }
    LogLine& field(std::string_view key, const QString& value) { return field(key, QStringView(value)); }
    // u"text": without it the pointer would take the bool overload.
    LogLine& field(std::string_view key, const char16_t* value) { return field(key, QStringView(value)); }
    // Any other pointer (u8"", QChar*, wchar_t*...) would too: refused at compile time.
    template <typename T> LogLine& field(std::string_view key, const T* value) = delete;
    LogLine& field(std::string_view key, QByteArrayView value) // UTF-8
    {
        if (appendKey(key))
            appendValue(value);
        return *this;
    }
    LogLine& field(std::string_view key, const QByteArray& value) { return field(key, QByteArrayView(value)); }
    LogLine& field(std::string_view key, const char* value) { return field(key, QByteArrayView(value)); }
    LogLine& field(std::string_view key, qint64 value)
    {
        if (appendKey(key))
            appendValue(value);
        return *this;
    }
    LogLine& field(std::string_view key, int value) { return field(key, qint64(value)); }
    LogLine& field(std::string_view key, bool value)
    {
        if (appendKey(key))
            append(value ? "true" : "false");
        return *this;
    }

private:
    // The line is written into m_inline, or a larger buffer from the heap once it outgrows that: an access log line
    // (one per proxied request) fits, and costs no allocation and no capacity bookkeeping of a std::string per piece.
    size_t size() const { return size_t(m_end - m_begin); }
    // Where `bytes` more can be written; the caller moves m_end past what it wrote.
    char* room(size_t bytes) { return size_t(m_capacityEnd - m_end) >= bytes ? m_end : grow(bytes); }
    char* grow(size_t bytes);
    void append(std::string_view bytes) { m_end = std::copy(bytes.begin(), bytes.end(), room(bytes.size())); }
    // Appends text as UTF-8 and returns its classes (what its bytes need, see Logging.cpp).
    uchar appendUtf8(QStringView text);
    // The key and its separators in the installed format; false when the line is not written at all.
    bool appendKey(std::string_view key)
    {
        if (!m_enabled)
            return false;
        char* out = room(key.size() + 4); // JSON takes four more: ,"key":
        if (m_json) {
            *out++ = ',';
            *out++ = '"';
        } else {
            *out++ = ' ';
        }
        out = std::copy(key.begin(), key.end(), out);
        if (m_json) {
            *out++ = '"';
            *out++ = ':';
        } else {
            *out++ = '=';
        }
        m_end = out;
        return true;
    }
    void appendValue(QStringView value);
    void appendValue(QByteArrayView value);
    void appendValue(qint64 value);
    // The value the line holds from `start` on, appended as it is (valid UTF-8), quoted and escaped if the format asks
    // for its classes.
    void quoteFrom(size_t start, uchar classes);

    const QLoggingCategory& m_category;
    QtMsgType m_type;
    bool m_enabled;
    bool m_json;
    // UTF-8: the message, then the fields in the installed format
    char* m_begin = m_inline;
    char* m_end = m_inline;
    char* m_capacityEnd = m_inline + sizeof m_inline;
    std::unique_ptr<char[]> m_heap;
    size_t m_messageLength = 0;
    char m_inline[768];
};
