#include "http/TcpStream.h"

#include <QEvent>
#include <QHostInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

constexpr qsizetype kKeptPieces = 16; // room an emptied output list keeps: a response's head, body and chunks
constexpr int kLingerReadsPerWakeup = 16;
constexpr qsizetype kLingerPiece = 16 * 1024;       // per read while lingering: at most 256 KiB per wakeup
constexpr qint64 kMaxLingerBytes = 4 * 1024 * 1024; // read away after an answer, at most, before the connection is cut

} // namespace

TcpStream::TcpStream(qintptr descriptor, QObject* parent)
    : QObject(parent), m_readNotifier(QSocketNotifier::Read, this, &TcpStream::onReadable),
      m_writeNotifier(QSocketNotifier::Write, this, &TcpStream::onWritable)
{
    adopt(int(descriptor));
    m_connected = true;
    m_readNotifier.setEnabled(true);
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0) {
        m_peerAddress.setAddress(reinterpret_cast<const sockaddr*>(&peer));
        if (peer.ss_family == AF_INET)
            m_peerPort = ntohs(reinterpret_cast<const sockaddr_in&>(peer).sin_port);
        else if (peer.ss_family == AF_INET6)
            m_peerPort = ntohs(reinterpret_cast<const sockaddr_in6&>(peer).sin6_port);
    }
}

TcpStream::TcpStream(const QString& host, quint16 port, QObject* parent)
    : QObject(parent), m_readNotifier(QSocketNotifier::Read, this, &TcpStream::onReadable),
      m_writeNotifier(QSocketNotifier::Write, this, &TcpStream::onWritable), m_port(port)
{
    m_connecting = true;
    if (QHostAddress address; address.setAddress(host)) {
        m_addresses = {address};
        // From the event loop: the owner hears nothing from inside this constructor, even of a failure.
        QMetaObject::invokeMethod(this, &TcpStream::connectToNext, Qt::QueuedConnection);
        return;
    }
    QHostInfo::lookupHost(host, this, &TcpStream::onResolved); // Qt keeps recent answers
}

void TcpStream::adopt(int descriptor)
{
    m_fd = descriptor;
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // fails harmlessly on a Unix socket
    m_readNotifier.setSocket(m_fd);
    m_writeNotifier.setSocket(m_fd);
    m_readNotifier.setEnabled(false);
    m_writeNotifier.setEnabled(false);
}

bool TcpStream::Notifier::event(QEvent* event)
{
    if (event->type() != QEvent::SockAct)
        return QSocketNotifier::event(event);
    (m_stream->*m_ready)(); // may delete the stream, and this with it
    return true;
}

void TcpStream::onResolved(const QHostInfo& info)
{
    if (!m_connecting)
        return;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        connectFailed(info.errorString());
        return;
    }
    m_addresses = info.addresses();
    connectToNext();
}

void TcpStream::connectToNext()
{
    if (!m_connecting)
        return;
    QString lastError = QStringLiteral("no address to connect to");
    while (!m_addresses.isEmpty()) {
        const QHostAddress address = m_addresses.takeFirst();
        sockaddr_storage target{};
        socklen_t length = 0;
        if (address.protocol() == QAbstractSocket::IPv4Protocol) {
            auto& in = reinterpret_cast<sockaddr_in&>(target);
            in.sin_family = AF_INET;
            in.sin_port = htons(m_port);
            in.sin_addr.s_addr = htonl(address.toIPv4Address());
            length = sizeof in;
        } else {
            auto& in6 = reinterpret_cast<sockaddr_in6&>(target);
            in6.sin6_family = AF_INET6;
            in6.sin6_port = htons(m_port);
            const Q_IPV6ADDR bytes = address.toIPv6Address();
            std::memcpy(&in6.sin6_addr, bytes.c, sizeof bytes.c);
            in6.sin6_scope_id = address.scopeId().toUInt();
            length = sizeof in6;
        }
        const int fd = ::socket(target.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            lastError = QString::fromLocal8Bit(std::strerror(errno));
            continue;
        }
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&target), length) < 0 && errno != EINPROGRESS) {
            lastError = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            continue;
        }
        adopt(fd);
        m_peerAddress = address;
        m_peerPort = m_port;
        m_writeNotifier.setEnabled(true); // writable: the connect finished, one way or the other
        return;
    }
    connectFailed(lastError);
}

