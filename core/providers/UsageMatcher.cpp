#include "providers/UsageMatcher.h"

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

// Whether text (a whole JSON value) holds one of the keys as a string. One pass from string to string, with memchr
// to each closing quote, and a compare only for a string as long as a key: comparing at every quote cost more than
// the rest of reading a stream chunk (OpenAI's have a quote every ten bytes). A value that equals a key gives a false
// positive, which costs a JSON parse, never a wrong answer. (A string with escapes never equals a key: keys hold none.)
bool containsQuoted(QByteArrayView text, const QList<QByteArray>& keys, const std::bitset<256>& lengths)
{
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end && (p = static_cast<const char*>(std::memchr(p, '"', size_t(end - p))))) {
        const char* const start = p + 1;
        const char* const close = JsonPathReader::closingQuote(start, end);
        if (!close)
            return false;
        p = close + 1;
        const qsizetype length = close - start;
        if (!lengths.test(size_t(qMin(length, qsizetype(lengths.size() - 1)))))
            continue;
        for (const QByteArray& key : keys) {
            if (key.size() == length && std::memcmp(start, key.constData(), size_t(length)) == 0)
                return true;
        }
    }
    return false;
}

// Bit n: a key n bytes long; the last bit stands for every longer length too.
std::bitset<256> lengthsOf(const QList<QByteArray>& keys)
{
    std::bitset<256> bits;
    for (const QByteArray& key : keys)
        bits.set(size_t(qMin(key.size(), qsizetype(bits.size() - 1))));
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

UsageMatcher::UsageMatcher(const UsagePaths& paths)
    : m_paths(paths), m_usageKeys(lastKeys({&m_paths.promptTokens, &m_paths.completionTokens, &m_paths.totalTokens,
                                            &m_paths.cacheReadTokens, &m_paths.cacheWriteTokens})),
      m_modelKeys(lastKeys({&m_paths.model})), m_usageKeyLengths(lengthsOf(m_usageKeys)),
      m_modelKeyLengths(lengthsOf(m_modelKeys)), m_reader(allPaths(paths))
{}

QString UsageMatcher::modelFromPath(QByteArrayView requestPath) const
{
    return ::modelFromPath(m_paths.modelFromPath, requestPath);
}

bool UsageMatcher::read(QByteArrayView json, Seen& seen) const
{
    if (!containsQuoted(json, m_usageKeys, m_usageKeyLengths) &&
        !(seen.model.isEmpty() && containsQuoted(json, m_modelKeys, m_modelKeyLengths)))
        return true;
    return readObject(json, seen);
}

bool UsageMatcher::readObject(QByteArrayView json, Seen& seen) const
{
    const auto values = m_reader.read(json);
    if (!values)
        return false;
    qsizetype index = 0;
    for (const qsizetype end = m_paths.model.size(); index < end; ++index) {
        if (!values->at(index).string.isEmpty()) {
            seen.model = QString::fromUtf8(values->at(index).string);
            break;
        }
    }
    index = m_paths.model.size();
    const QList<UsagePaths::Path>* lists[] = {&m_paths.promptTokens, &m_paths.completionTokens, &m_paths.totalTokens,
                                              &m_paths.cacheReadTokens, &m_paths.cacheWriteTokens};
    for (size_t field = 0; field < seen.counts.size(); ++field) {
        const qsizetype end = index + lists[field]->size();
        for (; index < end; ++index) {
            if (values->at(index).number) {
                seen.counts[field] = qint64(*values->at(index).number);
                break;
            }
        }
        index = end;
    }
    return true;
}

Usage UsageMatcher::usage(const Seen& seen, const QString& pathModel) const
{
    Usage usage;
    usage.model = pathModel.isEmpty() ? seen.model : pathModel;
    usage.sawUsage = std::any_of(seen.counts.begin(), seen.counts.end(), [](const auto& c) { return c.has_value(); });
    usage.tokens.prompt = seen.counts[0].value_or(0);
    usage.tokens.completion = seen.counts[1].value_or(0);
    usage.tokens.cacheRead = seen.counts[3].value_or(0);
    usage.tokens.cacheWrite = seen.counts[4].value_or(0);
    if (m_paths.promptExcludesCache)
        usage.tokens.prompt += usage.tokens.cacheRead + usage.tokens.cacheWrite;
    usage.tokens.total = seen.counts[2].value_or(usage.tokens.prompt + usage.tokens.completion);
    return usage;
}
