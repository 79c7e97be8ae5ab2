#include "app/ServiceNotifier.h"

#include "common/Logging.h"

#include <QCoreApplication>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

ServiceNotifier::ServiceNotifier(QObject* parent) : QObject(parent), m_socket(qgetenv("NOTIFY_SOCKET"))
{
    // The watchdog is ours unless systemd named another process for it.
    const qint64 watchdogUs = qgetenv("WATCHDOG_USEC").toLongLong();
    const QByteArray watchdogPid = qgetenv("WATCHDOG_PID");
    if (m_socket.isEmpty() || watchdogUs <= 0 ||
        (!watchdogPid.isEmpty() && watchdogPid.toLongLong() != QCoreApplication::applicationPid()))
        return;
    connect(&m_watchdog, &QTimer::timeout, this, [this] { send("WATCHDOG=1"); });
    m_watchdog.start(int(qMax<qint64>(watchdogUs / 2000, 1)));
}

void ServiceNotifier::ready(const QString& status)
{
    send("READY=1\nSTATUS=" + status.toUtf8() + "\nMAINPID=" + QByteArray::number(QCoreApplication::applicationPid()));
}

void ServiceNotifier::reloading()
{
    send("RELOADING=1");
}

void ServiceNotifier::stopping()
{
    send("STOPPING=1");
}

void ServiceNotifier::send(const QByteArray& state)
{
    if (m_socket.isEmpty())
        return;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    // A path needs room for its terminating zero; an abstract name does not.
    const bool abstract = m_socket.startsWith('@');
    if ((!abstract && !m_socket.startsWith('/')) ||
        m_socket.size() > qsizetype(sizeof(address.sun_path)) - (abstract ? 0 : 1)) {
        qCWarning(lcApp) << "NOTIFY_SOCKET is not a socket path; systemd is not told the service's state";
        m_socket.clear();
        return;
    }
    std::memcpy(address.sun_path, m_socket.constData(), size_t(m_socket.size()));
    if (abstract)
        address.sun_path[0] = '\0'; // no file: the name follows the zero
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    const socklen_t length = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(m_socket.size()));
    if (::sendto(fd, state.constData(), size_t(state.size()), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address),
                 length) < 0)
        qCWarning(lcApp) << "cannot notify systemd:" << std::strerror(errno);
    ::close(fd);
}
