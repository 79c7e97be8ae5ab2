#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

// One block of a text/event-stream, ended by a blank line.
struct SseEvent
{
    QByteArray type;         // the "event:" field; empty means "message"
    QByteArray data;         // the "data:" lines joined by \n
    bool dispatched = false; // false for blocks the spec does not dispatch (comments only, no data field, oversized)
    bool oversized = false;  // its data went over the per-event cap and was dropped, not buffered
};

// Incremental parser for the HTML Living Standard event-stream format: lines end in CRLF, LF or CR, "data:" lines
// are joined by \n, a blank line ends a block, ":" starts a comment. Holds only the current partial line and the
// current block's data, both bounded by maxEventBytes; "id:" and "retry:" are ignored (no one here reconnects).
class SseParser
{
public:
    static constexpr qsizetype kDefaultMaxEventBytes = 1024 * 1024;

    // Called at every blank line with the block it ends and the offset in the bytes of the current feed() just past
    // that blank line, so that a caller can cut the raw stream at block boundaries.
    using Handler = std::function<void(const SseEvent& event, qsizetype end)>;

    explicit SseParser(qsizetype maxEventBytes = kDefaultMaxEventBytes);

    void feed(QByteArrayView bytes, const Handler& onBlock);
    // End of stream: a final CR ends its line; a block without its blank line is discarded, as the spec says.
    void finish(const Handler& onBlock);

private:
    void keepPartial(QByteArrayView part);
    void takeLine(QByteArrayView line, qsizetype end, const Handler& onBlock);
    void resetBlock();

    qsizetype m_maxEventBytes;
    QByteArray m_line; // a line split across feeds (prefix kept when it overflows)
    bool m_lineOverflow = false;
    bool m_crPending = false; // m_line ended with CR at the end of the last feed: an LF may follow
    SseEvent m_event;
    bool m_hasData = false;
};
