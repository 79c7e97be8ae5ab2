#pragma once

#include "http/ByteStream.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSocketNotifier>

class QHostInfo;

// A plain TCP (or Unix) connection on its descriptor: one read() per readiness and one sendmsg() per flush, with no
// ioctl, ring buffer or signal in between, which is what QTcpSocket adds to every request. Written buffers are queued
// as they are, not copied into one: a request head and the body after it leave in one call, the body from its own
// buffer.
class TcpStream : public QObject, public ByteStream
{
    Q_OBJECT

public:
    // Takes ownership of a connected socket descriptor.
    explicit TcpStream(qintptr descriptor, QObject* parent = nullptr);
    // Opens a connection (a host name is looked up first; its addresses are tried in turn): streamConnected() once
    // it is up, streamClosed() with Failure::Connect if it cannot be.
    TcpStream(const QString& host, quint16 port, QObject* parent = nullptr);
    ~TcpStream() override;

    void takeInput() override;
    void write(const QByteArray& bytes) override;
    void flush() override;
    qint64 bytesToWrite() const override { return m_outputBytes; }
    void closeAfterFlush(bool readToEnd) override;
    void abort() override;

private:
    // Calls its stream straight from the readiness event: QSocketNotifier's two activated() signals, and the guard
    // around them, cost more than the read they announce.
    class Notifier : public QSocketNotifier
    {
    public:
        Notifier(Type type, TcpStream* stream, void (TcpStream::*ready)())
            : QSocketNotifier(type), m_stream(stream), m_ready(ready)
        {}

    protected:
        bool event(QEvent* event) override;

    private:
        TcpStream* m_stream;
        void (TcpStream::*m_ready)();
    };

    void adopt(int descriptor);
    void onResolved(const QHostInfo& info);
    void connectToNext();
    void connectFailed(const QString& message);
    void onReadable();
    void onWritable();
    bool sendOutput(); // false when the connection failed
    void dropSent(qint64 sent);
    void clearOutput();
    void fail();
    void closeDescriptor();
    void finishClose(); // the output is out

    int m_fd = -1;
    Notifier m_readNotifier;
    Notifier m_writeNotifier;
    QList<QByteArray> m_output;      // accepted, not yet taken by the kernel, in order
    qsizetype m_outputSent = 0;      // of the first buffer, the bytes already taken
    qint64 m_outputBytes = 0;        // not yet taken, in all
    QList<QHostAddress> m_addresses; // still to try, while connecting
    quint16 m_port = 0;
    bool m_connecting = false;
    bool m_waitingWritable = false;
    bool m_closing = false;
    bool m_readToEnd = false; // closing: the input is read to its end first
    bool m_lingering = false; // the sending side is shut; reading to the end
    qint64 m_lingered = 0;    // bytes read away while lingering
    bool m_failed = false;
};
