#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

// A private redis-server on a free loopback port, for tests that stop, restart or freeze it. Killed on destruction.
class RedisServer
{
public:
    explicit RedisServer(QStringList extraArguments = {});
    ~RedisServer();

    bool start(); // returns once the server answers
    void kill();
    void pause();  // SIGSTOP: the port still accepts connections, nothing answers
    void resume(); // SIGCONT

    quint16 port() const { return m_port; }
    QString url(const QString& password = {}, int db = 0) const;

private:
    QStringList m_extraArguments;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};
