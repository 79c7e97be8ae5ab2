#pragma once

#include "common/LoopClock.h"
#include "http/UpstreamError.h"
#include "http/UpstreamRequest.h"

#include <llhttp.h>

#include <initializer_list>
#include <memory>

class UpstreamConnection;
class UpstreamPool;

// One request to an upstream and its response, made by UpstreamPool::start().
//
// Its Listener hears responseHead() once (1xx interim responses are skipped), then responseData() with the
// de-chunked body as it arrives, then finished(); or failed() at any point. After finished() or failed() nothing more
// comes. No call reaches the listener before UpstreamPool::start() returns.
// pauseResponse()/resumeResponse() stop and restart reading the socket (backpressure towards the upstream).
// Timeouts (HttpLimits): connecting, the response head, and then a silence of the upstream between response bytes
// (time paused for a slow client does not count); each fails the exchange with UpstreamErrorKind::Timeout.
// With UpstreamRequest::streamBody, writeBody() returns false once more than HttpLimits::maxPendingWriteBytes
// wait for the upstream: continue on requestDrained(). Deleting the exchange or abort() drops the connection; the
// listener may delete the exchange from inside any of its calls.
class UpstreamExchange
{
public:
    class Listener
    {
    public:
        virtual void responseHead(int status, const HttpHeaders& headers) = 0;
        virtual void responseData(const QByteArray& data) = 0;
        virtual void finished() = 0;
        virtual void failed(const UpstreamError& error) = 0;
        virtual void requestDrained() {}

    protected:
        ~Listener() = default;
    };

    ~UpstreamExchange();
    UpstreamExchange(const UpstreamExchange&) = delete;
    UpstreamExchange& operator=(const UpstreamExchange&) = delete;

    // Replaces the listener given to UpstreamPool::start(); null: nothing is reported any more.
    void setListener(Listener* listener) { m_listener = listener; }

    bool writeBody(const QByteArray& data);
    void endBody();
    void pauseResponse();
    void resumeResponse();
    void abort();

    int status() const { return m_status; }
    const HttpHeaders& responseHeaders() const { return m_responseHeaders; }
    // The whole response is read: the responseData() in progress is the last, finished() comes next.
    bool isResponseComplete() const { return m_messageComplete; }
    qint64 pendingRequestBytes() const;

private:
    friend class UpstreamPool;
    friend class UpstreamConnection;

    UpstreamExchange(UpstreamPool& pool, UpstreamRequest request, Listener* listener);
    void begin();
    void attach(UpstreamConnection* connection, bool reused);
    void onConnected();
    void onReadyRead();
    void onBytesWritten();
    void onClosed();
    void onTimeout();
    void armTimeout(int ms);
    void sendRequestHead();
    void write(std::initializer_list<QByteArray> pieces); // queued in order, then flushed once
    void readAndParse();
    void handleEof();
    void finish();
    void fail(UpstreamErrorKind kind, const QString& message);
    bool retryOnFreshConnection();
    void dropConnection();
    QByteArray encodeBodyChunk(const QByteArray& data) const;

    static int onHeaderField(llhttp_t* parser, const char* at, size_t length);
    static int onHeaderValue(llhttp_t* parser, const char* at, size_t length);
    int countTrailer(size_t length);
    static int onHeadersComplete(llhttp_t* parser);
    static int onBody(llhttp_t* parser, const char* at, size_t length);
    static int onMessageComplete(llhttp_t* parser);

    UpstreamPool& m_pool;
    UpstreamRequest m_request;
    Listener* m_listener;
    bool* m_deleted = nullptr;        // set by the destructor: readAndParse() watches it around listener calls
    std::shared_ptr<void> m_lifetime; // only for a failure reported later: expires with the exchange
    UpstreamConnection* m_connection = nullptr;
    llhttp_t m_parser;
    LoopClock::Clock::time_point m_lastByteAt; // when the last response bytes came
    bool m_connected = false;
    bool m_reused = false;
    bool m_retried = false;
    bool m_chunkedRequest = false;
    bool m_requestComplete = false;
    bool m_waitingDrain = false;
    bool m_paused = false;
    bool m_eof = false;
    bool m_done = false;
    bool m_responseStarted = false; // a response byte arrived
    bool m_headEmitted = false;
    bool m_headReady = false;
    bool m_messageComplete = false;
    bool m_lastWasValue = false;
    qint64 m_trailerBytes = 0;
    static constexpr qint64 kMaxTrailerBytes = 64 * 1024;
    bool m_informational = false; // parsing a 1xx interim response
    bool m_headSent = false;
    QByteArray m_in;                  // received, not yet parsed (kept while paused)
    QByteArray m_unsentBeforeConnect; // request bytes written before the connection was up
    QByteArray m_replay;              // a streamed request's bytes sent on a reused connection, resent if it is stale
    bool m_replayable = false;
    QByteArray m_bodyOut; // de-chunked body of the current parser run
    int m_status = 0;
    HttpHeaders m_responseHeaders;
};
