#include "providers/UsageExtractor.h"

namespace {

bool isEventStream(QByteArrayView contentType)
{
    constexpr QByteArrayView kEventStream = "text/event-stream";
    const QByteArrayView type = contentType.trimmed();
    return type.size() >= kEventStream.size() &&
           type.first(kEventStream.size()).compare(kEventStream, Qt::CaseInsensitive) == 0;
}

} // namespace

UsageExtractor::UsageExtractor(std::shared_ptr<const UsageMatcher> matcher, QByteArrayView contentType,
                               QByteArrayView requestPath, qint64 contentLength)
    : m_matcher(std::move(matcher)), m_sse(isEventStream(contentType)),
      m_pathModel(m_matcher->modelFromPath(requestPath)), m_contentLength(contentLength)
{
    m_onEvent = [this](const SseEvent& event, qsizetype) { readEvent(event); };
    m_onObject = [this](QByteArrayView object) { m_matcher->read(object, m_seen); };
}

void UsageExtractor::feed(QByteArrayView bytes)
{
    if (m_sse) {
        m_sseParser.feed(bytes, m_onEvent);
        return;
    }
    const bool wholeBody = m_received == 0 && bytes.size() == m_contentLength;
    m_received += bytes.size();
    if (wholeBody && m_matcher->readObject(bytes.trimmed(), m_seen))
        return;
    m_jsonScanner.feed(bytes, m_onObject);
}

void UsageExtractor::readEvent(const SseEvent& event)
{
    if (event.dispatched && event.data != "[DONE]") {
        ++m_events;
        m_matcher->read(event.data, m_seen);
    }
}

void UsageExtractor::finish()
{
    if (m_sse)
        m_sseParser.finish(m_onEvent);
}

Usage UsageExtractor::usage() const
{
    return m_matcher->usage(m_seen, m_pathModel);
}
