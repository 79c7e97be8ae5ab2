#include "pages/LoopbackRedirect.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

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

bool LoopbackRedirect::listen(const QUrl& redirectUri)
{
    close();
    if (!catches(redirectUri))
        return false;
    m_redirectUri = redirectUri;
    for (const QHostAddress& address :
         {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)}) {
        auto* server = new QTcpServer(this);
        if (!server->listen(address, quint16(redirectUri.port()))) {
            delete server;
            continue;
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
}

void LoopbackRedirect::accept(QTcpServer* server)
{
    while (QTcpSocket* socket = server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void LoopbackRedirect::read(QTcpSocket* socket)
{
    const QByteArray head = socket->peek(kMaxRequestBytes);
    if (!head.contains("\r\n\r\n")) {
        if (head.size() >= kMaxRequestBytes) {
            socket->write(page(431, "Request Header Fields Too Large", tr("The request is too large.")));
            socket->disconnectFromHost();
        }
        return; // more to come
    }
    socket->readAll();
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    // "GET /auth/callback?code=...&state=... HTTP/1.1"
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QUrl target = requestLine.size() == 3 ? QUrl::fromEncoded(requestLine.at(1)) : QUrl();
    if (requestLine.value(0) != "GET" || target.path() != m_redirectUri.path()) {
        socket->write(page(404, "Not Found", tr("Nothing here.")));
        socket->disconnectFromHost();
        return;
    }
    socket->write(page(200, "OK", tr("Gatehouse has the answer. You can close this window.")));
    socket->disconnectFromHost();
    QUrl callback = m_redirectUri;
    callback.setQuery(target.query(QUrl::FullyEncoded), QUrl::StrictMode);
    emit arrived(callback);
}
