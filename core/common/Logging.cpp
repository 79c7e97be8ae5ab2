#include "common/Logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

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

namespace Logging {
namespace {

std::atomic<int> g_minimumLevel{1};
std::atomic<bool> g_json{false};

int rank(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return 0;
    case QtInfoMsg: return 1;
    case QtWarningMsg: return 2;
    case QtCriticalMsg: return 3;
    case QtFatalMsg: return 4;
    }
    return 1;
}

const char* levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (rank(type) < g_minimumLevel.load(std::memory_order_relaxed))
        return;
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const char* category = context.category ? context.category : "default";
    QByteArray line;
    if (g_json.load(std::memory_order_relaxed)) {
        const QJsonObject object{{QStringLiteral("time"), time},
                                 {QStringLiteral("level"), QLatin1String(levelName(type))},
                                 {QStringLiteral("category"), QLatin1String(category)},
                                 {QStringLiteral("message"), message}};
        line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    } else {
        line = QStringLiteral("%1 %2 %3: %4").arg(time, QLatin1String(levelName(type)), QLatin1String(category), message).toUtf8();
    }
    line += '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
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

QString redact(const QString& secret, int visible)
{
    // Never more than a third of the secret, so short secrets stay secret too.
    return secret.left(qMin(visible, int(secret.size()) / 3)) + QStringLiteral("…");
}

} // namespace Logging
