#pragma once

#include "providers/SseParser.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// Makes every streamed OpenAI chat completion report its usage, without the client noticing. A client that did not
// set stream_options.include_usage gets it set upstream (addUsageOption); the response then goes through
// filter(), which takes out what that option added: the final usage chunk (choices empty, usage set) and the
// "usage":null member of every other chunk. The UsageExtractor reads the events the filter parsed, as the upstream sent
// them.
// The filter works event by event: complete events pass at once, only an incomplete event is held (up to 64 KiB;
// a larger one cannot be the usage chunk and passes through as it comes, unchanged).
//
//   if (OpenAiStreamUsage::addUsageOption(path, body)) { filter = enabled }   forward body
//   on each upstream piece: client.write(filter->filter(piece, &events)); each event: extractor.readEvent(event)
//   at the end: client.write(filter->finish(&events)); each event: extractor.readEvent(event)
class OpenAiStreamUsage
{
public:
    static constexpr qsizetype kMaxHeldBytes = 64 * 1024;

    // Changes the body to ask for usage and returns true, or returns false and leaves it: the path does not end in
    // /chat/completions, the body is not a JSON object with "stream": true, or it already asks for usage. The
    // option is inserted as the last member, leaving the client's bytes as they were; when the client sent a
    // stream_options of its own, the body is re-serialized with include_usage set in it.
    static bool addUsageOption(QByteArrayView path, QByteArray& body);

    // What goes to the client of these bytes; `events`, when given, gets each event parsed on the way, in order, for a
    // UsageExtractor to read (readEvent()) instead of parsing the stream a second time.
    QByteArray filter(QByteArrayView upstreamBytes, QList<SseEvent>* events = nullptr);
    QByteArray finish(QList<SseEvent>* events = nullptr);

private:
    void takeBlock(const SseEvent& event, QByteArrayView rest, QByteArray& out);

    SseParser m_parser;
    QByteArray m_held;          // the start of the current, incomplete event
    bool m_passThrough = false; // the current event went over kMaxHeldBytes: its bytes pass unchanged
};
