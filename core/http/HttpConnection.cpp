#include "http/HttpConnection.h"

#include "common/Logging.h"
#include "http/Graveyard.h"
#include "http/HttpExchange.h"
#include "http/HttpRequestHandler.h"
#include "http/HttpStats.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <string_view>
#include <utility>

namespace {

std::atomic<quint64> nextConnectionId{1};
constexpr int kCloseGraceMs = 5'000; // a closing connection gets this long to flush before it is cut

bool isPause(llhttp_errno_t error)
{
    return error == HPE_PAUSED || error == HPE_PAUSED_UPGRADE;
}

void resume(llhttp_t* parser, llhttp_errno_t error)
{
    if (error == HPE_PAUSED_UPGRADE)
        llhttp_resume_after_upgrade(parser); // upgrades are not supported: the connection goes on as HTTP/1.1
    else
        llhttp_resume(parser);
}

HttpConnection* connectionOf(llhttp_t* parser)
{
    return static_cast<HttpConnection*>(parser->data);
}

// RFC 9112 3.2: origin-form for every method, asterisk-form for OPTIONS only; the absolute and authority forms are
// for forward proxies, which this server is not. Dot segments, plain or percent-encoded (or behind an encoded
// slash or a backslash), are refused rather than resolved: no SDK sends a path that climbs, and what the upstream
// would make of it is not ours to guess.
bool isOriginTarget(QByteArrayView method, QByteArrayView target, QByteArrayView path)
{
    if (target == "*")
        return method == "OPTIONS";
    if (!path.startsWith('/'))
        return false;
    // A dot segment starts after a slash, or after what decodes to one: most paths (model names with dots too) are
    // cleared in one pass, without decoding (three searches through Qt cost four times more).
    bool suspect = false;
    for (qsizetype i = 0; i < path.size() && !suspect; ++i) {
        const char c = path[i];
        suspect = c == '%' || c == '\\' || (c == '/' && i + 1 < path.size() && path[i + 1] == '.');
    }
    if (!suspect)
        return true;
    QByteArray decoded = QByteArray::fromPercentEncoding(path.toByteArray());
    decoded.replace('\\', '/');
    for (const QByteArray& segment : decoded.split('/')) {
        if (segment == "." || segment == "..")
            return false;
    }
    return true;
}

// RFC 9112 3.2 / RFC 3986 3.2.2: a Host field value is host [":" port], the host an IP literal in brackets, an IPv4
// address or a registered name; no userinfo, path, space or anything else a proxy behind us might read another way.
bool isValidHost(QByteArrayView value)
{
    // ASCII classes by hand: <cctype> follows the locale, and QCoreApplication sets the user's.
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    const auto isHexDigit = [&](char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    const auto isAlnum = [&](char c) { return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    QByteArrayView host = value;
    QByteArrayView port;
    bool hasPort = false;
    if (value.startsWith('[')) {
        const qsizetype close = value.indexOf(']');
        if (close < 0)
            return false;
        host = value.sliced(1, close - 1);
        const QByteArrayView rest = value.sliced(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(':'))
            return false;
        hasPort = !rest.isEmpty();
        port = hasPort ? rest.sliced(1) : rest;
        if (host.isEmpty() ||
            !std::all_of(host.begin(), host.end(), [&](char c) { return isHexDigit(c) || c == ':' || c == '.'; }))
            return false;
    } else {
        if (const qsizetype colon = value.lastIndexOf(':'); colon >= 0) {
            host = value.first(colon);
            port = value.sliced(colon + 1);
            hasPort = true;
        }
        static constexpr std::string_view kAllowed = "-._~!$&'()*+,;=%";
        if (!std::all_of(host.begin(), host.end(),
                         [&](char c) { return isAlnum(c) || kAllowed.find(c) != std::string_view::npos; }))
            return false;
    }
    return (!hasPort || !port.isEmpty()) && port.size() <= 5 && std::all_of(port.begin(), port.end(), isDigit);
}

} // namespace

HttpConnection::HttpConnection(std::unique_ptr<ByteStream> stream, const HttpLimits& limits,
                               HttpRequestHandler& handler, HttpWorkerStats& stats, Graveyard& graveyard,
                               QObject* parent)
    : QObject(parent), m_stream(std::move(stream)), m_in(m_stream->input()), m_limits(limits), m_handler(handler),
      m_stats(stats), m_graveyard(graveyard), m_id(nextConnectionId.fetch_add(1, std::memory_order_relaxed)),
      m_scanner(limits)
{
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_url = &HttpConnection::onUrl;
        s.on_header_field = &HttpConnection::onHeaderField;
        s.on_header_value = &HttpConnection::onHeaderValue;
        s.on_headers_complete = &HttpConnection::onHeadersComplete;
        s.on_body = &HttpConnection::onBody;
        s.on_message_complete = &HttpConnection::onMessageComplete;
        return s;
    }();
    llhttp_init(&m_parser, HTTP_REQUEST, &settings);
    m_parser.data = this;

    m_stream->setListener(this);
    m_stats.connectionsOpen.fetch_add(1, std::memory_order_relaxed);
    arm(Wait::FirstRequest, m_limits.headerTimeoutMs);
}

HttpConnection::~HttpConnection()
{
    teardown();
}

void HttpConnection::closeWhenIdle()
{
    m_shuttingDown = true;
    if (!m_exchange)
        closeAfterFlush();
}

void HttpConnection::forceClose()
{
    m_closing = true;
    m_cutByServer = true;
    m_stream->abort();
    teardown();
}

void HttpConnection::send(const QByteArray& bytes)
{
    m_unsent += bytes.size();
    m_stats.pendingWriteBytes.fetch_add(bytes.size(), std::memory_order_relaxed);
    m_stream->write(bytes);
}

void HttpConnection::flush()
{
    m_stream->flush();
    syncUnsent();
}

void HttpConnection::syncUnsent()
{
    const qint64 unsent = m_stream->bytesToWrite();
    const qint64 written = m_unsent - unsent;
    m_stats.pendingWriteBytes.fetch_sub(written, std::memory_order_relaxed);
    m_stats.bytesOut.fetch_add(written, std::memory_order_relaxed);
    m_unsent = unsent;
}

void HttpConnection::exchangeEnded(bool keepAlive)
{
    HttpExchange* exchange = std::exchange(m_exchange, nullptr);
    exchange->detach(HttpExchange::Departure::ResponseEnded);
    m_graveyard.bury(std::unique_ptr<HttpExchange>(exchange));
    flush();
    if (!keepAlive || !m_messageComplete || m_shuttingDown) {
        closeAfterFlush();
        return;
    }
    arm(Wait::Idle, m_limits.idleTimeoutMs);
    process();
}

void HttpConnection::closeAfterFlush()
{
    if (m_closing)
        return;
    m_closing = true;
    arm(Wait::Closing, kCloseGraceMs);
    // Input not read (a refused head, a body not read to its end) may still be arriving: read it away, so the
    // client gets the answer rather than a reset.
    m_stream->closeAfterFlush(!m_in.isEmpty() || (m_headParsed && !m_messageComplete));
}

void HttpConnection::bodyFlowChanged()
{
    if (!m_exchange || m_messageComplete || m_closing)
        return;
    if (m_exchange->isBodyPaused()) {
        m_timeout.stop();
        m_wait = Wait::None;
        return;
    }
    if (m_wait != Wait::Body)
        armBody();
    process();
}

void HttpConnection::streamReadable()
{
    process();
}

void HttpConnection::streamWritten()
{
    syncUnsent();
    if (m_exchange)
        m_exchange->socketDrained();
}

void HttpConnection::streamClosed()
{
    teardown();
}

void HttpConnection::timerEvent(QTimerEvent* event)
{
    if (m_timeout.expire(event, this))
        onTimeout();
}

void HttpConnection::onTimeout()
{
    switch (std::exchange(m_wait, Wait::None)) {
    case Wait::FirstRequest:
        if (m_in.isEmpty()) {
            forceClose(); // never said anything: nobody to answer
            return;
        }
        [[fallthrough]];
    case Wait::Head:
        failRequest(408, "request_timeout", "The request head did not arrive in time", int(HttpErrorKind::Timeout));
        return;
    case Wait::Body:
        failRequest(408, "request_timeout",
                    LoopClock::now() >= m_bodyDueAt ? "The request body took too long" : "The request body stalled",
                    int(HttpErrorKind::Timeout));
        return;
    case Wait::Idle:
    case Wait::Closing:
        forceClose();
        return;
    case Wait::None:
        return;
    }
}

void HttpConnection::arm(Wait wait, int timeoutMs)
{
    m_wait = wait;
    m_timeout.start(timeoutMs, this);
}

void HttpConnection::armBody()
{
    // The stall timeout, or the time left to the body's deadline if that is sooner. Only a request with a body waits
    // for one (a request without is complete before its handler runs).
    Q_ASSERT(m_bodyDueAt != LoopClock::Clock::time_point{});
    const qint64 leftMs = std::chrono::ceil<std::chrono::milliseconds>(m_bodyDueAt - LoopClock::now()).count();
    arm(Wait::Body, int(std::clamp<qint64>(leftMs, 1, m_limits.bodyTimeoutMs)));
}

void HttpConnection::countInput()
{
    const qint64 received = m_stream->bytesReceived();
    m_stats.bytesIn.fetch_add(received - m_bytesInCounted, std::memory_order_relaxed);
    m_bytesInCounted = received;
}

void HttpConnection::process()
{
    if (m_processing) {
        m_processAgain = true;
        return;
    }
    m_processing = true;
    do {
        m_processAgain = false;
        for (;;) {
            m_stream->takeInput();
            countInput();
            if (!processStep())
                break;
        }
    } while (m_processAgain && !m_closing && !m_tornDown);
    m_processing = false;
}

bool HttpConnection::processStep()
{
    if (m_closing || m_tornDown)
        return false;
    if (!m_exchange)
        return startRequest();
    if (!m_messageComplete)
        return feedBody();
    return false; // the response to this request must end before the next one is read
}

bool HttpConnection::startRequest()
{
    while (m_in.startsWith("\r\n")) // stray CRLFs between requests are allowed (RFC 9112 section 2.2)
        m_in.remove(0, 2);
    if (m_in.isEmpty() || m_in == "\r")
        return false;
    switch (m_scanner.scan(m_in)) {
    case RequestHeadScanner::Outcome::NeedMore:
        if (m_wait == Wait::Idle) // the head started arriving: from now on it has headerTimeoutMs to complete
            arm(Wait::Head, m_limits.headerTimeoutMs);
        return false;
    case RequestHeadScanner::Outcome::Invalid: {
        const int status = m_scanner.errorStatus();
        failRequest(status, m_scanner.errorCode(), m_scanner.errorMessage(),
                    int(status == 400 ? HttpErrorKind::BadRequest : HttpErrorKind::LimitExceeded));
        return false;
    }
    case RequestHeadScanner::Outcome::Complete:
        break;
    }

    m_target.clear();
    m_headers = HttpHeaders();
    m_body.clear();
    m_bodyIsInput = false;
    m_bodyBytes = 0;
    m_headParsed = false;
    m_messageComplete = false;
    m_bodyTooLarge = false;
    const qsizetype headLength = m_scanner.headLength();
    m_scanner.reset();
    // The fields are views into a copy of the head. Room for 16, more than most requests have: counting the head's
    // lines first cost more than the growing it saves.
    m_headers.readFrom(QByteArray(m_in.constData(), headLength), 16);
    const llhttp_errno_t error = llhttp_execute(&m_parser, m_in.constData(), size_t(headLength));
    if (!m_headParsed || !isPause(error)) {
        failRequest(400, "bad_request",
                    error == HPE_OK ? "Incomplete request head" : llhttp_get_error_reason(&m_parser),
                    int(HttpErrorKind::BadRequest));
        return false;
    }
    resume(&m_parser, error);
    m_in.remove(0, llhttp_get_error_pos(&m_parser) - m_in.constData());

    const char* method = llhttp_method_name(llhttp_method_t(llhttp_get_method(&m_parser)));
    const qsizetype question = m_target.indexOf('?');
    // Every field in place: a default QHostAddress allocates, only to be replaced.
    HttpRequest request{
        .method = QByteArray::fromRawData(method, qsizetype(std::strlen(method))), // llhttp's static string
        .target = m_target,
        .path = question < 0 ? m_target : m_target.left(question),
        .query = question < 0 ? QByteArray() : m_target.mid(question + 1),
        .versionMinor = llhttp_get_http_minor(&m_parser),
        .headers = std::move(m_headers),
        .contentLength = (m_parser.flags & F_CHUNKED)          ? -1
                         : (m_parser.flags & F_CONTENT_LENGTH) ? qint64(m_parser.content_length)
                                                               : 0,
        .clientAddress = m_stream->peerAddress(),
        .clientPort = m_stream->peerPort(),
        .connectionId = m_id,
    };
    if (!validateHead(request))
        return false;

    const bool keepAlive = llhttp_should_keep_alive(&m_parser) && !m_shuttingDown;
    const bool expectContinue =
        request.versionMinor >= 1 && request.headers.value("Expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    const bool hasBody = request.hasBody();
    m_timeout.stop();
    m_wait = Wait::None;
    m_bodyDueAt =
        hasBody ? LoopClock::now() + std::chrono::milliseconds(m_limits.maxBodyTimeMs) : LoopClock::Clock::time_point{};
    m_exchange = new HttpExchange(this, std::move(request), keepAlive, expectContinue);
    m_stats.requests.fetch_add(1, std::memory_order_relaxed);
    if (!hasBody) {
        const llhttp_errno_t completion = llhttp_execute(&m_parser, m_in.constData(), 0);
        if (isPause(completion))
            resume(&m_parser, completion);
        m_messageComplete = true;
        m_exchange->receiveBodyEnd();
    }
    m_handler.handle(m_exchange);
    return true;
}

bool HttpConnection::validateHead(HttpRequest& request)
{
    if (llhttp_get_http_major(&m_parser) != 1) {
        failRequest(505, "http_version_not_supported", "Only HTTP/1.0 and HTTP/1.1 are supported",
                    int(HttpErrorKind::BadRequest));
        return false;
    }
    if (!isOriginTarget(request.method, request.target, request.path)) {
        failRequest(400, "invalid_target",
                    "The request target must be a path from the root (\"/...\", or \"*\" for OPTIONS), with no "
                    "\".\" or \"..\" segments",
                    int(HttpErrorKind::BadRequest));
        return false;
    }
    if (request.versionMinor >= 1) {
        const QList<QByteArrayView> hosts = request.headers.values("Host");
        if (hosts.size() != 1 || !isValidHost(hosts.first())) {
            failRequest(400, "invalid_host", "An HTTP/1.1 request needs exactly one Host field holding host[:port]",
                        int(HttpErrorKind::BadRequest));
            return false;
        }
    }
    if ((m_parser.flags & F_CONTENT_LENGTH) && m_parser.content_length > quint64(std::numeric_limits<qint64>::max())) {
        failRequest(400, "invalid_content_length", "Content-Length is out of range", int(HttpErrorKind::BadRequest));
        return false;
    }
    const QList<QByteArrayView> encodings = request.headers.values("Transfer-Encoding");
    if (!encodings.isEmpty()) {
        // Only a single, plain "chunked" is unambiguous; anything else invites request smuggling.
        if (encodings.size() != 1 || encodings.first().trimmed().compare("chunked", Qt::CaseInsensitive) != 0 ||
            request.versionMinor == 0) {
            failRequest(400, "invalid_transfer_encoding", "Only Transfer-Encoding: chunked is accepted (HTTP/1.1)",
                        int(HttpErrorKind::BadRequest));
            return false;
        }
    }
    if (request.contentLength > m_limits.maxBodyBytes) {
        failRequest(413, "body_too_large", "The request body is too large", int(HttpErrorKind::LimitExceeded));
        return false;
    }
    return true;
}

bool HttpConnection::feedBody()
{
    if (m_exchange->isBodyPaused() || m_in.isEmpty())
        return false;
    m_body.clear();
    const llhttp_errno_t error = llhttp_execute(&m_parser, m_in.constData(), size_t(m_in.size()));
    qsizetype consumed = m_in.size();
    if (isPause(error)) {
        consumed = llhttp_get_error_pos(&m_parser) - m_in.constData();
        resume(&m_parser, error);
    } else if (error != HPE_OK) {
        if (m_bodyTooLarge)
            failRequest(413, "body_too_large", "The request body is too large", int(HttpErrorKind::LimitExceeded));
        else
            failRequest(400, "invalid_body", llhttp_get_error_reason(&m_parser), int(HttpErrorKind::BadRequest));
        return false;
    }
    if (std::exchange(m_bodyIsInput, false)) {
        Q_ASSERT(consumed == m_in.size());
        m_body = std::exchange(m_in, QByteArray()); // all of it consumed: the stream reads on into a new buffer
    } else {
        m_in.remove(0, consumed);
    }
    HttpExchange* exchange = m_exchange; // deleted only later, even if the handler ends the response meanwhile
    if (m_messageComplete) {
        m_timeout.stop();
        m_wait = Wait::None;
    } else {
        armBody();
    }
    if (!m_body.isEmpty())
        exchange->receiveBody(std::exchange(m_body, QByteArray()));
    if (m_messageComplete && exchange == m_exchange) // unless the handler already ended the response
        exchange->receiveBodyEnd();
    return true;
}

void HttpConnection::failRequest(int status, const char* code, const QByteArray& message, int errorKind)
{
    m_stats.countError(HttpErrorKind(errorKind));
    qCDebug(lcHttp) << "connection" << m_id << "status" << status << code << message;
    if (HttpExchange* exchange = std::exchange(m_exchange, nullptr)) {
        const bool headWritten = exchange->isHeadWritten();
        exchange->detach(HttpExchange::Departure::ClientLeft); // a client that broke its own request
        m_graveyard.bury(std::unique_ptr<HttpExchange>(exchange));
        if (headWritten) {
            closeAfterFlush();
            return;
        }
    }
    const QByteArray body = HttpExchange::errorBody(code, message);
    send("HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpExchange::reasonPhrase(status).toByteArray() +
         "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body);
    closeAfterFlush();
}

void HttpConnection::teardown()
{
    if (m_tornDown)
        return;
    m_tornDown = true;
    m_closing = true;
    m_timeout.stop();
    if (HttpExchange* exchange = std::exchange(m_exchange, nullptr)) {
        if (!exchange->isEnded() && !m_cutByServer)
            m_stats.countError(HttpErrorKind::ClientAbort);
        exchange->detach(m_cutByServer ? HttpExchange::Departure::ServerCut : HttpExchange::Departure::ClientLeft);
        m_graveyard.bury(std::unique_ptr<HttpExchange>(exchange));
    }
    m_stats.pendingWriteBytes.fetch_sub(m_unsent, std::memory_order_relaxed);
    m_unsent = 0;
    m_stats.connectionsOpen.fetch_sub(1, std::memory_order_relaxed);
    emit closed();
    deleteLater();
}

int HttpConnection::onUrl(llhttp_t* parser, const char* at, size_t length)
{
    connectionOf(parser)->m_target.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderField(llhttp_t* parser, const char* at, size_t length)
{
    HttpConnection* self = connectionOf(parser);
    if (self->m_headParsed)
        return self->countTrailer(length);
    // A field name arrives in one piece: the whole head is parsed from one buffer, m_in, which the headers copied.
    self->m_headers.appendNameAt(at - self->m_in.constData(), qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderValue(llhttp_t* parser, const char* at, size_t length)
{
    HttpConnection* self = connectionOf(parser);
    if (self->m_headParsed)
        return self->countTrailer(length);
    if (!self->m_headers.isEmpty())
        self->m_headers.appendToLastValueAt(at - self->m_in.constData(), qsizetype(length));
    return 0;
}

int HttpConnection::onHeadersComplete(llhttp_t* parser)
{
    connectionOf(parser)->m_headParsed = true;
    return HPE_PAUSED; // the handler sees the head before any body byte is parsed
}

int HttpConnection::onBody(llhttp_t* parser, const char* at, size_t length)
{
    HttpConnection* self = connectionOf(parser);
    self->m_bodyBytes += qint64(length);
    if (self->m_bodyBytes > self->m_limits.maxBodyBytes) {
        self->m_bodyTooLarge = true;
        return HPE_USER;
    }
    // A piece that is all of the input (a body that came whole after its head, or a later part that filled a read)
    // takes the input's buffer over instead of a copy (feedBody), unless that buffer is mostly room: the body is
    // held for the whole exchange.
    if (self->m_body.isEmpty() && at == self->m_in.constData() && qsizetype(length) == self->m_in.size() &&
        self->m_in.capacity() <= 2 * self->m_in.size()) {
        self->m_bodyIsInput = true;
        return 0;
    }
    self->m_body.append(at, qsizetype(length));
    return 0;
}

// Trailer fields, after a chunked body, are read and dropped (no handler asks for them); they count towards the
// body's limit, so that an endless trailer section is refused like an endless body.
int HttpConnection::countTrailer(size_t length)
{
    m_bodyBytes += qint64(length);
    if (m_bodyBytes > m_limits.maxBodyBytes) {
        m_bodyTooLarge = true;
        return HPE_USER;
    }
    return 0;
}

int HttpConnection::onMessageComplete(llhttp_t* parser)
{
    connectionOf(parser)->m_messageComplete = true;
    return HPE_PAUSED; // a pipelined next request waits until this response ended
}
