#include "pages/LoopbackRedirect.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace {

constexpr qsizetype kMaxRequestBytes = 16 * 1024;

QByteArray page(int status, const QByteArray& reason, const QString& text)
{
    const QByteArray body =
        "<!doctype html><meta charset=\"utf-8\"><title>Gatehouse</title><p>" + text.toHtmlEscaped().toUtf8() + "</p>";
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n"
           "Content-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QString pathOf(const QUrl& url)
{
    return url.path().isEmpty() ? QStringLiteral("/") : url.path();
}

} // namespace

LoopbackRedirect::LoopbackRedirect(QObject* parent) : QObject(parent) {}

LoopbackRedirect::~LoopbackRedirect()
{
    close();
}

bool LoopbackRedirect::catches(const QUrl& redirectUri)
{
    const bool loopback =
        redirectUri.host() == QLatin1String("localhost") || QHostAddress(redirectUri.host()).isLoopback();
    return redirectUri.scheme() == QLatin1String("http") && loopback && redirectUri.port() > 0;
}

bool LoopbackRedirect::listen(const QUrl& redirectUri, const QString& state)
{
    close();
    if (!catches(redirectUri) || state.isEmpty())
        return false;
    m_redirectUri = redirectUri;
    m_state = state;
    // "localhost" may reach either loopback address; a literal address only itself.
    const bool named = redirectUri.host() == QLatin1String("localhost");
    const QList<QHostAddress> addresses =
        named ? QList<QHostAddress>{QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)}
              : QList<QHostAddress>{QHostAddress(redirectUri.host())};
    for (const QHostAddress& address : addresses) {
        auto* server = new QTcpServer(this);
        if (!server->listen(address, quint16(redirectUri.port()))) {
            const bool taken = server->serverError() == QAbstractSocket::AddressInUseError;
            delete server;
            if (taken || address.protocol() == QAbstractSocket::IPv4Protocol || !named) {
                close(); // another program would get the answer on that address
                return false;
            }
            continue; // no IPv6 on this machine
        }
        connect(server, &QTcpServer::newConnection, this, [this, server] { accept(server); });
        m_servers.append(server);
    }
    return !m_servers.isEmpty();
}

void LoopbackRedirect::close()
{
    qDeleteAll(m_servers);
    m_servers.clear();
    for (QTcpSocket* socket : std::as_const(m_sockets)) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_sockets.clear();
}

void LoopbackRedirect::accept(QTcpServer* server)
{
    while (QTcpSocket* socket = server->nextPendingConnection()) {
        if (m_sockets.size() >= kMaxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        socket->setParent(this);
        m_sockets.append(socket);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_sockets.removeOne(socket);
            socket->deleteLater();
        });
        QTimer::singleShot(kIdleMs, socket, [socket] { socket->abort(); }); // a client that never asks
    }
}

void LoopbackRedirect::read(QTcpSocket* socket)
{
    const QByteArray head = socket->peek(kMaxRequestBytes);
    const auto answer = [socket](const QByteArray& response) {
        socket->write(response);
        socket->disconnectFromHost();
    };
    if (!head.contains("\r\n\r\n")) {
        if (head.size() >= kMaxRequestBytes)
            answer(page(431, "Request Header Fields Too Large", tr("The request is too large.")));
        return; // more to come
    }
    socket->readAll();
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    // "GET /auth/callback?code=...&state=... HTTP/1.1"
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QUrl target = requestLine.size() == 3 ? QUrl::fromEncoded(requestLine.at(1)) : QUrl();
    if (requestLine.value(0) != "GET" || pathOf(target) != pathOf(m_redirectUri))
        return answer(page(404, "Not Found", tr("Nothing here.")));
    if (QUrlQuery(target).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded) != m_state)
        return answer(page(400, "Bad Request", tr("This is not the answer Gatehouse waits for.")));
    answer(page(200, "OK", tr("Gatehouse has the answer. You can close this window.")));
    QUrl callback = m_redirectUri;
    callback.setQuery(target.query(QUrl::FullyEncoded), QUrl::StrictMode);
    qDeleteAll(m_servers); // one answer per authorization
    m_servers.clear();
    emit arrived(callback);
}
