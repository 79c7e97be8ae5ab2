#pragma once

#include "providers/JsonElementScanner.h"
#include "providers/SseParser.h"
#include "providers/Usage.h"
#include "providers/UsageMatcher.h"

#include <QByteArrayView>

#include <memory>

// Reads the model and the token usage from one response body while it streams to the client, as the provider
// type's usage paths describe (ProviderProfile::usageMatcher). By Content-Type:
// - text/event-stream: each complete "data:" event (JSON) is matched against the paths; per field the last value
//   seen wins (OpenAI's final usage chunk, Anthropic's message_start then message_delta, Gemini's cumulative
//   usageMetadata, the responses API's response.completed). Only the current event is held, up to 1 MiB; larger
//   events are skipped.
// - application/json (and anything else that starts with { or [): the body object, or each element of a top-level
//   array (Gemini's non-SSE stream), is matched as it completes, through JsonElementScanner: members over 256 KiB
//   are skipped and objects over 8 MiB are not parsed.
// Events and objects that contain none of the paths' last keys as a whole JSON string are not parsed at all; the others
// go through JsonPathReader, which skips every member off the paths. A JSON body that arrives whole in its first piece
// (the response's Content-Length, given to the constructor, tells), as most plain answers do, is read in one parse
// without the scanner, unless it is not one object. The model named in the request path (Gemini's "/models/{model}:")
// wins over the one in the body. Usage: feed() every body piece, finish() at the end, then usage(). Measured: about
// 1-1.6 us of CPU per KiB of SSE (tests/bench/BenchUsageExtractor).
class UsageExtractor
{
public:
    UsageExtractor(std::shared_ptr<const UsageMatcher> matcher, QByteArrayView contentType,
                   QByteArrayView requestPath = {}, qint64 contentLength = -1);

    void feed(QByteArrayView bytes);
    // An event of the stream that another parser read (OpenAiStreamUsage::filter), in place of feed() for its bytes.
    void readEvent(const SseEvent& event);
    void finish();
    Usage usage() const;
    // Data events of an event stream so far ("[DONE]" aside): about one generated token each in OpenAI's and
    // Anthropic's streams, several in Gemini's. What an answer cut short is estimated from.
    qint64 events() const { return m_events; }

private:
    std::shared_ptr<const UsageMatcher> m_matcher;
    bool m_sse;
    QString m_pathModel;
    qint64 m_contentLength;
    qint64 m_received = 0;
    qint64 m_events = 0;
    UsageMatcher::Seen m_seen;
    SseParser m_sseParser;
    JsonElementScanner m_jsonScanner;
    SseParser::Handler m_onEvent;
    JsonElementScanner::Handler m_onObject;
};
