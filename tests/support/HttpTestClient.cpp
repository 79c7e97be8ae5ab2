#include "HttpTestClient.h"

#include <QNetworkReply>
#include <QSignalSpy>

QByteArray HttpTestClient::Response::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpTestClient::Response HttpTestClient::get(const QUrl& url, const QList<QPair<QByteArray, QByteArray>>& headers)
{
    return send("GET", url, {}, headers);
}

HttpTestClient::Response HttpTestClient::post(const QUrl& url, const QByteArray& body,
                                              const QList<QPair<QByteArray, QByteArray>>& headers)
{
    auto withType = headers;
    const bool hasType = std::any_of(headers.begin(), headers.end(), [](const auto& header) {
        return header.first.compare("content-type", Qt::CaseInsensitive) == 0;
    });
    if (!hasType)
        withType.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return send("POST", url, body, withType);
}

HttpTestClient::Response HttpTestClient::send(const QByteArray& method, const QUrl& url, const QByteArray& body,
                                              const QList<QPair<QByteArray, QByteArray>>& headers, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(timeoutMs);
    for (const auto& [name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply* reply = m_network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(timeoutMs + 1000);

    Response response;
    response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.headers = reply->rawHeaderPairs();
    response.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError && response.status == 0)
        response.networkError = reply->errorString();
    reply->deleteLater();
    return response;
}
