#pragma once

#include <QTcpServer>

#include <functional>

// The listening socket: hands every accepted descriptor to a callback instead of creating sockets on its own
// thread, so each connection can live on a worker thread from its first byte (TLS handshake included).
class HttpAcceptor : public QTcpServer
{
    Q_OBJECT

public:
    explicit HttpAcceptor(std::function<void(qintptr)> onDescriptor, QObject* parent = nullptr)
        : QTcpServer(parent), m_onDescriptor(std::move(onDescriptor))
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_onDescriptor(descriptor); }

private:
    std::function<void(qintptr)> m_onDescriptor;
};
