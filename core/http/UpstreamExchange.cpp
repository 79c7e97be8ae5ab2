#include "http/UpstreamExchange.h"

#include "common/Logging.h"
#include "http/HttpStats.h"
#include "http/UpstreamConnection.h"
#include "http/UpstreamPool.h"

#include <QScopeGuard>

#include <charconv>
#include <iterator>

namespace {

UpstreamExchange* exchangeOf(llhttp_t* parser)
{
    return static_cast<UpstreamExchange*>(parser->data);
}

HttpErrorKind statsKind(UpstreamErrorKind kind)
{
    switch (kind) {
    case UpstreamErrorKind::ConnectFailed:
        return HttpErrorKind::UpstreamConnectFailed;
    case UpstreamErrorKind::Timeout:
        return HttpErrorKind::UpstreamTimeout;
    case UpstreamErrorKind::Tls:
        return HttpErrorKind::UpstreamTls;
    case UpstreamErrorKind::Reset:
        return HttpErrorKind::UpstreamReset;
    case UpstreamErrorKind::Protocol:
        break;
    }
    return HttpErrorKind::UpstreamProtocol;
}

} // namespace

QString UpstreamError::kindName() const
{
    switch (kind) {
    case UpstreamErrorKind::ConnectFailed:
        return QStringLiteral("connect_failed");
    case UpstreamErrorKind::Timeout:
        return QStringLiteral("timeout");
    case UpstreamErrorKind::Tls:
        return QStringLiteral("tls");
    case UpstreamErrorKind::Reset:
        return QStringLiteral("reset");
    case UpstreamErrorKind::Protocol:
        break;
    }
    return QStringLiteral("protocol");
}

UpstreamExchange::UpstreamExchange(UpstreamPool& pool, UpstreamRequest request, Listener* listener)
    : m_pool(pool), m_request(std::move(request)), m_listener(listener)
{
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_header_field = &UpstreamExchange::onHeaderField;
        s.on_header_value = &UpstreamExchange::onHeaderValue;
        s.on_headers_complete = &UpstreamExchange::onHeadersComplete;
        s.on_body = &UpstreamExchange::onBody;
        s.on_message_complete = &UpstreamExchange::onMessageComplete;
        return s;
    }();
    llhttp_init(&m_parser, HTTP_RESPONSE, &settings);
    m_parser.data = this;
}

UpstreamExchange::~UpstreamExchange()
{
    if (m_deleted)
        *m_deleted = true;
    dropConnection();
}

void UpstreamExchange::begin()
{
    if (!m_request.origin.isValid()) {
        // Queued: nothing reaches the listener before start() returns. fail() does nothing if abort() came first.
        m_lifetime = std::make_shared<int>();
        QMetaObject::invokeMethod(
            &m_pool,
            [this, alive = std::weak_ptr<void>(m_lifetime)] {
                if (!alive.expired())
                    fail(UpstreamErrorKind::ConnectFailed, QStringLiteral("unsupported upstream origin"));
            },
            Qt::QueuedConnection);
        return;
    }
    m_chunkedRequest = m_request.streamBody && !m_request.headers.contains("Content-Length");
    m_requestComplete = !m_request.streamBody;
    if (UpstreamConnection* connection = m_pool.takeIdle(m_request.origin.poolKey)) {
        attach(connection, true);
        onConnected();
        return;
    }
    attach(m_pool.open(m_request.origin), false);
    armTimeout(m_pool.limits().upstreamConnectTimeoutMs);
}

void UpstreamExchange::attach(UpstreamConnection* connection, bool reused)
{
    m_connection = connection;
    m_connection->setUser(this);
    m_reused = reused;
    m_replayable = reused;
    m_connected = false;
}

void UpstreamExchange::onConnected()
{
    m_connected = true;
    armTimeout(m_pool.limits().upstreamResponseTimeoutMs);
    if (!m_headSent)
        sendRequestHead();
    else if (!m_unsentBeforeConnect.isEmpty())
        write({std::exchange(m_unsentBeforeConnect, QByteArray())});
}

