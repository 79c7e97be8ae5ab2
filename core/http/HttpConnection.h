#pragma once

#include "common/LoopClock.h"
#include "config/Config.h"
#include "http/ByteStream.h"
#include "http/HttpHeaders.h"
#include "http/RequestHeadScanner.h"
#include "http/Timeout.h"

#include <llhttp.h>

#include <QObject>

#include <memory>

class Graveyard;
class HttpExchange;
class HttpRequestHandler;
struct HttpRequest;
struct HttpWorkerStats;

// The downstream codec for one client connection: parses requests with llhttp, enforces limits and timeouts, creates
// one HttpExchange per request and hands it to the handler, one at a time (pipelined requests wait in the socket until
// the previous response ended, so answers keep their order). Deletes itself (deleteLater) when the stream closes.
class HttpConnection : public QObject, private ByteStream::Listener
{
    Q_OBJECT

public:
    HttpConnection(std::unique_ptr<ByteStream> stream, const HttpLimits& limits, HttpRequestHandler& handler,
                   HttpWorkerStats& stats, Graveyard& graveyard, QObject* parent = nullptr);
    ~HttpConnection() override;

    // Graceful stop: closes now when between requests, otherwise right after the current response.
    void closeWhenIdle();
    // Closes at once, whatever is in flight.
    void forceClose();

signals:
    void closed();

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    friend class HttpExchange;
    enum class Wait { None, FirstRequest, Idle, Head, Body, Closing };

    // For HttpExchange.
    void send(const QByteArray& bytes);
    void flush();
    void syncUnsent();
    qint64 pendingWriteBytes() const { return m_unsent; }
    void exchangeEnded(bool keepAlive);
    void closeAfterFlush();
    void bodyFlowChanged();
    const HttpLimits& limits() const { return m_limits; }
    bool isShuttingDown() const { return m_shuttingDown; }

    void streamReadable() override;
    void streamWritten() override;
    void streamClosed() override;
    void onTimeout();
    void process();
    bool processStep();
    bool startRequest();
    bool feedBody();
    bool validateHead(HttpRequest& request);
    void failRequest(int status, const char* code, const QByteArray& message, int errorKind);
    void countInput();
    void arm(Wait wait, int timeoutMs);
    void armBody(); // the next body bytes within bodyTimeoutMs, and all of them by m_bodyDueAt
    void teardown();

    static int onUrl(llhttp_t* parser, const char* at, size_t length);
    int countTrailer(size_t length);
    static int onHeaderField(llhttp_t* parser, const char* at, size_t length);
    static int onHeaderValue(llhttp_t* parser, const char* at, size_t length);
    static int onHeadersComplete(llhttp_t* parser);
    static int onBody(llhttp_t* parser, const char* at, size_t length);
    static int onMessageComplete(llhttp_t* parser);

    std::unique_ptr<ByteStream> m_stream;
    QByteArray& m_in; // received, not yet parsed: the stream's input
    const HttpLimits& m_limits;
    HttpRequestHandler& m_handler;
    HttpWorkerStats& m_stats;
    Graveyard& m_graveyard; // where ended exchanges wait to be deleted
    quint64 m_id;
    llhttp_t m_parser;
    RequestHeadScanner m_scanner;
    qint64 m_bytesInCounted = 0; // of the stream's bytesReceived(), what the stats have
    Timeout m_timeout;
    Wait m_wait = Wait::None;

    // The request being parsed.
    QByteArray m_target;
    HttpHeaders m_headers;
    QByteArray m_body;          // body bytes of the current parser run
    bool m_bodyIsInput = false; // ... which are all of m_in: taken over after the run
    qint64 m_bodyBytes = 0;     // body bytes of this request so far
    bool m_headParsed = false;
    bool m_messageComplete = false;
    bool m_bodyTooLarge = false;
    LoopClock::Clock::time_point m_bodyDueAt; // maxBodyTimeMs after the head of a request with a body; else zero

    HttpExchange* m_exchange = nullptr;
    qint64 m_unsent = 0; // bytes handed to the stream and not yet written to the kernel
    bool m_processing = false;
    bool m_processAgain = false;
    bool m_closing = false;
    bool m_shuttingDown = false;
    bool m_tornDown = false;
    bool m_cutByServer = false; // forceClose(): an exchange still running is cut by the gateway
};