void TcpStream::connectFailed(const QString& message)
{
    m_connecting = false;
    m_failed = true;
    m_failure = Failure::Connect;
    m_errorString = message;
    if (m_listener)
        m_listener->streamClosed();
}

TcpStream::~TcpStream()
{
    closeDescriptor();
}

void TcpStream::takeInput()
{
    if (m_fd >= 0 && !m_failed && !m_closing && !m_readNotifier.isEnabled() && m_input.size() < kInputBound)
        m_readNotifier.setEnabled(true);
}

void TcpStream::write(const QByteArray& bytes)
{
    if (m_failed || (m_fd < 0 && !m_connecting) || bytes.isEmpty())
        return;
    m_output.append(bytes); // shared, not copied
    m_outputBytes += bytes.size();
}

void TcpStream::flush()
{
    if (m_fd < 0 || m_connecting || m_failed || m_waitingWritable || m_outputBytes == 0)
        return;
    if (sendOutput() && m_outputBytes > 0) {
        m_waitingWritable = true;
        m_writeNotifier.setEnabled(true);
    }
}

bool TcpStream::sendOutput()
{
    constexpr int kMostPieces = 64; // per call; a longer queue takes more calls
    while (m_outputBytes > 0) {
        iovec pieces[kMostPieces];
        int count = 0;
        for (qsizetype i = 0; i < m_output.size() && count < kMostPieces; ++i, ++count) {
            const qsizetype skip = i == 0 ? m_outputSent : 0;
            pieces[count].iov_base = const_cast<char*>(m_output.at(i).constData() + skip);
            pieces[count].iov_len = size_t(m_output.at(i).size() - skip);
        }
        msghdr message{};
        message.msg_iov = pieces;
        message.msg_iovlen = size_t(count);
        const ssize_t sent = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (sent > 0) {
            dropSent(sent);
            continue;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        fail();
        return false;
    }
    return true;
}

void TcpStream::dropSent(qint64 sent)
{
    m_outputBytes -= sent;
    while (sent > 0) {
        const qsizetype left = m_output.first().size() - m_outputSent;
        if (sent < left) {
            m_outputSent += qsizetype(sent);
            return;
        }
        sent -= left;
        m_output.removeFirst(); // a slow client's backlog can be large: its memory goes as it is sent
        m_outputSent = 0;
    }
    if (m_output.isEmpty() && m_output.capacity() > kKeptPieces)
        m_output = QList<QByteArray>(); // and the list of a long backlog with it
}

void TcpStream::clearOutput()
{
    m_output = QList<QByteArray>();
    m_outputSent = 0;
    m_outputBytes = 0;
}

void TcpStream::closeAfterFlush(bool readToEnd)
{
    if (m_connecting) {
        abort();
        return;
    }
    if (m_fd < 0 || m_closing)
        return;
    m_closing = true;
    m_readToEnd = readToEnd && !m_failed;
    m_readNotifier.setEnabled(false);
    flush();
    if (m_outputBytes > 0 && !m_failed)
        return; // onWritable() closes once the rest is out
    finishClose();
}

void TcpStream::finishClose()
{
    if (m_readToEnd && !m_failed) {
        ::shutdown(m_fd, SHUT_WR); // the peer sees the end of the answer, and stops sending soon
        m_lingering = true;
        m_readNotifier.setEnabled(true);
        return;
    }
    closeDescriptor();
    if (m_listener)
        m_listener->streamClosed();
}

void TcpStream::abort()
{
    m_listener = nullptr;
    m_connecting = false;
    clearOutput();
    closeDescriptor();
}

void TcpStream::onReadable()
{
    // Read through one buffer per thread, so an idle connection holds only what it has received. As large as the input
    // may grow, so that a chat's history (tens of KiB) comes in one read and one copy, where 16 KiB pieces took two or
    // more of each and regrew the input on the way. On the heap, made by the first read: a thread_local array would be
    // in every thread of the process.
    thread_local const std::unique_ptr<char[]> scratchBuffer(new char[kInputBound]);
    char* const scratch = scratchBuffer.get();
    if (m_lingering) {
        // A few reads per wakeup (the readiness is level-triggered: the loop comes back), and no more than
        // kMaxLingerBytes in all: a peer that keeps sending must neither hold the thread nor the connection.
        ssize_t n = -1;
        for (int i = 0; i < kLingerReadsPerWakeup; ++i) {
            n = ::read(m_fd, scratch, size_t(kLingerPiece));
            if (n > 0)
                m_lingered += n;
            else if (!(n < 0 && errno == EINTR))
                break;
        }
        const bool peerDone = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
        if (peerDone || m_lingered > kMaxLingerBytes) {
            closeDescriptor();
            if (m_listener)
                m_listener->streamClosed();
        }
        return;
    }
    // One read of what the input has room for: whatever it leaves, the next readiness brings, once the owner took some
    // when the input is full.
    qsizetype received = 0;
    bool ended = false;
    if (m_input.size() < kInputBound) {
        ssize_t n;
        do
            n = ::read(m_fd, scratch, size_t(kInputBound - m_input.size()));
        while (n < 0 && errno == EINTR);
        if (n > 0) {
            m_input.append(scratch, qsizetype(n));
            received = n;
        } else {
            ended = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK); // closed by the peer, or reset
            if (n < 0 && ended) {
                m_failure = Failure::Reset;
                m_errorString = QString::fromLocal8Bit(std::strerror(errno));
            }
        }
    }
    if (m_input.size() >= kInputBound || ended)
        m_readNotifier.setEnabled(false); // takeInput() reads on once the owner used some
    m_failed = m_failed || ended;
    m_bytesReceived += received;
    if (received > 0 && m_listener)
        m_listener->streamReadable();
    if (ended && m_listener && m_fd >= 0) { // the listener may have aborted meanwhile
        closeDescriptor();
        m_listener->streamClosed();
    }
}

