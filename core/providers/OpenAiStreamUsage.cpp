#include "providers/OpenAiStreamUsage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

bool isUsageChunk(const SseEvent& event)
{
    if (!event.dispatched || !event.data.contains("\"usage\""))
        return false;
    const QJsonObject chunk = QJsonDocument::fromJson(event.data).object();
    const QJsonValue choices = chunk.value(QLatin1String("choices"));
    const bool noChoices =
        choices.isUndefined() || choices.isNull() || (choices.isArray() && choices.toArray().isEmpty());
    return noChoices && chunk.value(QLatin1String("usage")).isObject();
}

// Takes out the "usage":null member that include_usage adds to every chunk (OpenAI writes compact JSON; the spaced
// form is for compatible servers). A quote inside a JSON string is escaped, so these bytes only occur as a member.
void removeNullUsage(QByteArray& block)
{
    static const QByteArray forms[] = {",\"usage\":null", ",\"usage\": null", "\"usage\":null,", "\"usage\": null,"};
    if (!block.contains("\"usage\""))
        return;
    for (const QByteArray& form : forms) {
        const qsizetype at = block.indexOf(form);
        if (at >= 0) {
            block.remove(at, form.size());
            return;
        }
    }
}

} // namespace

std::optional<QByteArray> OpenAiStreamUsage::requestWithUsage(QByteArrayView path, const QByteArray& body)
{
    if (const qsizetype query = path.indexOf('?'); query >= 0)
        path = path.first(query);
    if (!path.endsWith("/chat/completions"))
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    QJsonObject request = document.object();
    if (!document.isObject() || request.value(QLatin1String("stream")) != QJsonValue(true))
        return std::nullopt;
    const QJsonValue options = request.value(QLatin1String("stream_options"));
    if (options.isObject()) {
        QJsonObject changed = options.toObject();
        if (changed.value(QLatin1String("include_usage")) == QJsonValue(true))
            return std::nullopt;
        changed.insert(QLatin1String("include_usage"), true);
        request.insert(QLatin1String("stream_options"), changed);
        return QJsonDocument(request).toJson(QJsonDocument::Compact);
    }
    if (!options.isUndefined()) { // null or another type: replace it
        request.insert(QLatin1String("stream_options"), QJsonObject{{QLatin1String("include_usage"), true}});
        return QJsonDocument(request).toJson(QJsonDocument::Compact);
    }
    const qsizetype brace = body.indexOf('{');
    QByteArray rewritten = body;
    rewritten.insert(brace + 1, "\"stream_options\":{\"include_usage\":true},");
    return rewritten;
}

QByteArray OpenAiStreamUsage::filter(QByteArrayView upstreamBytes)
{
    QByteArray out;
    qsizetype start = 0;
    m_parser.feed(upstreamBytes, [&](const SseEvent& event, qsizetype end) {
        takeBlock(event, upstreamBytes.sliced(start, end - start), out);
        start = end;
    });
    const QByteArrayView tail = upstreamBytes.sliced(start);
    if (m_passThrough) {
        out.append(tail);
    } else if (m_held.size() + tail.size() > kMaxHeldBytes) {
        out.append(m_held);
        out.append(tail);
        m_held.clear();
        m_passThrough = true;
    } else {
        m_held.append(tail);
    }
    return out;
}

QByteArray OpenAiStreamUsage::finish()
{
    QByteArray out;
    m_parser.finish([&](const SseEvent& event, qsizetype) { takeBlock(event, {}, out); });
    out.append(m_held); // an unterminated event reaches the client as the provider sent it
    m_held.clear();
    return out;
}

void OpenAiStreamUsage::takeBlock(const SseEvent& event, QByteArrayView rest, QByteArray& out)
{
    if (m_passThrough) {
        out.append(rest);
        m_passThrough = false;
        return;
    }
    m_held.append(rest);
    if (!isUsageChunk(event)) {
        removeNullUsage(m_held);
        out.append(m_held);
    }
    m_held.resize(0);
}
