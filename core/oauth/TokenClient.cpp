#include "oauth/TokenClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>

namespace {

Error unavailable(const QString& message)
{
    return Error::make(QStringLiteral("oauth_unavailable"), message);
}

// The server's own words, bounded and on one line: they end up in an error message and in the session's last_error.
QString printable(const QString& text)
{
    QString clean = text.left(300).simplified();
    for (QChar& c : clean) {
        if (!c.isPrint())
            c = u'?';
    }
    return clean;
}

// The JSON object of a 200 answer, or the error: RFC 6749's error answers, or none usable.
Result<QJsonObject> answerOf(QNetworkReply* reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0)
        return unavailable(QStringLiteral("the token endpoint could not be reached: %1").arg(reply->errorString()));
    const QByteArray body = reply->read(TokenClient::kMaxAnswerBytes + 1);
    if (body.size() > TokenClient::kMaxAnswerBytes)
        return unavailable(
            QStringLiteral("the token endpoint's answer is larger than %1 bytes").arg(TokenClient::kMaxAnswerBytes));
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    // RFC 6749 5.2: an error answer is 400 (or 401 for client authentication) with an "error" member.
    if (status >= 400 && status < 500 && answer.value(QLatin1String("error")).isString()) {
        const QString code = printable(answer.value(QLatin1String("error")).toString());
        const QString description = printable(answer.value(QLatin1String("error_description")).toString());
        return Error::make(QStringLiteral("oauth_rejected"),
                           description.isEmpty() ? code : code + QStringLiteral(": ") + description);
    }
    if (status != 200)
        return unavailable(QStringLiteral("the token endpoint answered HTTP %1").arg(status));
    return answer;
}

Result<TokenGrant> grantOf(QNetworkReply* reply)
{
    auto answered = answerOf(reply);
    if (!answered)
        return answered.error();
    const QJsonObject& answer = *answered;
    const QString accessToken = answer.value(QLatin1String("access_token")).toString();
    if (accessToken.isEmpty())
        return unavailable(QStringLiteral("the token endpoint's answer has no access_token"));
    // It goes into an HTTP header upstream, on connections every tenant shares: visible ASCII only (RFC 6750's
    // b64token is narrower still), so that no token can end the header and start another.
    if (!std::all_of(accessToken.begin(), accessToken.end(), [](QChar c) { return c > u' ' && c < u'\x7f'; }))
        return unavailable(QStringLiteral("the token endpoint's access_token holds characters a header cannot carry"));
    TokenGrant grant;
    grant.accessToken = accessToken;
    grant.refreshToken = answer.value(QLatin1String("refresh_token")).toString();
    // A number by the RFC; some servers send it as a string.
    const QJsonValue expiresIn = answer.value(QLatin1String("expires_in"));
    const double seconds = expiresIn.isString() ? expiresIn.toString().toDouble() : expiresIn.toDouble();
    grant.expiresInSeconds = seconds > 0 ? qint64(qMin(seconds, double(TokenClient::kMaxLifetimeSeconds))) : 0;
    grant.scope = printable(answer.value(QLatin1String("scope")).toString());
    return grant;
}

} // namespace

TokenClient::TokenClient(const QString& caFile, QObject* parent) : QObject(parent)
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network.setTransferTimeout(kTimeoutMs);
    if (!caFile.isEmpty())
        m_tls.addCaCertificates(caFile);
}

TokenClient::~TokenClient()
{
    for (QNetworkReply* reply : m_network.findChildren<QNetworkReply*>()) {
        reply->disconnect(this);
        reply->abort();
    }
}

QByteArray TokenClient::encode(const Form& form)
{
    QByteArray encoded;
    for (const auto& [name, value] : form) {
        if (!encoded.isEmpty())
            encoded += '&';
        encoded += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return encoded;
}

QNetworkReply* TokenClient::post(const QUrl& url, const Form& form)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("gatehouse"));
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setSslConfiguration(m_tls);
    QNetworkReply* reply = m_network.post(request, encode(form));
    QTimer::singleShot(kTimeoutMs, reply, [reply] { reply->abort(); }); // setTransferTimeout counts only silence
    connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64) {
        if (received > kMaxAnswerBytes + 1)
            reply->abort();
    });
    return reply;
}

void TokenClient::request(const QUrl& tokenUrl, const Form& form, Done done)
{
    QNetworkReply* reply = post(tokenUrl, form);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        done(grantOf(reply));
    });
}

bool TokenClient::isFinal(const Error& error)
{
    if (error.code != QLatin1String("oauth_rejected"))
        return false;
    const QString code = error.message.section(u':', 0, 0);
    return code == QLatin1String("invalid_grant") || code == QLatin1String("invalid_client") ||
           code == QLatin1String("unauthorized_client");
}

void TokenClient::revoke(const QUrl& revokeUrl, const Form& form, std::function<void(Result<void>)> done)
{
    QNetworkReply* reply = post(revokeUrl, form);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const auto answered = answerOf(reply);
        done(answered ? Result<void>() : Result<void>(answered.error()));
    });
}
