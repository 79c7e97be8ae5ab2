#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QUrl>

// A blocking HTTP client for tests: sends one request and waits (on the reply's finished signal) for the answer.
class HttpTestClient
{
public:
    struct Response
    {
        int status = 0; // 0 when no HTTP answer came (connection refused, reset, timeout)
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QString networkError;

        QByteArray header(const QByteArray& name) const;
        QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    };

    Response get(const QUrl& url, const QList<QPair<QByteArray, QByteArray>>& headers = {});
    Response post(const QUrl& url, const QByteArray& body, const QList<QPair<QByteArray, QByteArray>>& headers = {});
    Response send(const QByteArray& method, const QUrl& url, const QByteArray& body,
                  const QList<QPair<QByteArray, QByteArray>>& headers, int timeoutMs = 20'000);

private:
    QNetworkAccessManager m_network;
};
