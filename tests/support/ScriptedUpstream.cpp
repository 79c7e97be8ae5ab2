#include "ScriptedUpstream.h"

#include <llhttp.h>

#include <QSslServer>
#include <QSslSocket>

struct ScriptedUpstream::Connection
{
    ScriptedUpstream* owner = nullptr;
    QPointer<QTcpSocket> socket;
    llhttp_t parser;
    Request current;
    QList<Request> complete;
    bool lastWasValue = false;
    int index = 0;
    int requestCount = 0;

    static Connection* of(llhttp_t* parser) { return static_cast<Connection*>(parser->data); }

    static const llhttp_settings_t& settings()
    {
        static const llhttp_settings_t s = [] {
            llhttp_settings_t s;
            llhttp_settings_init(&s);
            s.on_url = [](llhttp_t* p, const char* at, size_t n) {
                of(p)->current.target.append(at, qsizetype(n));
                return 0;
            };
            s.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
                Connection* c = of(p);
                if (c->lastWasValue || c->current.headers.isEmpty())
                    c->current.headers.append(QByteArray(at, qsizetype(n)), QByteArray());
                else
                    c->current.headers.appendToLastName(QByteArrayView(at, qsizetype(n)));
                c->lastWasValue = false;
                return 0;
            };
            s.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
                of(p)->current.headers.appendToLastValue(QByteArrayView(at, qsizetype(n)));
                of(p)->lastWasValue = true;
                return 0;
            };
            s.on_body = [](llhttp_t* p, const char* at, size_t n) {
                of(p)->current.body.append(at, qsizetype(n));
                return 0;
            };
            s.on_message_complete = [](llhttp_t* p) {
                Connection* c = of(p);
                c->current.method = llhttp_method_name(llhttp_method_t(llhttp_get_method(p)));
                c->current.connectionIndex = c->index;
                c->current.indexOnConnection = ++c->requestCount;
                c->complete.append(std::exchange(c->current, Request()));
                c->lastWasValue = false;
                return 0;
            };
            return s;
        }();
        return s;
    }
};

ScriptedUpstream::ScriptedUpstream(const QSslConfiguration& tls, QObject* parent)
    : QObject(parent), m_tls(!tls.localCertificate().isNull())
{
    if (m_tls) {
        auto* server = new QSslServer(this);
        server->setSslConfiguration(tls);
        m_server = server;
    } else {
        m_server = new QTcpServer(this);
    }
    m_responder = fixed(200, "hello");
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &ScriptedUpstream::accept);
    m_server->listen(QHostAddress::LocalHost, 0);
}

ScriptedUpstream::~ScriptedUpstream()
{
    for (const auto& connection : m_connections) {
        if (connection->socket)
            QObject::disconnect(connection->socket, nullptr, this, nullptr);
    }
}

QUrl ScriptedUpstream::url() const
{
    return QUrl(QStringLiteral("%1://%2:%3")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"),
                         m_tls ? QStringLiteral("localhost") : QStringLiteral("127.0.0.1"))
                    .arg(port()));
}

void ScriptedUpstream::accept()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        auto connection = std::make_unique<Connection>();
        Connection* c = connection.get();
        c->owner = this;
        c->socket = socket;
        c->index = ++m_connectionCount;
        llhttp_init(&c->parser, HTTP_REQUEST, &Connection::settings());
        c->parser.data = c;
        m_connections.push_back(std::move(connection));
        connect(socket, &QTcpSocket::readyRead, this, [this, c] {
            if (!c->socket)
                return;
            const QByteArray data = c->socket->readAll();
            if (llhttp_execute(&c->parser, data.constData(), size_t(data.size())) != HPE_OK) {
                c->socket->abort();
                return;
            }
            const QList<Request> complete = std::exchange(c->complete, {});
            for (const Request& request : complete) {
                m_requests.append(request);
                emit requestReceived();
                if (c->socket)
                    m_responder(request, c->socket);
            }
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            ++m_closedCount;
            socket->deleteLater();
            emit connectionClosed();
        });
    }
}

ScriptedUpstream::Responder ScriptedUpstream::fixed(int status, const QByteArray& body, const HttpHeaders& headers)
{
    return [status, body, headers](const Request&, QTcpSocket* socket) {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " Scripted\r\n";
        for (const auto& [name, value] : headers)
            HttpHeaders::writeField(out, name, value);
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        socket->write(out);
    };
}

ScriptedUpstream::Responder ScriptedUpstream::streaming(qint64 total, bool chunked)
{
    return [this, total, chunked](const Request&, QTcpSocket* socket) {
        m_bytesPushed = 0;
        socket->write(chunked ? QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                              : "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(total) + "\r\n\r\n");
        auto pump = [this, total, chunked, socket] {
            constexpr qint64 kPiece = 64 * 1024;
            while (socket->bytesToWrite() < 4 * kPiece && m_bytesPushed < total) {
                const qint64 size = qMin(kPiece, total - m_bytesPushed);
                QByteArray piece(size, 'x');
                piece[0] = char('a' + (m_bytesPushed / kPiece) % 26); // a marker to tell pieces apart
                socket->write(chunked ? QByteArray::number(size, 16) + "\r\n" + piece + "\r\n" : piece);
                m_bytesPushed += size;
                if (m_bytesPushed == total && chunked)
                    socket->write("0\r\n\r\n");
            }
        };
        connect(socket, &QTcpSocket::bytesWritten, this, pump);
        pump();
    };
}
