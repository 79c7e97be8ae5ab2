#include "FakeAuthorizationServer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>

namespace {

QString randomToken(const char* prefix)
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
    return QLatin1String(prefix) +
           QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QUrl redirectWith(const QString& redirectUri, const QList<QPair<QString, QString>>& params)
{
    QUrl url(redirectUri);
    QUrlQuery query(url);
    for (const auto& [name, value] : params)
        query.addQueryItem(name, value);
    url.setQuery(query);
    return url;
}

FakeHttpReply redirect(const QUrl& location)
{
    FakeHttpReply reply;
    reply.status = 302;
    reply.addHeader("Location", location.toString(QUrl::FullyEncoded).toLatin1());
    return reply;
}

FakeHttpReply page(int status, const QByteArray& text)
{
    FakeHttpReply reply;
    reply.status = status;
    reply.addHeader("Content-Type", "text/plain");
    reply.pieces.append(text);
    return reply;
}

} // namespace

FakeAuthorizationServer::FakeAuthorizationServer(QObject* parent) : QObject(parent)
{
    m_server.setHandler([this](const FakeHttpRequest& request) { return answer(request); });
}

QUrl FakeAuthorizationServer::url(const QString& path) const
{
    QUrl url = m_server.url();
    url.setPath(path);
    return url;
}

FakeHttpReply FakeAuthorizationServer::answer(const FakeHttpRequest& request)
{
    if (request.method == "GET" && request.path == QLatin1String("/authorize"))
        return authorize(request.query);
    if (request.method == "POST" && request.path == QLatin1String("/token"))
        return token(request);
    if (request.method == "POST" && request.path == QLatin1String("/revoke"))
        return revoke(request);
    return page(404, "not found");
}

// RFC 6749 4.1.1 and 4.1.2: errors about the client or the redirect URI are shown to the user, never redirected.
FakeHttpReply FakeAuthorizationServer::authorize(const QUrlQuery& query)
{
    const QString clientId = query.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
    const QString redirectUri = query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded);
    if (clientId != QLatin1String(kClientId))
        return page(400, "unknown client_id");
    if (redirectUri != m_redirectUri)
        return page(400, "redirect_uri is not registered for this client");
    const QString state = query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    const auto fail = [&](const QString& error) {
        return redirect(
            redirectWith(redirectUri, {{QStringLiteral("error"), error}, {QStringLiteral("state"), state}}));
    };
    if (query.queryItemValue(QStringLiteral("response_type")) != QLatin1String("code"))
        return fail(QStringLiteral("unsupported_response_type"));
    const QString challenge = query.queryItemValue(QStringLiteral("code_challenge"), QUrl::FullyDecoded);
    if (challenge.size() < 43 || query.queryItemValue(QStringLiteral("code_challenge_method")) != QLatin1String("S256"))
        return fail(QStringLiteral("invalid_request"));
    if (m_userRefuses)
        return fail(QStringLiteral("access_denied"));
    const QString code = randomToken("code_");
    m_codes.insert(code, Code{challenge, redirectUri, query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
                              QDateTime::currentMSecsSinceEpoch(), false});
    return redirect(redirectWith(redirectUri, {{QStringLiteral("code"), code}, {QStringLiteral("state"), state}}));
}

FakeHttpReply FakeAuthorizationServer::tokenError(int status, const QString& error, const QString& description)
{
    m_lastTokenError = error;
    FakeHttpReply reply =
        FakeHttpReply::json(status, QJsonDocument(QJsonObject{{QStringLiteral("error"), error},
                                                              {QStringLiteral("error_description"), description}}));
    reply.addHeader("Cache-Control", "no-store");
    return reply;
}

