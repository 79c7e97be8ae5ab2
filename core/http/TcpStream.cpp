#include "http/TcpStream.h"

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr qsizetype kReadPiece = 16 * 1024; // room offered to one read(): a request head or an SSE event fits

} // namespace

TcpStream::TcpStream(qintptr descriptor, QObject* parent)
    : QObject(parent), m_fd(int(descriptor)), m_readNotifier(descriptor, QSocketNotifier::Read),
      m_writeNotifier(descriptor, QSocketNotifier::Write)
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // fails harmlessly on a Unix socket
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0) {
        m_peerAddress.setAddress(reinterpret_cast<const sockaddr*>(&peer));
        if (peer.ss_family == AF_INET)
            m_peerPort = ntohs(reinterpret_cast<const sockaddr_in&>(peer).sin_port);
        else if (peer.ss_family == AF_INET6)
            m_peerPort = ntohs(reinterpret_cast<const sockaddr_in6&>(peer).sin6_port);
    }
    m_writeNotifier.setEnabled(false);
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &TcpStream::onReadable);
    connect(&m_writeNotifier, &QSocketNotifier::activated, this, &TcpStream::onWritable);
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
    if (m_fd < 0 || m_failed)
        return;
    m_output += bytes; // shares rather than copies when nothing is queued
}

void TcpStream::flush()
{
    if (m_fd < 0 || m_failed || m_waitingWritable || m_output.isEmpty())
        return;
    if (sendOutput() && !m_output.isEmpty()) {
        m_waitingWritable = true;
        m_writeNotifier.setEnabled(true);
    }
}

bool TcpStream::sendOutput()
{
    while (!m_output.isEmpty()) {
        const ssize_t sent = ::send(m_fd, m_output.constData(), size_t(m_output.size()), MSG_NOSIGNAL);
        if (sent > 0) {
            if (sent == m_output.size())
                m_output.clear(); // a slow client's backlog can be large: do not keep its memory
            else
                m_output.remove(0, sent);
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

void TcpStream::closeAfterFlush()
{
    if (m_fd < 0)
        return;
    m_closing = true;
    m_readNotifier.setEnabled(false);
    flush();
    if (!m_output.isEmpty() && !m_failed)
        return; // onWritable() closes once the rest is out
    closeDescriptor();
    if (m_listener)
        m_listener->streamClosed();
}

void TcpStream::abort()
{
    m_listener = nullptr;
    m_output.clear();
    closeDescriptor();
}

void TcpStream::onReadable()
{
    // Read through one buffer per thread, so an idle connection holds only what it has received.
    thread_local char scratch[kReadPiece];
    qsizetype received = 0;
    bool ended = false;
    while (m_input.size() < kInputBound) {
        const size_t room = size_t(qMin(kReadPiece, kInputBound - m_input.size()));
        const ssize_t n = ::read(m_fd, scratch, room);
        if (n > 0) {
            m_input.append(scratch, qsizetype(n));
            received += n;
            if (size_t(n) < room)
                break; // the kernel had no more: the next readiness says when it has
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        ended = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK); // closed by the peer, or reset
        break;
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
    const qsizetype before = m_output.size();
    if (!sendOutput())
        return;
    if (m_output.isEmpty()) {
        m_waitingWritable = false;
        m_writeNotifier.setEnabled(false);
        if (m_closing) {
            closeDescriptor();
            if (m_listener)
                m_listener->streamClosed();
            return;
        }
    }
    if (m_output.size() < before && m_listener)
        m_listener->streamWritten(); // also for part of it: a slow client's exchange may resume below its bound
}

void TcpStream::fail()
{
    // A write to a connection the peer reset: reported from the event loop, not from inside write().
    m_failed = true;
    m_output.clear();
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
    if (m_fd < 0)
        return;
    m_readNotifier.setEnabled(false);
    m_writeNotifier.setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
}
