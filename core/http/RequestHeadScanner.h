#pragma once

#include "config/Config.h"

#include <QByteArray>

// Finds the end of a request head and enforces what llhttp 8.1 does not: size and count limits, CRLF line endings
// (no bare LF), no obsolete line folding, no empty field name, no whitespace between a field name and its colon.
// Scanning resumes where the previous call stopped, so a head that trickles in byte by byte costs linear time.
class RequestHeadScanner
{
public:
    enum class Outcome { NeedMore, Complete, Invalid };

    explicit RequestHeadScanner(const HttpLimits& limits) : m_limits(limits) {}

    // `head` starts at the first byte of the request and grows between calls until reset().
    Outcome scan(QByteArrayView head);
    void reset();

    qsizetype headLength() const { return m_headLength; } // when Complete: bytes up to and including the blank line
    int errorStatus() const { return m_errorStatus; }     // when Invalid: 400, 414 or 431
    const char* errorCode() const { return m_errorCode; }
    const char* errorMessage() const { return m_errorMessage; }

private:
    Outcome fail(int status, const char* code, const char* message);
    Outcome checkLine(QByteArrayView line);

    const HttpLimits& m_limits;
    qsizetype m_lineStart = 0;
    qsizetype m_headLength = 0;
    int m_lineCount = 0;
    int m_errorStatus = 0;
    const char* m_errorCode = "";
    const char* m_errorMessage = "";
};
