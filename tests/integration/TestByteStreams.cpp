#include "TestRegistry.h"

#include "http/SocketStream.h"
#include "http/TcpStream.h"

#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <tuple>

// The byte streams (TcpStream, and SocketStream over a QTcpSocket) on a real loopback connection, its other end a plain
// descriptor the test reads.
class TestByteStreams : public QObject
{
    Q_OBJECT

private:
    // A connected loopback pair: the first for the stream, the second (non-blocking) for the test.
    static std::pair<int, int> connectedPair()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        const int client = ::socket(AF_INET, SOCK_STREAM, 0);
        // Small kernel buffers, so that the kernel takes the writes in many parts whatever the machine's defaults.
        const int bufferBytes = 64 * 1024;
        ::setsockopt(listener, SOL_SOCKET, SO_SNDBUF, &bufferBytes, sizeof bufferBytes);
        ::setsockopt(client, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof bufferBytes);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        const bool connected = ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                               ::listen(listener, 1) == 0 &&
                               ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
                               ::connect(client, reinterpret_cast<sockaddr*>(&address), length) == 0;
        const int accepted = connected ? ::accept(listener, nullptr, nullptr) : -1;
        ::close(listener);
        if (accepted < 0) {
            ::close(client);
            return {-1, -1};
        }
        ::fcntl(client, F_SETFL, ::fcntl(client, F_GETFL) | O_NONBLOCK);
        return {accepted, client};
    }

    static QByteArray readAvailable(int fd)
    {
        QByteArray bytes;
        char buffer[65536];
        ssize_t n = 0;
        while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
            bytes.append(buffer, n);
        return bytes;
    }

    // Counts the closes a stream reports, and the calls it makes from inside a call made on it.
    struct CloseRecorder : ByteStream::Listener
    {
        int closed = 0;
        int calledInsideACall = 0;
        bool insideACall = false;
        void streamReadable() override { calledInsideACall += insideACall ? 1 : 0; }
        void streamWritten() override { calledInsideACall += insideACall ? 1 : 0; }
        void streamClosed() override
        {
            ++closed;
            calledInsideACall += insideACall ? 1 : 0;
        }
        // Writes 1 KiB and flushes, as an exchange does, counting the calls the stream makes meanwhile.
        void writeAndFlush(ByteStream& stream)
        {
            insideACall = true;
            stream.write(QByteArray(1024, 'x'));
            stream.flush();
            insideACall = false;
        }
    };

    // One end of a loopback pair as a stream (a TcpStream, or a SocketStream over a QTcpSocket) that reports to a
    // recorder, and the other end a descriptor the test holds.
    struct RecordedStream
    {
        int streamEnd = -1;
        int peer = -1;
        CloseRecorder recorder; // before the stream: it goes after it
        std::unique_ptr<QObject> owner;
        ByteStream* stream = nullptr;
    };

    static std::unique_ptr<RecordedStream> recordedStream(bool overQtSocket)
    {
        auto recorded = std::make_unique<RecordedStream>();
        std::tie(recorded->streamEnd, recorded->peer) = connectedPair();
        if (recorded->streamEnd < 0)
            return nullptr;
        if (overQtSocket) {
            auto* socket = new QTcpSocket;
            if (!socket->setSocketDescriptor(recorded->streamEnd))
                return nullptr;
            auto* socketStream = new SocketStream(socket);
            recorded->owner.reset(socketStream);
            recorded->stream = socketStream;
        } else {
            auto* tcpStream = new TcpStream(recorded->streamEnd);
            recorded->owner.reset(tcpStream);
            recorded->stream = tcpStream;
        }
        recorded->stream->setListener(&recorded->recorder);
        return recorded;
    }

private slots:
    // A write to a peer that reset the connection fails inside flush(). The stream reports the close from the event
    // loop, as ByteStream promises: the caller of flush() goes on with the connection (an exchange that ended inside
    // writeBody() read its connection's limits after it was gone).
    void aResetPeerIsReportedFromTheEventLoop_data()
    {
        QTest::addColumn<bool>("overQtSocket");
        QTest::newRow("TcpStream") << false;
        QTest::newRow("SocketStream") << true;
    }

    void aResetPeerIsReportedFromTheEventLoop()
    {
        QFETCH(bool, overQtSocket);
        const auto recorded = recordedStream(overQtSocket);
        QVERIFY(recorded);
        CloseRecorder& recorder = recorded->recorder;

        const linger resetAtClose{1, 0};
        ::setsockopt(recorded->peer, SOL_SOCKET, SO_LINGER, &resetAtClose, sizeof resetAtClose);
        ::close(recorded->peer);
        pollfd reset{recorded->streamEnd, POLLIN, 0};
        QCOMPARE(::poll(&reset, 1, 5000), 1); // the reset has arrived; the event loop has not run since

        recorder.writeAndFlush(*recorded->stream);
        QCOMPARE(recorder.calledInsideACall, 0);
        QTRY_COMPARE(recorder.closed, 1);
        QCoreApplication::processEvents();
        QCOMPARE(recorder.closed, 1);
    }

    // What a flush sent is reported from the event loop too (Qt emits bytesWritten inside flush()).
    void bytesSentAreReportedFromTheEventLoop_data() { aResetPeerIsReportedFromTheEventLoop_data(); }

    void bytesSentAreReportedFromTheEventLoop()
    {
        QFETCH(bool, overQtSocket);
        const auto recorded = recordedStream(overQtSocket);
        QVERIFY(recorded);
        recorded->recorder.writeAndFlush(*recorded->stream);
        QCOMPARE(recorded->recorder.calledInsideACall, 0);
        QTRY_COMPARE(recorded->stream->bytesToWrite(), 0);
        QCOMPARE(readAvailable(recorded->peer).size(), 1024);
        ::close(recorded->peer);
    }

    // Buffers written one after another reach the peer whole and in order, though the kernel takes them in parts
    // that end inside a buffer (several inside one), and more of them wait than one system call sends.
    void queuedBuffersArriveInOrderThroughPartialSends()
    {
        const auto [streamEnd, peer] = connectedPair();
        QVERIFY(streamEnd >= 0 && peer >= 0);
        TcpStream stream(streamEnd);
        QByteArray expected;
        for (int i = 0; i < 300; ++i) {
            // Mostly small, one larger than the kernel takes at once: several sends end inside it.
            const QByteArray piece(i == 150 ? 16 * 1024 * 1024 : 1 + (i * 7919) % 40000, char('a' + i % 26));
            expected += piece;
            stream.write(piece);
        }
        stream.write(QByteArray()); // nothing to send: no piece
        stream.flush();
        QVERIFY2(stream.bytesToWrite() > 0, "the kernel took everything: the test needs it to push back");
        QVERIFY(stream.bytesToWrite() < expected.size());

        QByteArray received;
        QSocketNotifier readable(peer, QSocketNotifier::Read);
        connect(&readable, &QSocketNotifier::activated, this, [&] { received += readAvailable(peer); });
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), expected.size(), 20'000);
        QVERIFY(received == expected);
        QCOMPARE(stream.bytesToWrite(), 0);
        ::close(peer);
    }
};

GATEHOUSE_TEST_MAIN(TestByteStreams)
#include "TestByteStreams.moc"
