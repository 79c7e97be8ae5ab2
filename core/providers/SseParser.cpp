#include "providers/SseParser.h"

#include <cstring>

SseParser::SseParser(qsizetype maxEventBytes) : m_maxEventBytes(maxEventBytes) {}

void SseParser::feed(QByteArrayView bytes, const Handler& onBlock)
{
    const char* p = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    if (m_crPending && n > 0) {
        m_crPending = false;
        if (p[0] == '\n')
            i = 1;
        takeLine(m_line, i, onBlock);
        m_line.resize(0);
        m_lineOverflow = false;
    }
    while (i < n) {
        const auto* lf = static_cast<const char*>(std::memchr(p + i, '\n', size_t(n - i)));
        const qsizetype limit = lf ? lf - p : n;
        const auto* cr = static_cast<const char*>(std::memchr(p + i, '\r', size_t(limit - i)));
        const qsizetype eol = cr ? cr - p : limit;
        if (eol == n) { // no line end in this feed: keep the partial line
            keepPartial(QByteArrayView(p + i, n - i));
            return;
        }
        const bool isCr = p[eol] == '\r';
        if (isCr && eol + 1 == n) { // CR at the very end: wait for the next byte to know whether an LF follows
            keepPartial(QByteArrayView(p + i, eol - i));
            m_crPending = true;
            return;
        }
        qsizetype next = eol + 1;
        if (isCr && p[next] == '\n')
            ++next;
        if (m_line.isEmpty() && !m_lineOverflow) {
            takeLine(QByteArrayView(p + i, eol - i), next, onBlock);
        } else {
            keepPartial(QByteArrayView(p + i, eol - i));
            takeLine(m_line, next, onBlock);
            m_line.resize(0);
            m_lineOverflow = false;
        }
        i = next;
    }
}

void SseParser::finish(const Handler& onBlock)
{
    if (m_crPending) {
        m_crPending = false;
        takeLine(m_line, 0, onBlock);
    }
    m_line.clear();
    m_lineOverflow = false;
    resetBlock();
}

void SseParser::keepPartial(QByteArrayView part)
{
    if (m_lineOverflow)
        return;
    if (m_line.size() + part.size() > m_maxEventBytes) {
        m_lineOverflow = true; // keep the prefix up to the cap: it still names the field
        part = part.first(m_maxEventBytes - m_line.size());
    }
    m_line.append(part);
}

void SseParser::takeLine(QByteArrayView line, qsizetype end, const Handler& onBlock)
{
    if (line.isEmpty()) {
        m_event.dispatched = m_hasData && !m_event.oversized;
        if (m_event.dispatched)
            m_event.data.chop(1); // the \n after the last data line
        onBlock(m_event, end);
        resetBlock();
        return;
    }
    if (line.front() == ':')
        return;
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    if (field == "data") {
        m_hasData = true;
        if (m_lineOverflow || m_event.oversized || m_event.data.size() + value.size() + 1 > m_maxEventBytes) {
            m_event.oversized = true;
            m_event.data.clear();
            return;
        }
        m_event.data.append(value);
        m_event.data.append('\n');
    } else if (field == "event") {
        m_event.type = value.toByteArray();
    }
}

void SseParser::resetBlock()
{
    m_event.type.resize(0);
    m_event.data.resize(0);
    m_event.dispatched = false;
    m_event.oversized = false;
    m_hasData = false;
}
