#pragma once

#include "providers/SseParser.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// Makes every streamed OpenAI chat completion report its usage, without the client noticing. A client that did not
// set stream_options.include_usage gets it set upstream (requestWithUsage); the response then goes through
// filter(), which takes out what that option added: the final usage chunk (choices empty, usage set) and the
// "usage":null member of every other chunk. The UsageExtractor reads the upstream bytes, before the filter.
// The filter works event by event: complete events pass at once, only an incomplete event is held (up to 64 KiB;
// a larger one cannot be the usage chunk and passes through as it comes, unchanged).
//
//   if (auto body = OpenAiStreamUsage::requestWithUsage(path, clientBody)) { forward *body; filter = enabled }
//   on each upstream piece: extractor.feed(piece); client.write(filter ? filter->filter(piece) : piece);
//   at the end: client.write(filter->finish());
class OpenAiStreamUsage
{
public:
    static constexpr qsizetype kMaxHeldBytes = 64 * 1024;

    // The body to forward instead of the client's, or nullopt to forward it unchanged: the path does not end in
    // /chat/completions, the body is not a JSON object with "stream": true, or it already asks for usage. The
    // option is inserted as the first member, leaving the client's bytes as they were; when the client sent a
    // stream_options object of its own, the body is re-serialized with include_usage set in it.
    static std::optional<QByteArray> requestWithUsage(QByteArrayView path, const QByteArray& body);

    QByteArray filter(QByteArrayView upstreamBytes);
    QByteArray finish();

private:
    void takeBlock(const SseEvent& event, QByteArrayView rest, QByteArray& out);

    SseParser m_parser;
    QByteArray m_held;          // the start of the current, incomplete event
    bool m_passThrough = false; // the current event went over kMaxHeldBytes: its bytes pass unchanged
};
