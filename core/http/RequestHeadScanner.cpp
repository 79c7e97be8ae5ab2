#include "http/RequestHeadScanner.h"

#include <cstring>

void RequestHeadScanner::reset()
{
    m_lineStart = 0;
    m_headLength = 0;
    m_lineCount = 0;
}

RequestHeadScanner::Outcome RequestHeadScanner::fail(int status, const char* code, const char* message)
{
    m_errorStatus = status;
    m_errorCode = code;
    m_errorMessage = message;
    return Outcome::Invalid;
}

RequestHeadScanner::Outcome RequestHeadScanner::scan(QByteArrayView head)
{
    while (m_lineStart < head.size()) {
        const char* begin = head.data() + m_lineStart;
        const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', size_t(head.size() - m_lineStart)));
        if (!newline)
            break;
        const qsizetype lineEnd = newline - head.data(); // index of '\n'
        if (lineEnd == m_lineStart || head[lineEnd - 1] != '\r')
            return fail(400, "bare_lf", "Lines of the request head must end with CRLF");
        const QByteArrayView line = head.sliced(m_lineStart, lineEnd - 1 - m_lineStart);
        m_lineStart = lineEnd + 1;
        if (m_lineStart > m_limits.maxHeaderBytes)
            return fail(431, "headers_too_large", "The request head is too large");
        if (line.isEmpty()) {
            m_headLength = m_lineStart;
            return Outcome::Complete;
        }
        if (const Outcome outcome = checkLine(line); outcome == Outcome::Invalid)
            return outcome;
        ++m_lineCount;
    }
    const qsizetype partialLine = head.size() - m_lineStart;
    if (m_lineCount == 0 && partialLine > m_limits.maxRequestLineBytes)
        return fail(414, "uri_too_long", "The request line is too long");
    // The head must end within maxHeaderBytes; waiting for more could wait forever, since the stream holds no more
    // input than that (ByteStream::kInputBound).
    if (head.size() >= m_limits.maxHeaderBytes)
        return fail(431, "headers_too_large", "The request head is too large");
    return Outcome::NeedMore;
}

RequestHeadScanner::Outcome RequestHeadScanner::checkLine(QByteArrayView line)
{
    if (m_lineCount == 0) {
        if (line.size() > m_limits.maxRequestLineBytes)
            return fail(414, "uri_too_long", "The request line is too long");
        return Outcome::NeedMore;
    }
    if (m_lineCount > m_limits.maxHeaderCount)
        return fail(431, "too_many_headers", "The request has too many header fields");
    if (line[0] == ' ' || line[0] == '\t')
        return fail(400, "obsolete_line_folding", "Header field values must not be folded");
    // memchr itself: QByteArrayView::indexOf(char) reaches it through Qt's substring search, about 20 instructions
    // more a field (run-instruction-count.sh: the workers' 57.4k a request became 57.1k).
    const auto* found = static_cast<const char*>(std::memchr(line.data(), ':', size_t(line.size())));
    const qsizetype colon = found ? found - line.data() : -1;
    if (colon == 0)
        return fail(400, "invalid_header", "A header field has no name");
    if (colon > 0 && (line[colon - 1] == ' ' || line[colon - 1] == '\t'))
        return fail(400, "invalid_header", "No whitespace is allowed between a header field name and its colon");
    return Outcome::NeedMore;
}