void TcpStream::onWritable()
{
    if (m_connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
            error = errno;
        if (error != 0) {
            closeDescriptor();
            if (m_addresses.isEmpty())
                connectFailed(QString::fromLocal8Bit(std::strerror(error)));
            else
                connectToNext();
            return;
        }
        m_connecting = false;
        m_connected = true;
        m_writeNotifier.setEnabled(false);
        m_readNotifier.setEnabled(true);
        if (m_listener)
            m_listener->streamConnected();
        return;
    }
    const qint64 before = m_outputBytes;
    if (!sendOutput())
        return;
    if (m_outputBytes == 0) {
        m_waitingWritable = false;
        m_writeNotifier.setEnabled(false);
        if (m_closing) {
            finishClose();
            return;
        }
    }
    if (m_outputBytes < before && m_listener)
        m_listener->streamWritten(); // also for part of it: a slow client's exchange may resume below its bound
}

void TcpStream::fail()
{
    // A write to a connection the peer reset: reported from the event loop, not from inside write().
    m_failed = true;
    m_failure = Failure::Reset;
    m_errorString = QString::fromLocal8Bit(std::strerror(errno));
    clearOutput();
    m_waitingWritable = false;
    m_writeNotifier.setEnabled(false);
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_fd < 0)
                return;
            closeDescriptor();
            if (m_listener)
                m_listener->streamClosed();
        },
        Qt::QueuedConnection);
}

void TcpStream::closeDescriptor()
{
    m_connected = false;
    if (m_fd < 0)
        return;
    m_readNotifier.setEnabled(false);
    m_writeNotifier.setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
}
