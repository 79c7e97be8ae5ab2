#include "FakeHttpServer.h"

#include <QTcpSocket>
#include <QTimer>

#include <llhttp.h>

struct FakeHttpServer::Connection
{
    int id = 0;
    QTcpSocket* socket = nullptr;
    llhttp_t parser{};
    bool broken = false;

    // The request being parsed.
    FakeHttpRequest parsing;
    QByteArray url;
    QByteArray headerField;
    QByteArray headerValue;

    // Parsed requests waiting for their turn (pipelining), with their keep-alive verdict.
    QList<QPair<FakeHttpRequest, bool>> pending;

    // The reply being written.
    bool replying = false;
    QString replyPath;
    bool keepAlive = true;
    FakeHttpReply reply;
    int nextPiece = 0;
    qsizetype sentIndex = -1; // into FakeHttpServer::m_sentBodies
};

namespace {

FakeHttpServer::Connection* connectionOf(llhttp_t* parser)
{
    return static_cast<FakeHttpServer::Connection*>(parser->data);
}

const llhttp_settings_t& parserSettings()
{
    static const llhttp_settings_t settings = [] {
        llhttp_settings_t s;
        llhttp_settings_init(&s);
        s.on_message_begin = [](llhttp_t* p) {
            auto* c = connectionOf(p);
            c->parsing = FakeHttpRequest{};
            c->parsing.connectionId = c->id;
            c->url.clear();
            return 0;
        };
        s.on_url = [](llhttp_t* p, const char* at, size_t length) {
            connectionOf(p)->url.append(at, qsizetype(length));
            return 0;
        };
        s.on_header_field = [](llhttp_t* p, const char* at, size_t length) {
            connectionOf(p)->headerField.append(at, qsizetype(length));
            return 0;
        };
        s.on_header_value = [](llhttp_t* p, const char* at, size_t length) {
            connectionOf(p)->headerValue.append(at, qsizetype(length));
            return 0;
        };
        s.on_header_value_complete = [](llhttp_t* p) {
            auto* c = connectionOf(p);
            c->parsing.headers.append({c->headerField, c->headerValue.trimmed()});
            c->headerField.clear();
            c->headerValue.clear();
            return 0;
        };
        s.on_headers_complete = [](llhttp_t* p) {
            auto* c = connectionOf(p);
            c->parsing.method = llhttp_method_name(llhttp_method_t(p->method));
            const QUrl url = QUrl::fromEncoded(c->url);
            c->parsing.path = url.path();
            c->parsing.query = QUrlQuery(url);
            return 0;
        };
        s.on_body = [](llhttp_t* p, const char* at, size_t length) {
            connectionOf(p)->parsing.body.append(at, qsizetype(length));
            return 0;
        };
        s.on_message_complete = [](llhttp_t* p) {
            auto* c = connectionOf(p);
            c->pending.append({c->parsing, llhttp_should_keep_alive(p) != 0});
            return 0;
        };
        return s;
    }();
    return settings;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 529:
        return "Overloaded";
    default:
        return "Status";
    }
}

} // namespace

FakeHttpServer::FakeHttpServer(QObject* parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeHttpServer::onNewConnection);
}

FakeHttpServer::~FakeHttpServer()
{
    for (auto& [id, connection] : m_connections) {
        connection->socket->disconnect(this);
        connection->socket->abort();
    }
}