void UpstreamExchange::sendRequestHead()
{
    const QByteArray& method = m_request.method;
    const bool fixedBody = !m_request.streamBody; // framed here, whatever the caller's fields say
    const bool sendLength =
        fixedBody && (!m_request.body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH");

    const QByteArrayView target = m_request.target.isEmpty() ? QByteArrayView("/") : QByteArrayView(m_request.target);
    // The head only (the body follows from its own buffer), in one allocation: the lines written here besides the
    // fields take at most 96 bytes and the authority.
    QByteArray out;
    out.reserve(method.size() + target.size() + m_request.headers.lineBytesBound() + m_request.origin.authority.size() +
                96);
    HttpHeaders::writeLine(out, {method, " ", target, " HTTP/1.1"});
    m_request.headers.writeTo(out, [fixedBody](QByteArrayView name) {
        return HttpHeaders::sameName(name, "Transfer-Encoding") ||
               (fixedBody && HttpHeaders::sameName(name, "Content-Length"));
    });
    if (!m_request.headers.contains("Host"))
        HttpHeaders::writeField(out, "Host", m_request.origin.authority);
    if (sendLength) {
        char digits[20]; // formatted here: QByteArray::number() costs an allocation and ten times the instructions
        const char* end = std::to_chars(std::begin(digits), std::end(digits), m_request.body.size()).ptr;
        HttpHeaders::writeField(out, "Content-Length", QByteArrayView(digits, end - digits));
    } else if (m_chunkedRequest)
        HttpHeaders::writeField(out, "Transfer-Encoding", "chunked");
    out += "\r\n";
    m_headSent = true;
    // The body goes from its own buffer, queued behind the head: both leave in one system call, nothing copied.
    write({out, fixedBody ? m_request.body : std::exchange(m_unsentBeforeConnect, QByteArray())});
}

void UpstreamExchange::write(std::initializer_list<QByteArray> pieces)
{
    ByteStream& stream = m_connection->stream();
    for (const QByteArray& bytes : pieces) {
        if (bytes.isEmpty())
            continue;
        // A fixed body is written again from m_request on a retry; a streamed one from what was sent of it.
        if (m_replayable && m_request.streamBody) {
            m_replay += bytes;
            if (m_replay.size() > m_pool.limits().maxPendingWriteBytes) {
                m_replayable = false; // too much to keep for a retry
                m_replay.clear();
            }
        }
        stream.write(bytes);
    }
    stream.flush(); // now, not on the next event loop pass: it saves a wakeup per request
}

QByteArray UpstreamExchange::encodeBodyChunk(const QByteArray& data) const
{
    if (!m_chunkedRequest)
        return data;
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

bool UpstreamExchange::writeBody(const QByteArray& data)
{
    if (m_done || m_requestComplete || !m_request.streamBody)
        return false;
    if (!data.isEmpty()) {
        const QByteArray bytes = encodeBodyChunk(data);
        if (m_connected && m_headSent)
            write({bytes});
        else
            m_unsentBeforeConnect += bytes;
    }
    if (pendingRequestBytes() > m_pool.limits().maxPendingWriteBytes) {
        m_waitingDrain = true;
        return false;
    }
    return true;
}

void UpstreamExchange::endBody()
{
    if (m_done || m_requestComplete || !m_request.streamBody)
        return;
    if (m_chunkedRequest) {
        const QByteArray last = QByteArrayLiteral("0\r\n\r\n");
        if (m_connected && m_headSent)
            write({last});
        else
            m_unsentBeforeConnect += last;
    }
    m_requestComplete = true;
}

qint64 UpstreamExchange::pendingRequestBytes() const
{
    qint64 pending = m_unsentBeforeConnect.size();
    if (m_connection && m_connected)
        pending += m_connection->stream().bytesToWrite();
    return pending;
}

void UpstreamExchange::pauseResponse()
{
    if (m_paused || m_done)
        return;
    m_paused = true;
    m_pool.stats().upstreamReadPauses.fetch_add(1, std::memory_order_relaxed);
}

void UpstreamExchange::resumeResponse()
{
    if (!m_paused)
        return;
    m_paused = false;
    readAndParse();
}

void UpstreamExchange::abort()
{
    m_done = true;
    dropConnection();
}

void UpstreamExchange::onReadyRead()
{
    readAndParse();
}

void UpstreamExchange::onBytesWritten()
{
    if (m_waitingDrain && pendingRequestBytes() <= m_pool.limits().maxPendingWriteBytes) {
        m_waitingDrain = false;
        if (m_listener)
            m_listener->requestDrained();
    }
}

void UpstreamExchange::onClosed()
{
    if (m_done || !m_connection)
        return;
    const ByteStream& stream = m_connection->stream();
    if (stream.failure() == ByteStream::Failure::Tls) {
        fail(UpstreamErrorKind::Tls, stream.errorString());
        return;
    }
    if (!m_connected) {
        fail(UpstreamErrorKind::ConnectFailed, stream.errorString());
        return;
    }
    m_eof = true; // closed or reset: whatever arrived before is still parsed, and tells a clean end from a cut
    readAndParse();
}

void UpstreamExchange::armTimeout(int ms)
{
    if (m_connection)
        m_connection->armTimeout(ms);
}

void UpstreamExchange::onTimeout()
{
    if (m_done)
        return;
    if (m_headEmitted) {
        // The body: bytes moving (or our own pause for a slow client) keep it alive; the timer is not restarted per
        // piece, it looks at when the last one came.
        const int stallMs = m_pool.limits().upstreamStallTimeoutMs;
        const auto now = LoopClock::now();
        const qint64 silentMs =
            m_paused ? 0 : std::chrono::duration_cast<std::chrono::milliseconds>(now - m_lastByteAt).count();
        if (silentMs < stallMs) {
            if (m_paused)
                m_lastByteAt = now;
            armTimeout(int(stallMs - silentMs));
            return;
        }
        fail(UpstreamErrorKind::Timeout, QStringLiteral("the provider sent nothing for %1 ms").arg(stallMs));
        return;
    }
    fail(UpstreamErrorKind::Timeout,
         m_connected ? QStringLiteral("no response head in time") : QStringLiteral("connect timed out"));
}

void UpstreamExchange::readAndParse()
{
    // The listener may delete this exchange from inside its calls: the destructor sets `deleted`, which is passed on
    // to a readAndParse() further up the stack (a listener may resume reading from inside a call).
    bool deleted = false;
    bool* const outer = std::exchange(m_deleted, &deleted);
    const auto unwatch = qScopeGuard([&] {
        if (!deleted)
            m_deleted = outer;
        else if (outer)
            *outer = true;
    });
    while (!m_done && !m_paused && m_connection) {
        if (m_in.isEmpty()) {
            ByteStream& stream = m_connection->stream();
            m_in.swap(stream.input()); // the stream goes on with the emptied buffer
            stream.takeInput();
        }
        if (m_in.isEmpty())
            break;
        if (!m_responseStarted) {
            m_responseStarted = true;
            m_replayable = false;
            m_replay.clear();
        }
        m_bodyOut.clear();
        const llhttp_errno_t error = llhttp_execute(&m_parser, m_in.constData(), size_t(m_in.size()));
        qsizetype consumed = m_in.size();
        if (error == HPE_PAUSED || error == HPE_PAUSED_UPGRADE) {
            consumed = llhttp_get_error_pos(&m_parser) - m_in.constData();
            llhttp_resume(&m_parser);
        } else if (error != HPE_OK) {
            fail(UpstreamErrorKind::Protocol,
                 QStringLiteral("invalid response: %1").arg(QLatin1String(llhttp_get_error_reason(&m_parser))));
            return;
        }
        m_in.remove(0, consumed);
        m_lastByteAt = LoopClock::now();
        if (m_headReady && !m_headEmitted) {
            m_headEmitted = true;
            armTimeout(m_pool.limits().upstreamStallTimeoutMs); // from the response head to the stall timeout
            if (m_listener)
                m_listener->responseHead(m_status, m_responseHeaders);
            if (deleted || m_done)
                return;
        }
        if (!m_bodyOut.isEmpty()) {
            if (m_listener)
                m_listener->responseData(std::exchange(m_bodyOut, QByteArray()));
            if (deleted || m_done)
                return;
        }
        if (m_messageComplete) {
            finish();
            return;
        }
    }
    if (m_eof && !m_done && !m_paused && m_in.isEmpty())
        handleEof();
}

void UpstreamExchange::handleEof()
{
    if (m_headReady && llhttp_message_needs_eof(&m_parser)) {
        llhttp_finish(&m_parser);
        if (m_messageComplete) {
            finish();
            return;
        }
    }
    if (!m_responseStarted && retryOnFreshConnection())
        return;
    fail(UpstreamErrorKind::Reset, m_responseStarted
                                       ? QStringLiteral("upstream closed the connection mid-response")
                                       : QStringLiteral("upstream closed the connection before responding"));
}

bool UpstreamExchange::retryOnFreshConnection()
{
    if (m_retried || !m_reused || !m_replayable)
        return false;
    m_retried = true;
    qCDebug(lcHttp) << "stale pooled connection to" << m_request.origin.poolKey << "- retrying on a fresh one";
    if (m_request.streamBody)
        m_unsentBeforeConnect = std::exchange(m_replay, QByteArray()) + m_unsentBeforeConnect;
    else
        m_headSent = false; // written again from m_request once connected
    dropConnection();
    m_eof = false;
    attach(m_pool.open(m_request.origin), false);
    armTimeout(m_pool.limits().upstreamConnectTimeoutMs);
    return true;
}

void UpstreamExchange::finish()
{
    m_done = true;
    const bool reusable = llhttp_should_keep_alive(&m_parser) && m_requestComplete && m_in.isEmpty() && !m_eof &&
                          m_connection && m_connection->isReusable();
    if (reusable) {
        m_pool.release(std::exchange(m_connection, nullptr));
    } else {
        dropConnection();
    }
    if (m_listener)
        m_listener->finished();
}

void UpstreamExchange::fail(UpstreamErrorKind kind, const QString& message)
{
    if (m_done)
        return;
    m_done = true;
    dropConnection();
    m_pool.stats().countError(statsKind(kind));
    const UpstreamError error{kind, message, m_responseStarted};
    qCDebug(lcHttp) << "upstream" << m_request.origin.poolKey << "failed:" << error.kindName() << message;
    if (m_listener)
        m_listener->failed(error);
}

void UpstreamExchange::dropConnection()
{
    if (m_connection)
        std::exchange(m_connection, nullptr)->retire();
}

int UpstreamExchange::onHeaderField(llhttp_t* parser, const char* at, size_t length)
{
    UpstreamExchange* self = exchangeOf(parser);
    if (self->m_headReady)
        return self->countTrailer(length);
    const QByteArrayView piece(at, qsizetype(length));
    // Grown piece by piece, each would reallocate several times. Under 1,008 bytes, glibc's smallest "large" request:
    // a larger one makes malloc first merge every small block freed since (malloc_consolidate), at every response.
    if (self->m_responseHeaders.isEmpty())
        self->m_responseHeaders.reserve(16, 960);
    if (self->m_lastWasValue || self->m_responseHeaders.isEmpty())
        self->m_responseHeaders.append(piece, {});
    else
        self->m_responseHeaders.appendToLastName(piece);
    self->m_lastWasValue = false;
    return 0;
}

int UpstreamExchange::onHeaderValue(llhttp_t* parser, const char* at, size_t length)
{
    UpstreamExchange* self = exchangeOf(parser);
    if (self->m_headReady)
        return self->countTrailer(length);
    self->m_responseHeaders.appendToLastValue(QByteArrayView(at, qsizetype(length)));
    self->m_lastWasValue = true;
    return 0;
}

// Trailer fields after a chunked body are read and dropped: the answer's head went to the client already. Found by
// fuzzing: they were appended to the head's fields, out of order. An endless trailer section fails the exchange.
int UpstreamExchange::countTrailer(size_t length)
{
    m_trailerBytes += qint64(length);
    return m_trailerBytes > kMaxTrailerBytes ? HPE_USER : 0;
}

int UpstreamExchange::onHeadersComplete(llhttp_t* parser)
{
    UpstreamExchange* self = exchangeOf(parser);
    const int status = llhttp_get_status_code(parser);
    self->m_lastWasValue = false;
    if (status == 101)
        return -1; // a switch of protocols nobody asked for: an invalid response (found by fuzzing: it hung)
    if (status >= 100 && status < 200) {
        self->m_informational = true; // 100 Continue and friends: the real response follows
        self->m_responseHeaders = HttpHeaders();
        return 0;
    }
    self->m_status = status;
    self->m_headReady = true;
    return self->m_request.method == "HEAD" ? 1 : 0; // 1: no body follows, whatever the fields say
}

int UpstreamExchange::onBody(llhttp_t* parser, const char* at, size_t length)
{
    exchangeOf(parser)->m_bodyOut.append(at, qsizetype(length));
    return 0;
}

int UpstreamExchange::onMessageComplete(llhttp_t* parser)
{
    UpstreamExchange* self = exchangeOf(parser);
    if (std::exchange(self->m_informational, false))
        return 0;
    self->m_messageComplete = true;
    return HPE_PAUSED;
}
