#include "providers/OpenAiStreamUsage.h"

#include "providers/JsonPathReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

namespace {

// The chunk's "usage" member: where its key's quote and its value start. OpenAI writes compact JSON; compatible
// servers may put spaces around it. A quote inside a JSON string is escaped, so these bytes only occur as a member.
struct UsageMember
{
    qsizetype key = -1;
    qsizetype value = -1;
};

UsageMember findUsage(QByteArrayView block)
{
    if (block.isEmpty())
        return {};
    const void* found = memmem(block.data(), size_t(block.size()), "\"usage\":", 8);
    if (!found)
        return {};
    const qsizetype key = static_cast<const char*>(found) - block.data();
    qsizetype value = key + 8;
    while (value < block.size() && block[value] == ' ')
        ++value;
    return {key, value};
}

// The raw values of two top-level members of json (null views when absent; the last of a name counts, as providers
// read it), or nullopt when the scan cannot settle them: json not read as an object, or a key written with escapes
// (it may name either). What it returns nullopt for goes to a QJsonDocument parse.
std::optional<std::pair<QByteArrayView, QByteArrayView>> twoMembers(QByteArrayView json, QByteArrayView first,
                                                                    QByteArrayView second)
{
    std::pair<QByteArrayView, QByteArrayView> values;
    bool escapedKey = false;
    const bool scanned = JsonPathReader::forEachMember(json, [&](QByteArrayView key, QByteArrayView value) {
        if (key == first)
            values.first = value;
        else if (key == second)
            values.second = value;
        escapedKey = escapedKey || key.contains('\\');
    });
    if (!scanned || escapedKey)
        return std::nullopt;
    return values;
}

// The chunk include_usage adds at the end: choices empty (or absent, as some compatible servers send it) and usage
// set. Decided by a scan of the top-level members; a parse only for what the scan cannot settle (a key written with
// escapes, a chunk the scan does not read as an object): the parse cost more than the rest of the stream's filtering.
bool isUsageChunk(const SseEvent& event)
{
    const UsageMember usage = findUsage(event.data);
    if (!event.dispatched || usage.key < 0 || usage.value >= event.data.size() || event.data[usage.value] != '{')
        return false;
    if (const auto members = twoMembers(event.data, "choices", "usage")) {
        const auto [choices, usageValue] = *members;
        const bool noChoices =
            choices.isNull() || choices == "null" || (choices.startsWith('[') && choices.sliced(1).trimmed() == "]");
        return noChoices && usageValue.startsWith('{');
    }
    const QJsonObject chunk = QJsonDocument::fromJson(event.data).object();
    const QJsonValue choicesValue = chunk.value(QLatin1String("choices"));
    return (choicesValue.isUndefined() || choicesValue.isNull() ||
            (choicesValue.isArray() && choicesValue.toArray().isEmpty())) &&
           chunk.value(QLatin1String("usage")).isObject();
}

// Takes out the "usage":null member that include_usage adds to every other chunk, with the comma that joined it.
// False when the block has no such member.
bool removeNullUsage(QByteArray& block)
{
    const UsageMember usage = findUsage(block);
    if (usage.key < 0 || !QByteArrayView(block).sliced(usage.value).startsWith("null"))
        return false;
    qsizetype from = usage.key;
    qsizetype to = usage.value + 4;
    while (from > 0 && block[from - 1] == ' ')
        --from;
    if (from > 0 && block[from - 1] == ',') {
        --from;
    } else {
        from = usage.key;
        if (to < block.size() && block[to] == ',') {
            ++to;
            while (to < block.size() && block[to] == ' ')
                ++to;
        }
    }
    block.remove(from, to - from);
    return true;
}

} // namespace

bool OpenAiStreamUsage::addUsageOption(QByteArrayView path, QByteArray& body)
{
    if (const qsizetype query = path.indexOf('?'); query >= 0)
        path = path.first(query);
    if (!path.endsWith("/chat/completions"))
        return false;
    // Most requests do not stream: without the bytes "stream" no member can be named so, unless the name is
    // written with \u escapes. Either is rare enough to pay for the parse. (std::string_view searches with memchr,
    // several times faster than QByteArray::contains on a request body.)
    const std::string_view text(body.constData(), size_t(body.size()));
    if (text.find("\"stream\"") == text.npos && text.find("\\u") == text.npos)
        return false;
    // The option goes in as the last member, before the closing brace: only the bytes after it move (when the buffer
    // has room, as a body grown by appends mostly has), where the first place copied the whole body (a chat's
    // history, tens of kilobytes).
    const auto addOptionLast = [&body] {
        body.insert(body.lastIndexOf('}'), ",\"stream_options\":{\"include_usage\":true}");
        return true;
    };
    // Most streamed requests name no stream_options: the members are scanned, not parsed (a chat's history makes the
    // body tens of kilobytes, which QJsonDocument took 200 us to parse per 22 KB). What the scan cannot settle goes
    // to the parse: a key written with escapes, stream_options given, a body the scan does not read as an object.
    // The scan validates no value: a body that is not JSON inside gets the option too, and the provider refuses it.
    if (const auto members = twoMembers(body, "stream", "stream_options")) {
        const auto [stream, givenOptions] = *members;
        if (stream != "true")
            return false;
        if (givenOptions.isNull())
            return addOptionLast();
    }
    const QJsonDocument document = QJsonDocument::fromJson(body);
    QJsonObject request = document.object();
    if (!document.isObject() || request.value(QLatin1String("stream")) != QJsonValue(true))
        return false;
    const QJsonValue options = request.value(QLatin1String("stream_options"));
    if (options.isUndefined())
        return addOptionLast();               // the object has a member (stream): the comma joins the option to it
    QJsonObject changed = options.toObject(); // null or another type: replaced by an object
    if (changed.value(QLatin1String("include_usage")) == QJsonValue(true))
        return false;
    changed.insert(QLatin1String("include_usage"), true);
    request.insert(QLatin1String("stream_options"), changed);
    body = QJsonDocument(request).toJson(QJsonDocument::Compact);
    return true;
}

QByteArray OpenAiStreamUsage::filter(QByteArrayView upstreamBytes, QList<SseEvent>* events)
{
    QByteArray out;
    qsizetype start = 0;
    m_parser.feed(upstreamBytes, [&](const SseEvent& event, qsizetype end) {
        takeBlock(event, upstreamBytes.sliced(start, end - start), out);
        if (events)
            events->append(event);
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

QByteArray OpenAiStreamUsage::finish(QList<SseEvent>* events)
{
    QByteArray out;
    m_parser.finish([&](const SseEvent& event, qsizetype) {
        takeBlock(event, {}, out);
        if (events)
            events->append(event);
    });
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
    if (removeNullUsage(m_held) || !isUsageChunk(event)) // most chunks have "usage":null: one search settles them
        out.append(m_held);
    m_held.resize(0);
}
