#pragma once

#include "http/ByteStream.h"
#include "http/Timeout.h"

#include <QObject>

#include <memory>

class UpstreamExchange;

// One keep-alive connection to an upstream, owned by the UpstreamPool while idle and by an UpstreamExchange while
// in use (plainly: it has no QObject parent, so handing it over is not a reparenting). Its stream's events are routed
// to the exchange using it. While idle it watches for the server closing it and for its idle timeout; in use, its
// timeout is the exchange's (connect, response head, stall), so no timer is created or destroyed per request.
class UpstreamConnection : public QObject, private ByteStream::Listener
{
    Q_OBJECT

public:
    UpstreamConnection(QString key, std::unique_ptr<ByteStream> stream);

    ByteStream& stream() const { return *m_stream; }
    const QString& key() const { return m_key; }
    bool isReusable() const;

    void setUser(UpstreamExchange* user) { m_user = user; }
    // In use: UpstreamExchange::onTimeout() after `ms`, unless moved again or parked.
    void armTimeout(int ms) { m_timeout.start(ms, this); }
    void park(int idleTimeoutMs);
    void unpark() { m_timeout.stop(); }
    // Closes the stream and deletes the connection later; no more events reach anyone.
    void retire();

signals:
    void idleEnded(UpstreamConnection* connection); // closed by the server, sent bytes, or timed out while parked

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    void streamConnected() override;
    void streamReadable() override;
    void streamWritten() override;
    void streamClosed() override;

    QString m_key;
    std::unique_ptr<ByteStream> m_stream;
    UpstreamExchange* m_user = nullptr;
    Timeout m_timeout;
    bool m_retired = false;
};
