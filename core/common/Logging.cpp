#include "common/Logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <atomic>
#include <cstdio>

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

// LogLine passes this as the context's function; the context's line is then the length of the message before the
// fields.
const char kFieldsMarker[] = "gatehouse-log-fields";

void appendJsonString(QString& out, QStringView text)
{
    out += u'"';
    for (const QChar c : text) {
        if (c == u'"' || c == u'\\') {
            out += u'\\';
            out += c;
        } else if (c == u'\n') {
            out += QLatin1String("\\n");
        } else if (c == u'\r') {
            out += QLatin1String("\\r");
        } else if (c == u'\t') {
            out += QLatin1String("\\t");
        } else if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    out += u'"';
}

// Free text in a text line: line breaks and other control characters escaped, so no input can forge a line.
QString escapeControls(const QString& text)
{
    if (std::none_of(text.begin(), text.end(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; }))
        return text;
    QString quoted;
    appendJsonString(quoted, text);
    return quoted.mid(1, quoted.size() - 2);
}

void handler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (rank(type) < g_minimumLevel.load(std::memory_order_relaxed))
        return;
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const char* category = context.category ? context.category : "default";
    const bool structured = context.function == kFieldsMarker;
    QString line;
    if (g_json.load(std::memory_order_relaxed)) {
        const qsizetype messageLength = structured ? context.line : message.size();
        line =
            QStringLiteral("{\"time\":\"%1\",\"level\":\"%2\",\"category\":").arg(time, QLatin1String(levelName(type)));
        appendJsonString(line, QString::fromLatin1(category));
        line += QLatin1String(",\"message\":");
        appendJsonString(line, QStringView(message).left(messageLength));
        if (structured)
            line += QStringView(message).mid(messageLength); // ,"key":value...
        line += u'}';
    } else {
        line = QStringLiteral("%1 %2 %3: %4")
                   .arg(time, QLatin1String(levelName(type)), QLatin1String(category),
                        structured ? message : escapeControls(message));
    }
    line += u'\n';
    const QByteArray bytes = line.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
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

LogLine::LogLine(const QLoggingCategory& category, QtMsgType type, QStringView message)
    : m_category(category), m_type(type), m_enabled(category.isEnabled(type)), m_json(Logging::isJson())
{
    if (!m_enabled)
        return;
    m_line = m_json ? message.toString() : Logging::escapeControls(message.toString());
    m_messageLength = int(m_line.size());
}

LogLine::~LogLine()
{
    if (!m_enabled)
        return;
    QMessageLogger logger(nullptr, m_messageLength, Logging::kFieldsMarker, m_category.categoryName());
    switch (m_type) {
    case QtDebugMsg:
        logger.debug().noquote() << m_line;
        break;
    case QtInfoMsg:
        logger.info().noquote() << m_line;
        break;
    case QtWarningMsg:
        logger.warning().noquote() << m_line;
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        logger.critical().noquote() << m_line;
        break;
    }
}

void LogLine::append(const char* key, QStringView raw)
{
    m_line += m_json ? QLatin1String(",\"") : QLatin1String(" ");
    m_line += QLatin1String(key);
    m_line += m_json ? QLatin1String("\":") : QLatin1String("=");
    m_line += raw;
}

LogLine& LogLine::field(const char* key, QStringView value)
{
    if (!m_enabled)
        return *this;
    const bool plain = !m_json && !value.isEmpty() && std::all_of(value.begin(), value.end(), [](QChar c) {
        return c.isLetterOrNumber() || QStringView(u"._:/@+-*").contains(c);
    });
    if (plain) {
        append(key, value);
    } else {
        QString quoted;
        Logging::appendJsonString(quoted, value);
        append(key, quoted);
    }
    return *this;
}

LogLine& LogLine::field(const char* key, qint64 value)
{
    if (m_enabled)
        append(key, QString::number(value));
    return *this;
}

LogLine& LogLine::field(const char* key, bool value)
{
    if (m_enabled)
        append(key, value ? QStringLiteral("true") : QStringLiteral("false"));
    return *this;
}
