#pragma once

#include <QByteArrayList>
#include <QString>

// systemd's side of sd_notify(3) for a test: a datagram socket bound at a path, whose messages ("READY=1\n...")
// the process under test sends when started with NOTIFY_SOCKET set to path().
class NotifySocket
{
public:
    explicit NotifySocket(const QString& path);
    ~NotifySocket();
    bool isValid() const { return m_fd >= 0; }
    QString path() const { return m_path; }

    // Waits until a message containing the line `state` (e.g. "READY=1") arrives, reading the messages before it.
    bool waitFor(const QByteArray& state, int timeoutMs = 10'000);
    // Every message received so far, in order.
    const QByteArrayList& received() const { return m_received; }

private:
    void read();

    QString m_path;
    int m_fd = -1;
    QByteArrayList m_received;
    qsizetype m_matched = 0; // messages looked at by waitFor already
};