FakeHttpReply FakeAuthorizationServer::issueTokens(const QString& scope, const QString& keptRefreshToken)
{
    m_lastTokenError.clear();
    const QString access = randomToken("fake-access-");
    const QString refresh = keptRefreshToken.isEmpty() ? randomToken("fake-refresh-") : keptRefreshToken;
    m_issuedTokens << access;
    emit accessTokenIssued(access);
    if (keptRefreshToken.isEmpty())
        m_issuedTokens << refresh;
    m_refreshTokens.insert(refresh, scope);
    FakeHttpReply reply = FakeHttpReply::json(200, QJsonDocument(QJsonObject{
                                                       {QStringLiteral("access_token"), access},
                                                       {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                                       {QStringLiteral("expires_in"), m_lifetimeSeconds},
                                                       {QStringLiteral("scope"), scope},
                                                   }));
    QJsonObject body = QJsonDocument::fromJson(reply.pieces.first()).object();
    if (keptRefreshToken.isEmpty()) // a server that keeps the refresh token leaves it out of the answer
        body.insert(QStringLiteral("refresh_token"), refresh);
    if (m_omitsScope)
        body.remove(QStringLiteral("scope"));
    reply.pieces = {QJsonDocument(body).toJson(QJsonDocument::Compact)};
    reply.firstByteDelayMs = m_tokenDelayMs;
    reply.addHeader("Cache-Control", "no-store");
    reply.addHeader("Pragma", "no-cache");
    return reply;
}

// RFC 6749 4.1.3 and 5, RFC 7636 4.5 and 4.6.
FakeHttpReply FakeAuthorizationServer::token(const FakeHttpRequest& request)
{
    ++m_tokenRequests;
    if (!request.header("content-type").startsWith("application/x-www-form-urlencoded"))
        return tokenError(400, QStringLiteral("invalid_request"), QStringLiteral("the body must be form-encoded"));
    const QUrlQuery form(QString::fromLatin1(request.body).replace(u'+', u' '));
    const auto value = [&form](const char* name) {
        return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    if (value("client_id") != QLatin1String(kClientId))
        return tokenError(401, QStringLiteral("invalid_client"), QStringLiteral("unknown client"));
    if (!m_clientSecret.isEmpty() && value("client_secret") != m_clientSecret)
        return tokenError(401, QStringLiteral("invalid_client"), QStringLiteral("client authentication failed"));
    if (m_nextFailure) {
        const auto [status, error] = *std::exchange(m_nextFailure, std::nullopt);
        if (value("grant_type") == QLatin1String("refresh_token"))
            ++m_refreshRequests; // the refresh it answered
        return tokenError(status, error, QStringLiteral("try again later"));
    }
    if (value("grant_type") == QLatin1String("refresh_token"))
        return refresh(value("refresh_token"));
    if (value("grant_type") != QLatin1String("authorization_code"))
        return tokenError(400, QStringLiteral("unsupported_grant_type"), value("grant_type"));
    const QString codeText = value("code");
    const QString verifier = value("code_verifier");
    if (codeText.isEmpty() || verifier.isEmpty())
        return tokenError(400, QStringLiteral("invalid_request"), QStringLiteral("code and code_verifier required"));
    auto code = m_codes.find(codeText);
    if (code == m_codes.end())
        return tokenError(400, QStringLiteral("invalid_grant"), QStringLiteral("unknown authorization code"));
    if (code->used)
        return tokenError(400, QStringLiteral("invalid_grant"), QStringLiteral("authorization code already used"));
    code->used = true;
    if (QDateTime::currentMSecsSinceEpoch() - code->issuedAt > m_codeLifetimeMs)
        return tokenError(400, QStringLiteral("invalid_grant"), QStringLiteral("authorization code expired"));
    if (value("redirect_uri") != code->redirectUri)
        return tokenError(400, QStringLiteral("invalid_grant"), QStringLiteral("redirect_uri does not match"));
    const QString computed =
        QString::fromLatin1(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    if (computed != code->challenge)
        return tokenError(400, QStringLiteral("invalid_grant"), QStringLiteral("PKCE verification failed"));
    return issueTokens(code->scope);
}

// RFC 7009 2.1 and 2.2: the client authenticates; an unknown or already revoked token is a success too.
FakeHttpReply FakeAuthorizationServer::revoke(const FakeHttpRequest& request)
{
    const QUrlQuery form(QString::fromLatin1(request.body).replace(u'+', u' '));
    if (form.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded) != QLatin1String(kClientId) ||
        (!m_clientSecret.isEmpty() &&
         form.queryItemValue(QStringLiteral("client_secret"), QUrl::FullyDecoded) != m_clientSecret))
        return tokenError(401, QStringLiteral("invalid_client"), QStringLiteral("client authentication failed"));
    const QString token = form.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    if (token.isEmpty())
        return tokenError(400, QStringLiteral("invalid_request"), QStringLiteral("token required"));
    m_revokedTokens << token;
    m_refreshTokens.remove(token);
    FakeHttpReply reply;
    reply.status = 200;
    return reply;
}

// RFC 6749 section 6.
FakeHttpReply FakeAuthorizationServer::refresh(const QString& refreshToken)
{
    ++m_refreshRequests;
    const auto found = m_refreshTokens.constFind(refreshToken);
    if (refreshToken.isEmpty() || found == m_refreshTokens.constEnd())
        return tokenError(400, QStringLiteral("invalid_grant"), QStringLiteral("refresh token invalid or revoked"));
    const QString scope = *found;
    if (m_rotates)
        m_refreshTokens.remove(refreshToken);
    return issueTokens(scope, m_rotates ? QString() : refreshToken);
}

QUrl FakeAuthorizationServer::approve(const QUrl& authorizationUrl)
{
    QNetworkAccessManager browser;
    QNetworkRequest request(authorizationUrl);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = browser.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(5000))
        return {};
    reply->deleteLater();
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 302)
        return {};
    return QUrl::fromEncoded(reply->rawHeader("Location"));
}
