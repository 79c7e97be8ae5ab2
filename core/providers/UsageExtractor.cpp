#include "providers/UsageExtractor.h"

#include <QJsonDocument>

namespace {

QList<QByteArray> needles(std::initializer_list<const QList<UsagePaths::Path>*> lists)
{
    QList<QByteArray> out;
    for (const auto* list : lists) {
        for (const UsagePaths::Path& path : *list) {
            const QByteArray needle = '"' + path.last().toUtf8() + '"';
            if (!out.contains(needle))
                out.append(needle);
        }
    }
    return out;
}

bool containsAny(QByteArrayView text, const QList<QByteArray>& needles)
{
    for (const QByteArray& needle : needles) {
        if (text.contains(needle))
            return true;
    }
    return false;
}

QJsonValue valueAt(const QJsonObject& object, const UsagePaths::Path& path)
{
    QJsonValue value = object;
    for (const QString& segment : path) {
        if (!value.isObject())
            return QJsonValue::Undefined;
        value = value.toObject().value(segment);
    }
    return value;
}

std::optional<qint64> firstCount(const QJsonObject& object, const QList<UsagePaths::Path>& paths)
{
    for (const UsagePaths::Path& path : paths) {
        const QJsonValue value = valueAt(object, path);
        if (value.isDouble())
            return qint64(value.toDouble());
    }
    return std::nullopt;
}

// The model named in the request path, e.g. "gemini-2.0-flash" from "/v1beta/models/gemini-2.0-flash:generateContent"
// with the template "/models/{model}:".
QString modelFromPath(const QString& pattern, QByteArrayView requestPath)
{
    const qsizetype at = pattern.indexOf(QLatin1String("{model}"));
    if (at < 0 || requestPath.isEmpty())
        return {};
    const QByteArray prefix = pattern.left(at).toUtf8();
    const QByteArray suffix = pattern.mid(at + 7).toUtf8();
    QByteArrayView path = requestPath;
    if (const qsizetype query = path.indexOf('?'); query >= 0)
        path = path.first(query);
    const qsizetype start = path.indexOf(prefix);
    if (start < 0)
        return {};
    QByteArrayView rest = path.sliced(start + prefix.size());
    const qsizetype end = suffix.isEmpty() ? rest.indexOf('/') : rest.indexOf(suffix);
    if (end >= 0)
        rest = rest.first(end);
    else if (!suffix.isEmpty())
        return {};
    return QString::fromUtf8(QByteArray::fromPercentEncoding(rest.toByteArray()));
}

} // namespace

UsageExtractor::UsageExtractor(const UsagePaths& paths, QByteArrayView contentType, QByteArrayView requestPath)
    : m_paths(paths),
      m_mode(QByteArrayView(contentType.trimmed().toByteArray().toLower()).startsWith("text/event-stream")
                 ? Mode::Sse
                 : Mode::Json),
      m_usageNeedles(needles({&m_paths.promptTokens, &m_paths.completionTokens, &m_paths.totalTokens,
                              &m_paths.cacheReadTokens, &m_paths.cacheWriteTokens})),
      m_modelNeedles(needles({&m_paths.model})), m_pathModel(modelFromPath(paths.modelFromPath, requestPath))
{
    m_onEvent = [this](const SseEvent& event, qsizetype) {
        if (event.dispatched && event.data != "[DONE]")
            consider(event.data);
    };
    m_onObject = [this](QByteArrayView object) { consider(object); };
}

void UsageExtractor::feed(QByteArrayView bytes)
{
    if (m_mode == Mode::Sse)
        m_sse.feed(bytes, m_onEvent);
    else
        m_json.feed(bytes, m_onObject);
}

void UsageExtractor::finish()
{
    if (m_mode == Mode::Sse)
        m_sse.finish(m_onEvent);
}

void UsageExtractor::consider(QByteArrayView json)
{
    const bool wantModel = m_pathModel.isEmpty() && m_model.isEmpty();
    if (!containsAny(json, m_usageNeedles) && !(wantModel && containsAny(json, m_modelNeedles)))
        return;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray());
    if (document.isObject())
        apply(document.object());
}

void UsageExtractor::apply(const QJsonObject& object)
{
    for (const UsagePaths::Path& path : m_paths.model) {
        const QString model = valueAt(object, path).toString();
        if (!model.isEmpty()) {
            m_model = model;
            break;
        }
    }
    const QList<UsagePaths::Path>* lists[FieldCount] = {&m_paths.promptTokens, &m_paths.completionTokens,
                                                        &m_paths.totalTokens, &m_paths.cacheReadTokens,
                                                        &m_paths.cacheWriteTokens};
    for (int field = 0; field < FieldCount; ++field) {
        if (const auto count = firstCount(object, *lists[field]))
            m_values[field] = count;
    }
}

Usage UsageExtractor::usage() const
{
    Usage usage;
    usage.model = m_pathModel.isEmpty() ? m_model : m_pathModel;
    usage.sawUsage = std::any_of(m_values.begin(), m_values.end(), [](const auto& value) { return value.has_value(); });
    usage.cacheReadTokens = m_values[CacheRead].value_or(0);
    usage.cacheWriteTokens = m_values[CacheWrite].value_or(0);
    usage.promptTokens = m_values[Prompt].value_or(0);
    if (m_paths.promptExcludesCache)
        usage.promptTokens += usage.cacheReadTokens + usage.cacheWriteTokens;
    usage.completionTokens = m_values[Completion].value_or(0);
    usage.totalTokens = m_values[Total].value_or(usage.promptTokens + usage.completionTokens);
    return usage;
}
