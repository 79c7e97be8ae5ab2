#include "common/Logging.h"
#include "common/LoopClock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>

Q_LOGGING_CATEGORY(lcApp, "gatehouse.app")
Q_LOGGING_CATEGORY(lcConfig, "gatehouse.config")
Q_LOGGING_CATEGORY(lcHttp, "gatehouse.http")
Q_LOGGING_CATEGORY(lcProxy, "gatehouse.proxy")
Q_LOGGING_CATEGORY(lcProviders, "gatehouse.providers")
Q_LOGGING_CATEGORY(lcBalance, "gatehouse.balance")
Q_LOGGING_CATEGORY(lcHealth, "gatehouse.health")
Q_LOGGING_CATEGORY(lcAuth, "gatehouse.auth")
Q_LOGGING_CATEGORY(lcOAuth, "gatehouse.oauth")
Q_LOGGING_CATEGORY(lcAdmin, "gatehouse.admin")
Q_LOGGING_CATEGORY(lcStorage, "gatehouse.storage")
Q_LOGGING_CATEGORY(lcCache, "gatehouse.cache")
Q_LOGGING_CATEGORY(lcCrypto, "gatehouse.crypto")
Q_LOGGING_CATEGORY(lcStats, "gatehouse.stats")
Q_LOGGING_CATEGORY(lcAccess, "gatehouse.access")

namespace Logging {
namespace {

std::atomic<int> g_minimumLevel{1};
std::atomic<bool> g_json{false};
std::atomic<bool> g_installed{false};

int rank(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 0;
    case QtInfoMsg:
        return 1;
    case QtWarningMsg:
        return 2;
    case QtCriticalMsg:
        return 3;
    case QtFatalMsg:
        return 4;
    }
    return 1;
}

const char* levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

// The bytes a line must not carry as they are: ASCII control characters, DEL included.
constexpr bool isControl(char c)
{
    return uchar(c) < 0x20 || c == 0x7f;
}

// UTF-8 text as the inside of a JSON string literal: quotes, backslashes and control characters escaped (bytes of
// multi-byte sequences are all >= 0x80 and pass unchanged).
void appendEscaped(std::string& out, std::string_view text)
{
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (isControl(c)) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(uchar(c)));
                out += escape;
            } else {
                out += c;
            }
        }
    }
}

bool hasControls(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), isControl);
}

// "2026-12-06T10:14:11.123Z". The part up to the second is formatted once per second and thread: the access log
// asks for a time per request.
void appendTime(std::string& out)
{
    thread_local qint64 cachedSecond = -1;
    thread_local std::string cachedPrefix; // "2026-12-06T10:14:11."
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (nowMs / 1000 != cachedSecond) {
        cachedSecond = nowMs / 1000;
        cachedPrefix = QDateTime::fromSecsSinceEpoch(cachedSecond, Qt::UTC).toString(Qt::ISODate).toStdString();
        cachedPrefix.pop_back(); // the 'Z'
        cachedPrefix += '.';
    }
    const int ms = int(nowMs % 1000);
    out += cachedPrefix;
    out += char('0' + ms / 100);
    out += char('0' + ms / 10 % 10);
    out += char('0' + ms % 10);
    out += 'Z';
}

// The access log's lines, one per proxied request, are written to stderr in batches, as nginx's `buffer=` does: a
// system call per request cost the workers about a tenth of their throughput. A batch goes out when it holds
// kAccessBatchBytes, every kAccessFlushMs (a timer on the thread that installed the handler), and before any other
// line, so the order of lines is kept; a crash loses at most that much of the access log (traces keep every request).
using namespace std::chrono_literals;
constexpr size_t kAccessBatchBytes = 16 * 1024;
constexpr int kAccessFlushMs = 100;
std::mutex g_accessMutex;
std::string g_accessBatch;
LoopClock::Clock::time_point g_accessBatchSince; // when its first line came

void writeOut(std::string_view bytes)
{
    std::fwrite(bytes.data(), 1, bytes.size(), stderr);
}

