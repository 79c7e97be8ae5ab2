#pragma once

#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>

class QTcpServer;
class QTcpSocket;

// Catches an OAuth redirect to a loopback address on this computer (http://localhost:1455/auth/callback): while an
// authorization is open it listens on the redirect URI's port, on loopback only, answers the browser with a page that
// says it can be closed, and hands over the whole address the browser was sent to. Other paths get a 404.
class LoopbackRedirect : public QObject
{
    Q_OBJECT

public:
    explicit LoopbackRedirect(QObject* parent = nullptr);
    ~LoopbackRedirect() override;

    // Whether a redirect URI can be caught here: http, to localhost or a loopback address, with a port.
    static bool catches(const QUrl& redirectUri);
    // False when the port is taken (by the tool whose flow this is, say): the address must then be pasted.
    bool listen(const QUrl& redirectUri);
    void close();

signals:
    void arrived(const QUrl& callbackUrl);

private:
    void accept(QTcpServer* server);
    void read(QTcpSocket* socket);

    QUrl m_redirectUri;
    QList<QTcpServer*> m_servers; // IPv4 and IPv6 loopback: a browser may try either for "localhost"
};
