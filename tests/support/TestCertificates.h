#pragma once

#include <QSslConfiguration>
#include <QTemporaryDir>

// A throwaway CA and a server certificate it signed for "localhost" and 127.0.0.1, made with the openssl CLI in a
// temporary directory.
class TestCertificates
{
public:
    TestCertificates();
    bool isValid() const { return m_valid; }

    QString caFile() const { return m_dir.filePath(QStringLiteral("ca.pem")); }
    QString certificateFile() const { return m_dir.filePath(QStringLiteral("server.pem")); }
    QString privateKeyFile() const { return m_dir.filePath(QStringLiteral("server.key")); }
    QList<QSslCertificate> caCertificates() const;
    // For a server presenting the certificate (e.g. ScriptedUpstream).
    QSslConfiguration serverConfiguration() const;

private:
    QTemporaryDir m_dir;
    bool m_valid = false;
};
