#include "GatehousedProcess.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

GatehousedProcess::~GatehousedProcess()
{
    stop();
}

bool GatehousedProcess::start(const QString& dataDir, const QProcessEnvironment& environment,
                              const QStringList& arguments)
{
    m_process.setProcessEnvironment(environment);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(qEnvironmentVariable("GATEHOUSED_BINARY"),
                    QStringList{QStringLiteral("--data-dir"), dataDir, QStringLiteral("--proxy-port"),
                                QStringLiteral("0"), QStringLiteral("--admin-port"), QStringLiteral("0"),
                                QStringLiteral("--proxy-address"), QStringLiteral("127.0.0.1")} +
                        arguments);
    if (!m_process.waitForStarted())
        return false;
    static const QRegularExpression adminLine(QStringLiteral("admin: (http://\\S+)/api/system/info"));
    static const QRegularExpression proxyLine(QStringLiteral("proxy: (https?://\\S+)  "));
    const auto listening = [&] {
        const QString out = output();
        return adminLine.match(out).hasMatch() && proxyLine.match(out).hasMatch();
    };
    (void)QTest::qWaitFor([&] { return listening() || m_process.state() == QProcess::NotRunning; }, 20'000);
    if (!listening()) {
        qWarning().noquote() << m_output;
        return false;
    }
    m_admin = QUrl(adminLine.match(m_output).captured(1));
    m_proxy = QUrl(proxyLine.match(m_output).captured(1));
    return true;
}

bool GatehousedProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    m_process.terminate();
    return m_process.waitForFinished(20'000);
}

QByteArray GatehousedProcess::logIn(const QString& username, const QString& password) const
{
    const QJsonObject credentials{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}};
    HttpTestClient client;
    return client.post(m_admin.resolved(QUrl(QStringLiteral("/api/auth/login"))), QJsonDocument(credentials).toJson())
        .json()[QLatin1String("accessToken")]
        .toString()
        .toLatin1();
}

HttpTestClient::Response GatehousedProcess::api(const QByteArray& method, const QString& path, const QByteArray& token,
                                                const QJsonObject& body) const
{
    HttpTestClient client;
    return client.send(method, m_admin.resolved(QUrl(path)),
                       body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(),
                       {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
}

QString GatehousedProcess::output()
{
    m_output += QString::fromUtf8(m_process.readAll());
    return m_output;
}
