#pragma once

#include "HttpTestClient.h"

#include <QJsonObject>
#include <QProcess>
#include <QUrl>

// A gatehoused process (GATEHOUSED_BINARY) on ephemeral loopback ports, as an operator runs it: started, its banner
// read for the URLs, its output kept; terminated (SIGTERM) when destroyed.
class GatehousedProcess
{
public:
    ~GatehousedProcess();

    // Returns once the banner named both listeners; false (printing what it said) when it exited or 20 s passed.
    bool start(const QString& dataDir, const QProcessEnvironment& environment, const QStringList& arguments = {});
    bool stop(); // SIGTERM, then waits for the exit

    QUrl admin() const { return m_admin; }
    QUrl proxy() const { return m_proxy; }
    // Everything it wrote so far, standard output and error together.
    QString output();
    QProcess& process() { return m_process; }

    // Its admin API: the access token of a password login (empty when refused), and a call with a bearer token.
    QByteArray logIn(const QString& username, const QString& password) const;
    HttpTestClient::Response api(const QByteArray& method, const QString& path, const QByteArray& token,
                                 const QJsonObject& body = {}) const;

private:
    QProcess m_process;
    QString m_output;
    QUrl m_admin;
    QUrl m_proxy;
};
