#pragma once

#include "http/HttpRequest.h"

#include <memory>

class HttpConnection;

// One request and its response on a client connection: what a HttpRequestHandler works with.
//
// Events reach the one Listener the handler sets (plain virtual calls: a request costs no signal connections).
//
// Request body: delivery starts paused, so a handler may answer without reading it. resumeBody() starts (or
// continues) delivery through bodyData() and then bodyEnd(); the first call sends "100 Continue" when the client
// asked for it. pauseBody() stops delivery (no further bodyData() until resumeBody()), the engine then stops reading
// the socket. The listener may be called from inside resumeBody().
//
// Response: writeHead() (status 200 or above) then any number of writeBody() then end(), which may carry the last
// piece of the body: it then goes out with the end (a chunked body's last chunk) in one send. The engine frames the
// body: with the handler's Content-Length when given, otherwise chunked (HTTP/1.1) or delimited by closing the
// connection (HTTP/1.0); no body is sent for HEAD, 1xx, 204 and 304. Connection and Transfer-Encoding fields from the
// handler are replaced. writeBody() returns false once more than HttpLimits::maxPendingWriteBytes wait for the client:
// stop producing and continue on drained(). abort() ends the response as visibly incomplete (the connection closes
// without the final chunk or before Content-Length bytes).
//
// Lifetime: the engine owns the exchange and deletes it once control is back in the event loop after the response
// ended or the client left (see Graveyard); an owned listener goes with it, and a handler keeps what else it needs for
// the request there. After clientDisconnected() all calls are no-ops.
class HttpExchange
{
public:
    class Listener
    {
    public:
        virtual void bodyData(const QByteArray& data) { Q_UNUSED(data) }
        virtual void bodyEnd() {}
        virtual void drained() {}            // pending bytes fell back under the bound after writeBody() returned false
        virtual void clientDisconnected() {} // the client went away, or the engine closed it, before the response ended
        virtual ~Listener() = default;
    };

    ~HttpExchange();

    void setListener(Listener* listener) { m_listener = listener; }
    // A listener the exchange owns and deletes with itself: a handler's state for one request. One per exchange.
    void setListener(std::unique_ptr<Listener> listener)
    {
        Q_ASSERT(!m_ownedListener); // replacing it could delete the caller
        m_listener = listener.get();
        m_ownedListener = std::move(listener);
    }
    const HttpRequest& request() const { return m_request; }

    void resumeBody();
    void pauseBody();
    bool isBodyPaused() const { return m_bodyPaused; }

    void writeHead(int status, const HttpHeaders& headers = {});
    bool writeBody(const QByteArray& data);
    void end(const QByteArray& lastPiece = {});
    void abort();
    // A whole response with Content-Length in one call.
    void respond(int status, HttpHeaders headers, const QByteArray& body);
    // The engine's own error shape: {"error":{"code":"...","message":"..."}}.
    void respondError(int status, const QByteArray& code, const QByteArray& message);

    bool isHeadWritten() const { return m_headWritten; }
    bool isChunked() const { return m_framing == Framing::Chunked; } // the body ends with a chunk of its own
    bool isEnded() const { return m_ended; }
    bool isConnected() const { return m_connection != nullptr; }
    // After clientDisconnected(): true when the gateway closed the connection (a stop whose drain time ran out),
    // false when the client left.
    bool isCutByServer() const { return m_cutByServer; }
    qint64 pendingWriteBytes() const; // response bytes accepted but not yet sent to the client

    static QByteArray errorBody(const QByteArray& code, const QByteArray& message);
    static QByteArrayView reasonPhrase(int status);

private:
    friend class HttpConnection;
    enum class Framing { None, Length, Chunked, Close };

    HttpExchange(HttpConnection* connection, HttpRequest request, bool keepAlive, bool expectContinue);

    // Called by HttpConnection.
    void receiveBody(const QByteArray& data);
    void receiveBodyEnd();
    void socketDrained();
    bool queueBody(const QByteArray& data); // framed and queued, not yet flushed; false when it aborted
    enum class Departure { ResponseEnded, ClientLeft, ServerCut };
    void detach(Departure departure);

    HttpConnection* m_connection;
    Listener* m_listener = nullptr;
    std::unique_ptr<Listener> m_ownedListener;
    HttpRequest m_request;
    QByteArray m_heldBody; // arrived after pauseBody(), within the chunk being parsed
    bool m_keepAlive;
    bool m_expectContinue;
    bool m_bodyPaused = true;
    bool m_bodyComplete = false;
    bool m_bodyEndEmitted = false;
    bool m_headWritten = false;
    bool m_ended = false;
    bool m_waitingDrain = false;
    bool m_cutByServer = false;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; // body bytes still due under Content-Length framing
};
