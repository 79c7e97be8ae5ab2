#include "http/HttpExchange.h"

#include "http/HttpConnection.h"

#include <QJsonDocument>
#include <QJsonObject>

HttpExchange::HttpExchange(HttpConnection* connection, HttpRequest request, bool keepAlive, bool expectContinue)
    : m_connection(connection), m_request(std::move(request)), m_keepAlive(keepAlive), m_expectContinue(expectContinue)
{}

HttpExchange::~HttpExchange() = default;

void HttpExchange::resumeBody()
{
    if (!m_bodyPaused)
        return;
    m_bodyPaused = false;
    if (m_expectContinue && !m_bodyComplete && !m_headWritten && m_connection) {
        m_connection->send(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        m_connection->flush();
    }
    m_expectContinue = false;
    if (!m_heldBody.isEmpty() && m_listener)
        m_listener->bodyData(std::exchange(m_heldBody, QByteArray()));
    if (m_bodyPaused)
        return;
    if (m_bodyComplete) {
        if (!m_bodyEndEmitted) {
            m_bodyEndEmitted = true;
            if (m_listener)
                m_listener->bodyEnd();
        }
        return;
    }
    if (m_connection)
        m_connection->bodyFlowChanged();
}

void HttpExchange::pauseBody()
{
    if (m_bodyPaused)
        return;
    m_bodyPaused = true;
    if (m_connection)
        m_connection->bodyFlowChanged();
}

void HttpExchange::writeHead(int status, const HttpHeaders& headers)
{
    if (m_headWritten || !m_connection)
        return;
    m_headWritten = true;
    // A handler answering before reading a body it never asked for: the rest of that body is not worth reading.
    if (!m_bodyComplete && m_bodyPaused)
        m_keepAlive = false;
    if (m_connection->isShuttingDown())
        m_keepAlive = false;

    const bool bodyless = m_request.isHead() || status == 204 || status == 304 || status < 200;
    bool keepLength = bodyless; // the handler's Content-Length stays: it frames the body, or describes a HEAD's
    if (const QByteArrayView contentLength = headers.value("Content-Length"); !bodyless && !contentLength.isNull()) {
        bool ok = false;
        m_remaining = contentLength.trimmed().toLongLong(&ok);
        keepLength = ok && m_remaining >= 0;
        if (!keepLength)
            m_remaining = 0;
    }
    if (bodyless)
        m_framing = Framing::None;
    else if (keepLength)
        m_framing = Framing::Length;
    else
        m_framing = m_request.versionMinor >= 1 ? Framing::Chunked : Framing::Close;
    if (m_framing == Framing::Close)
        m_keepAlive = false;

    QByteArray head;
    head.reserve(headers.lineBytesBound() + 128); // in one allocation: the status and framing lines take less than 128
    Q_ASSERT(status >= 100 && status <= 999);     // three digits (RFC 9110 section 15)
    const char digits[] = {char('0' + status / 100 % 10), char('0' + status / 10 % 10), char('0' + status % 10)};
    HttpHeaders::writeLine(head, {"HTTP/1.1 ", QByteArrayView(digits, 3), " ", reasonPhrase(status)});
    // The engine frames the body and manages the connection itself.
    headers.writeTo(head, [keepLength](QByteArrayView name) {
        return HttpHeaders::sameName(name, "Connection") || HttpHeaders::sameName(name, "Keep-Alive") ||
               HttpHeaders::sameName(name, "Transfer-Encoding") ||
               (!keepLength && HttpHeaders::sameName(name, "Content-Length"));
    });
    if (m_framing == Framing::Chunked)
        HttpHeaders::writeField(head, "Transfer-Encoding", "chunked");
    if (!m_keepAlive)
        HttpHeaders::writeField(head, "Connection", "close");
    else if (m_request.versionMinor == 0)
        HttpHeaders::writeField(head, "Connection", "keep-alive");
    head += "\r\n";
    m_connection->send(head);
}

bool HttpExchange::writeBody(const QByteArray& data)
{
    if (!m_connection || m_ended)
        return false;
    if (!queueBody(data))
        return false;
    if (data.isEmpty())
        return true;
    m_connection->flush();
    m_waitingDrain = pendingWriteBytes() > m_connection->limits().maxPendingWriteBytes;
    return !m_waitingDrain;
}

bool HttpExchange::queueBody(const QByteArray& data)
{
    if (!m_headWritten)
        writeHead(200);
    if (data.isEmpty())
        return true;
    switch (m_framing) {
    case Framing::None:
        break;
    case Framing::Length:
        if (data.size() > m_remaining) {
            abort(); // more than announced: the client could not tell the body from the next response
            return false;
        }
        m_remaining -= data.size();
        m_connection->send(data);
        break;
    case Framing::Chunked:
        m_connection->send(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
        break;
    case Framing::Close:
        m_connection->send(data);
        break;
    }
    return true;
}

void HttpExchange::end(const QByteArray& lastPiece)
{
    if (!m_connection || m_ended)
        return;
    if (!lastPiece.isEmpty() && !queueBody(lastPiece))
        return;
    if (!m_headWritten)
        writeHead(200, {{"Content-Length", "0"}});
    if (m_framing == Framing::Length && m_remaining > 0) {
        abort(); // fewer bytes than announced: closing tells the client the body is incomplete
        return;
    }
    if (m_framing == Framing::Chunked)
        m_connection->send(QByteArrayLiteral("0\r\n\r\n"));
    m_ended = true;
    m_connection->exchangeEnded(m_keepAlive); // flushes; the connection also closes if the request body is not all read
}

void HttpExchange::abort()
{
    if (!m_connection || m_ended)
        return;
    m_ended = true;
    m_connection->exchangeEnded(false);
}

void HttpExchange::respond(int status, HttpHeaders headers, const QByteArray& body)
{
    headers.set("Content-Length", QByteArray::number(body.size()));
    writeHead(status, std::move(headers));
    end(body);
}

void HttpExchange::respondError(int status, const QByteArray& code, const QByteArray& message)
{
    respond(status, {{"Content-Type", "application/json"}}, errorBody(code, message));
}

qint64 HttpExchange::pendingWriteBytes() const
{
    return m_connection ? m_connection->pendingWriteBytes() : 0;
}

QByteArray HttpExchange::errorBody(const QByteArray& code, const QByteArray& message)
{
    const QJsonObject error{{QStringLiteral("code"), QString::fromUtf8(code)},
                            {QStringLiteral("message"), QString::fromUtf8(message)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

QByteArrayView HttpExchange::reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

void HttpExchange::receiveBody(const QByteArray& data)
{
    if (m_bodyPaused)
        m_heldBody.append(data);
    else if (m_listener)
        m_listener->bodyData(data);
}

void HttpExchange::receiveBodyEnd()
{
    m_bodyComplete = true;
    if (!m_bodyPaused && m_heldBody.isEmpty() && !m_bodyEndEmitted) {
        m_bodyEndEmitted = true;
        if (m_listener)
            m_listener->bodyEnd();
    }
}

void HttpExchange::socketDrained()
{
    if (m_waitingDrain && m_connection && pendingWriteBytes() <= m_connection->limits().maxPendingWriteBytes) {
        m_waitingDrain = false;
        if (m_listener)
            m_listener->drained();
    }
}

void HttpExchange::detach(Departure departure)
{
    m_connection = nullptr;
    if (departure != Departure::ResponseEnded && !m_ended) {
        m_ended = true;
        m_cutByServer = departure == Departure::ServerCut;
        if (m_listener)
            m_listener->clientDisconnected();
    }
}
