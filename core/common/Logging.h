#pragma once

#include <QLoggingCategory>
#include <QString>

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

namespace Logging {

enum class Format { Text, Json };

// Installs the process-wide message handler: minimum level ("debug", "info", "warning", "error") and format
// (human-readable text or one JSON object per line) on stderr.
void install(const QString& level, Format format);

// A secret shown as its first characters only: "sk-proj-abc…". Use for every key or token that reaches a log line.
QString redact(const QString& secret, int visible = 8);

} // namespace Logging
