#include "NotifySocket.h"

#include <QFile>
#include <QTest>

#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

NotifySocket::NotifySocket(const QString& path) : m_path(path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    if (encoded.size() >= qsizetype(sizeof(address.sun_path)))
        return;
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

NotifySocket::~NotifySocket()
{
    if (m_fd >= 0)
        ::close(m_fd);
    QFile::remove(m_path);
}

void NotifySocket::read()
{
    char buffer[4096];
    ssize_t size = 0;
    while ((size = ::recv(m_fd, buffer, sizeof buffer, 0)) > 0)
        m_received.append(QByteArray(buffer, size));
}

bool NotifySocket::waitFor(const QByteArray& state, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            read();
            for (; m_matched < m_received.size(); ++m_matched) {
                if (m_received[m_matched].split('\n').contains(state)) {
                    ++m_matched;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
}