// With g_accessMutex held.
void flushAccessLocked()
{
    if (g_accessBatch.empty())
        return;
    writeOut(g_accessBatch);
    g_accessBatch.clear();
}

// One line on stderr. `fields` follow the message: " key=value..." in text, ",\"key\":value..." in JSON.
void write(QtMsgType type, const char* category, std::string_view message, std::string_view fields)
{
    thread_local std::string line;
    line.clear();
    line.reserve(message.size() + fields.size() + 96);
    const bool json = g_json.load(std::memory_order_relaxed);
    if (json) {
        line += "{\"time\":\"";
        appendTime(line);
        line += "\",\"level\":\"";
        line += levelName(type);
        line += "\",\"category\":\"";
        appendEscaped(line, category);
        line += "\",\"message\":\"";
        appendEscaped(line, message);
        line += '"';
        line += fields;
        line += '}';
    } else {
        appendTime(line);
        line += ' ';
        line += levelName(type);
        line += ' ';
        line += category;
        line += ": ";
        // Free text with line breaks escaped, so that no input can forge a line.
        if (hasControls(message))
            appendEscaped(line, message);
        else
            line += message;
        line += fields;
    }
    line += '\n';
    const bool access = category == std::string_view(lcAccess().categoryName());
    const auto now = LoopClock::now();
    const std::lock_guard lock(g_accessMutex);
    if (access) {
        // Flushed here too when its first line waited kAccessFlushMs, in case the timer's thread is busy.
        if (g_accessBatch.empty())
            g_accessBatchSince = now;
        g_accessBatch += line;
        if (g_accessBatch.size() >= kAccessBatchBytes || now - g_accessBatchSince >= kAccessFlushMs * 1ms)
            flushAccessLocked();
        return;
    }
    flushAccessLocked();
    writeOut(line);
}

void handler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (rank(type) >= g_minimumLevel.load(std::memory_order_relaxed))
        write(type, context.category ? context.category : "default", message.toStdString(), {});
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void install(const QString& level, Format format)
{
    static const QStringList levels{QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"),
                                    QStringLiteral("error")};
    const int index = levels.indexOf(level.toLower());
    g_minimumLevel = index < 0 ? 1 : index == 3 ? 3 : index;
    g_json = format == Format::Json;
    // Debug lines of our categories are enabled by the level, not by Qt's default rules.
    QLoggingCategory::setFilterRules(index == 0 ? QStringLiteral("gatehouse.*.debug=true")
                                                : QStringLiteral("gatehouse.*.debug=false"));
    qInstallMessageHandler(handler);
    if (!g_installed.exchange(true)) {
        std::atexit(flush);
        if (QCoreApplication::instance()) {
            auto* accessFlush = new QTimer(QCoreApplication::instance()); // on this thread, as long as the application
            QObject::connect(accessFlush, &QTimer::timeout, [] { flush(); });
            accessFlush->start(kAccessFlushMs);
        }
    }
}

void flush()
{
    const std::lock_guard lock(g_accessMutex);
    flushAccessLocked();
}

bool isJson()
{
    return g_json.load(std::memory_order_relaxed);
}

QString redact(const QString& secret, int visible)
{
    // Never more than a third of the secret, so short secrets stay secret too.
    return secret.left(qMin(visible, int(secret.size()) / 3)) + QStringLiteral("…");
}

} // namespace Logging

namespace {

// What a value's bytes ask of a line, one bit each: quotes in the text format (anything but ASCII letters, digits and
// ._:/@+-*), escapes inside quotes (what appendEscaped() changes: quotes, backslashes, control characters), and a
// conversion first (not ASCII). A value is classified in one pass over a table.
enum ValueClass : uchar { NeedsQuotes = 1, NeedsEscape = 2, NotAscii = 4 };

constexpr std::array<uchar, 256> kValueClasses = [] {
    std::array<uchar, 256> classes{};
    for (size_t c = 0; c < classes.size(); ++c) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("._:/@+-*").find(char(c)) != std::string_view::npos;
        classes[c] = (plain ? 0 : NeedsQuotes) |
                     (c == '"' || c == '\\' || Logging::isControl(char(c)) ? NeedsEscape : 0) |
                     (c >= 0x80 ? NotAscii : 0);
    }
    return classes;
}();

