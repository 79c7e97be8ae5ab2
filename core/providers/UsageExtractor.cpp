#include "providers/UsageExtractor.h"

#include <cstring>

namespace {

QList<QByteArray> lastKeys(std::initializer_list<const QList<UsagePaths::Path>*> lists)
{
    QList<QByteArray> out;
    for (const auto* list : lists) {
        for (const UsagePaths::Path& path : *list) {
            const QByteArray key = path.last().toUtf8();
            if (!out.contains(key))
                out.append(key);
        }
    }
    return out;
}

// Whether text holds one of the keys as a quoted string. One pass: memchr from quote to quote, and a key compare
// only where the byte after the quote can start a key. A quote inside a string may give a false positive, which
// costs a JSON parse, never a wrong answer.
bool containsQuoted(QByteArrayView text, const QList<QByteArray>& keys, const std::bitset<256>& firstBytes)
{
    if (text.isEmpty())
        return false;
    const char* p = text.data();
    const char* const end = p + text.size();
    while ((p = static_cast<const char*>(std::memchr(p, '"', size_t(end - p))))) {
        ++p;
        if (p == end)
            return false;
        if (!firstBytes.test(uchar(*p)))
            continue;
        for (const QByteArray& key : keys) {
            if (end - p > key.size() && std::memcmp(p, key.constData(), size_t(key.size())) == 0 &&
                p[key.size()] == '"')
                return true;
        }
    }
    return false;
}

std::bitset<256> firstBytesOf(const QList<QByteArray>& keys)
{
    std::bitset<256> bits;
    for (const QByteArray& key : keys) {
        if (!key.isEmpty())
            bits.set(uchar(key.front()));
    }
    return bits;
}

// Every path of the model and of the five counts, in that order, for one JsonPathReader.
QList<QStringList> allPaths(const UsagePaths& paths)
{
    return paths.model + paths.promptTokens + paths.completionTokens + paths.totalTokens + paths.cacheReadTokens +
           paths.cacheWriteTokens;
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
      m_usageKeys(lastKeys({&m_paths.promptTokens, &m_paths.completionTokens, &m_paths.totalTokens,
                            &m_paths.cacheReadTokens, &m_paths.cacheWriteTokens})),
      m_modelKeys(lastKeys({&m_paths.model})), m_usageFirstBytes(firstBytesOf(m_usageKeys)),
      m_modelFirstBytes(firstBytesOf(m_modelKeys)), m_pathModel(modelFromPath(paths.modelFromPath, requestPath)),
      m_reader(allPaths(paths))
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
    if (!containsQuoted(json, m_usageKeys, m_usageFirstBytes) &&
        !(wantModel && containsQuoted(json, m_modelKeys, m_modelFirstBytes)))
        return;
    const auto values = m_reader.read(json);
    if (!values)
        return;
    qsizetype index = 0;
    for (qsizetype end = index + m_paths.model.size(); index < end; ++index) {
        if (!values->at(index).string.isEmpty()) {
            m_model = QString::fromUtf8(values->at(index).string);
            break;
        }
    }
    index = m_paths.model.size();
    const QList<UsagePaths::Path>* lists[FieldCount] = {&m_paths.promptTokens, &m_paths.completionTokens,
                                                        &m_paths.totalTokens, &m_paths.cacheReadTokens,
                                                        &m_paths.cacheWriteTokens};
    for (int field = 0; field < FieldCount; ++field) {
        const qsizetype end = index + lists[field]->size();
        for (; index < end; ++index) {
            if (values->at(index).number) {
                m_values[field] = qint64(*values->at(index).number);
                break;
            }
        }
        index = end;
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
