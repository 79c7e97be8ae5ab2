#include "providers/UsagePaths.h"

#include <QJsonArray>

namespace {

Result<QList<UsagePaths::Path>> pathList(const QJsonObject& json, const QString& key)
{
    QList<UsagePaths::Path> paths;
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return paths;
    if (!value.isArray())
        return Error::make(QStringLiteral("invalid_argument"), QStringLiteral("usage.%1 must be a list").arg(key));
    for (const QJsonValue& item : value.toArray()) {
        const QString dotted = item.toString();
        const QStringList segments = dotted.split(QLatin1Char('.'));
        if (dotted.isEmpty() || segments.contains(QString()))
            return Error::make(QStringLiteral("invalid_argument"),
                               QStringLiteral("usage.%1 holds an invalid path").arg(key));
        paths.append(segments);
    }
    return paths;
}

} // namespace

Result<UsagePaths> UsagePaths::fromJson(const QJsonObject& json)
{
    UsagePaths usage;
    const std::pair<QString, QList<Path>*> lists[] = {
        {QStringLiteral("model"), &usage.model},
        {QStringLiteral("prompt_tokens"), &usage.promptTokens},
        {QStringLiteral("completion_tokens"), &usage.completionTokens},
        {QStringLiteral("total_tokens"), &usage.totalTokens},
        {QStringLiteral("cache_read_tokens"), &usage.cacheReadTokens},
        {QStringLiteral("cache_write_tokens"), &usage.cacheWriteTokens},
    };
    for (const auto& [key, target] : lists) {
        auto paths = pathList(json, key);
        if (!paths)
            return paths.error();
        *target = std::move(paths).value();
    }
    usage.modelFromPath = json.value(QStringLiteral("model_from_path")).toString();
    if (!usage.modelFromPath.isEmpty() && !usage.modelFromPath.contains(QLatin1String("{model}")))
        return Error::make(QStringLiteral("invalid_argument"),
                           QStringLiteral("usage.model_from_path must contain {model}"));
    usage.promptExcludesCache = json.value(QStringLiteral("prompt_excludes_cache")).toBool(false);
    return usage;
}
