#pragma once

#include <QList>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

// Catches an OAuth redirect to a loopback address on this computer (http://localhost:1455/auth/callback): while an
// authorization is open it listens on the redirect URI's port, on loopback only, answers the browser with a page that
// says it can be closed, and hands over the whole address the browser was sent to, once. Only a request to the
// redirect path carrying the authorization's own state counts: anything else (another page's request to this port,
// say) is answered and ignored.
class LoopbackRedirect : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxConnections = 16;
    static constexpr int kIdleMs = 10'000;

    explicit LoopbackRedirect(QObject* parent = nullptr);
    ~LoopbackRedirect() override;

    // Whether a redirect URI can be caught here: http, to localhost or a loopback address, with a port.
    static bool catches(const QUrl& redirectUri);
    // False when the port is taken on any loopback address the browser may use (by the tool whose flow this is, say):
    // the address must then be pasted.
    bool listen(const QUrl& redirectUri, const QString& state);
    void close();

signals:
    void arrived(const QUrl& callbackUrl);

private:
    void accept(QTcpServer* server);
    void read(QTcpSocket* socket);

    QUrl m_redirectUri;
    QString m_state;
    QList<QTcpServer*> m_servers; // for "localhost", IPv4 and IPv6 loopback: a browser may try either
    QList<QTcpSocket*> m_sockets;
};