uchar classesOf(std::string_view text)
{
    uchar classes = 0;
    for (const char c : text)
        classes |= kValueClasses[uchar(c)];
    return classes;
}

} // namespace

LogLine::LogLine(const QLoggingCategory& category, QtMsgType type, QStringView message)
    : m_category(category), m_type(type),
      m_enabled(Logging::rank(type) >= Logging::g_minimumLevel.load(std::memory_order_relaxed) &&
                category.isEnabled(type)),
      m_json(Logging::isJson())
{
    if (!m_enabled)
        return;
    appendUtf8(message);
    m_messageLength = size();
}

LogLine::~LogLine()
{
    if (!m_enabled)
        return;
    const std::string_view line(m_begin, size());
    if (Logging::g_installed.load(std::memory_order_relaxed)) {
        Logging::write(m_type, m_category.categoryName(), line.substr(0, m_messageLength),
                       line.substr(m_messageLength));
        return;
    }
    // Another handler (a test's): the text form, through Qt.
    const QMessageLogContext context(nullptr, 0, nullptr, m_category.categoryName());
    qt_message_output(m_type == QtFatalMsg ? QtCriticalMsg : m_type, context,
                      QString::fromUtf8(line.data(), qsizetype(line.size())));
}

char* LogLine::grow(size_t bytes)
{
    const size_t used = size();
    const size_t capacity = std::max(2 * size_t(m_capacityEnd - m_begin), used + bytes);
    auto larger = std::unique_ptr<char[]>(new char[capacity]); // not zeroed: every byte is written before it is read
    std::copy(m_begin, m_end, larger.get());
    m_heap = std::move(larger);
    m_begin = m_heap.get();
    m_end = m_begin + used;
    m_capacityEnd = m_begin + capacity;
    return m_end;
}

// ASCII, as nearly every value of a log line is, narrowed in place without a conversion.
uchar LogLine::appendUtf8(QStringView text)
{
    char* const start = room(size_t(text.size()));
    char* narrow = start;
    uchar classes = 0;
    for (const QChar c : text) {
        if (c.unicode() >= 0x80) {
            m_end = start;
            const QByteArray utf8 = text.toUtf8();
            append(std::string_view(utf8.constData(), size_t(utf8.size())));
            return classesOf(std::string_view(m_end - utf8.size(), size_t(utf8.size())));
        }
        *narrow++ = char(c.unicode());
        classes |= kValueClasses[c.unicode()];
    }
    m_end = narrow;
    return classes;
}

void LogLine::quoteFrom(size_t start, uchar classes)
{
    if (!m_json && start < size() && !(classes & NeedsQuotes))
        return;
    if (!(classes & NeedsEscape)) {
        room(2);
        char* const value = m_begin + start;
        std::copy_backward(value, m_end, m_end + 1);
        *value = '"';
        m_end += 1;
        *m_end++ = '"';
        return;
    }
    std::string escaped = "\""; // escaped from the line into its own buffer, then written over the raw value
    Logging::appendEscaped(escaped, std::string_view(m_begin + start, size() - start));
    escaped += '"';
    m_end = m_begin + start;
    append(escaped);
}

void LogLine::appendValue(QStringView value)
{
    const size_t start = size();
    quoteFrom(start, appendUtf8(value));
}

void LogLine::appendValue(QByteArrayView value)
{
    // Identifiers, methods and paths are ASCII and go as they are; anything else is made valid UTF-8 first.
    const uchar classes = classesOf(std::string_view(value.data(), size_t(value.size())));
    if (classes & NotAscii)
        return appendValue(QString::fromUtf8(value));
    const size_t start = size();
    append(std::string_view(value.data(), size_t(value.size())));
    quoteFrom(start, classes);
}

void LogLine::appendValue(qint64 value)
{
    constexpr size_t kDigits = 20; // the sign and 19 digits of the longest qint64
    char* const out = room(kDigits);
    m_end = std::to_chars(out, out + kDigits, value).ptr;
}
