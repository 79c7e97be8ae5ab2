#include "RedisServer.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>

#include <csignal>

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

RedisServer::RedisServer(QStringList extraArguments) : m_extraArguments(std::move(extraArguments)), m_port(freePort())
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("redis.log")));
}

RedisServer::~RedisServer()
{
    resume();
    kill();
}

bool RedisServer::start()
{
    m_process.start(QStringLiteral("redis-server"),
                    QStringList{QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                                m_dir.path()} +
                        m_extraArguments);
    if (!m_process.waitForStarted())
        return false;
    const QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(200)) {
            probe.write("PING\r\n");
            if (probe.waitForReadyRead(1000))
                return true; // +PONG, or -NOAUTH when a password is required: either way it is serving
        }
    }
    return false;
}

void RedisServer::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished();
}

void RedisServer::pause()
{
    if (m_process.state() == QProcess::Running)
        ::kill(pid_t(m_process.processId()), SIGSTOP);
}

void RedisServer::resume()
{
    if (m_process.state() == QProcess::Running)
        ::kill(pid_t(m_process.processId()), SIGCONT);
}

QString RedisServer::url(const QString& password, int db) const
{
    const QString credentials = password.isEmpty() ? QString() : QStringLiteral(":%1@").arg(password);
    return QStringLiteral("redis://") + credentials + QStringLiteral("127.0.0.1:%1/%2").arg(m_port).arg(db);
}