bool FakeHttpServer::listen()
{
    m_server.setListenBacklogSize(256);
    if (!m_server.listen(QHostAddress::LocalHost, m_port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

QUrl FakeHttpServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

void FakeHttpServer::refuseConnections()
{
    m_server.close();
    for (auto& [id, connection] : m_connections) {
        connection->socket->disconnect(this);
        connection->socket->abort();
        connection->socket->deleteLater();
    }
    m_connections.clear();
}

bool FakeHttpServer::acceptConnections()
{
    return m_server.isListening() || listen();
}

FakeHttpServer::Connection* FakeHttpServer::find(int id)
{
    const auto it = m_connections.find(id);
    return it == m_connections.end() ? nullptr : it->second.get();
}

void FakeHttpServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        const int id = ++m_connectionsAccepted;
        auto connection = std::make_unique<Connection>();
        connection->id = id;
        connection->socket = socket;
        llhttp_init(&connection->parser, HTTP_REQUEST, &parserSettings());
        connection->parser.data = connection.get();
        m_connections.emplace(id, std::move(connection));
        connect(socket, &QTcpSocket::readyRead, this, [this, id] { onReadyRead(id); });
        // Queued, so a socket that closes while a reply is being written never pulls the state from under it.
        connect(
            socket, &QTcpSocket::disconnected, this, [this, id] { onDisconnected(id); }, Qt::QueuedConnection);
        if (socket->bytesAvailable() > 0)
            onReadyRead(id);
    }
}

void FakeHttpServer::onReadyRead(int id)
{
    Connection* connection = find(id);
    if (!connection)
        return;
    const QByteArray data = connection->socket->readAll();
    if (connection->broken)
        return;
    const llhttp_errno_t error = llhttp_execute(&connection->parser, data.constData(), size_t(data.size()));
    if (error != HPE_OK && error != HPE_CLOSED_CONNECTION) {
        connection->broken = true;
        if (!connection->replying) {
            connection->socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            connection->socket->disconnectFromHost();
        }
        return;
    }
    answerNext(*connection);
}

void FakeHttpServer::onDisconnected(int id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    Connection& connection = *it->second;
    if (connection.replying) {
        ++m_clientAborts;
        emit clientAborted(id, connection.replyPath);
    }
    connection.socket->deleteLater();
    m_connections.erase(it);
}

void FakeHttpServer::answerNext(Connection& connection)
{
    if (connection.replying || connection.pending.isEmpty())
        return;
    auto [request, keepAlive] = connection.pending.takeFirst();
    m_requests.append(request);
    emit requestReceived(request.path);

    connection.reply = m_handler ? m_handler(request) : FakeHttpReply{404, {}, {}};
    connection.replying = true;
    connection.replyPath = request.path;
    connection.keepAlive = keepAlive;
    connection.nextPiece = 0;
    if (connection.reply.hang)
        return;
    const int id = connection.id;
    QTimer::singleShot(connection.reply.firstByteDelayMs, connection.socket, [this, id] {
        if (Connection* c = find(id); c && c->replying)
            writeHead(*c);
    });
}

void FakeHttpServer::writeHead(Connection& connection)
{
    m_sentBodies.append(QByteArray());
    connection.sentIndex = m_sentBodies.size() - 1;
    const FakeHttpReply& reply = connection.reply;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    for (const auto& [name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    if (reply.chunked) {
        head += "Transfer-Encoding: chunked\r\n";
    } else {
        qsizetype length = 0;
        for (const QByteArray& piece : reply.pieces)
            length += piece.size();
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    }
    head += connection.keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    connection.socket->write(head);
    writePiece(connection.id);
}

void FakeHttpServer::writePiece(int id)
{
    Connection* connection = find(id);
    if (!connection || !connection->replying)
        return;
    const FakeHttpReply& reply = connection->reply;
    if (connection->nextPiece == reply.cutAfterPieces)
        return finishReply(*connection, false);
    if (connection->nextPiece == reply.pieces.size())
        return finishReply(*connection, true);

    const QByteArray& piece = reply.pieces.at(connection->nextPiece++);
    m_sentBodies[connection->sentIndex] += piece;
    if (!reply.chunked)
        connection->socket->write(piece);
    else if (!piece.isEmpty()) // an empty chunk would end the body
        connection->socket->write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");

    const bool more = connection->nextPiece < reply.pieces.size() && connection->nextPiece != reply.cutAfterPieces;
    QTimer::singleShot(more ? reply.pieceIntervalMs : 0, connection->socket, [this, id] { writePiece(id); });
}

void FakeHttpServer::finishReply(Connection& connection, bool clean)
{
    connection.replying = false;
    if (!clean) {
        // Whatever was written still goes out, then the connection closes with no end of body.
        connection.socket->disconnectFromHost();
        return;
    }
    if (connection.reply.chunked)
        connection.socket->write("0\r\n\r\n");
    if (!connection.keepAlive) {
        connection.socket->disconnectFromHost();
        return;
    }
    const int id = connection.id;
    QTimer::singleShot(0, connection.socket, [this, id] {
        if (Connection* c = find(id))
            answerNext(*c);
    });
}
