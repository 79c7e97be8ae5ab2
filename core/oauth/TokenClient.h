#pragma once

#include "common/Result.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>

// What a token endpoint granted (RFC 6749 section 5.1). Never logged: it holds the tokens.
struct TokenGrant
{
    QString accessToken;
    QString refreshToken;        // empty when the server sent none (a refresh keeps the one it had then)
    qint64 expiresInSeconds = 0; // 0: the server did not say
    QString scope;               // empty: as requested
};

// Requests to OAuth 2.0 token endpoints: a form-encoded POST, a JSON answer. Cookies are neither sent nor stored,
// redirects are not followed, and each request has a time limit and a size limit on its answer. Errors:
//   "oauth_rejected"      the server answered with an RFC 6749 error (invalid_grant, invalid_client, ...); the
//                         message starts with the error code and carries the server's description
//   "oauth_unavailable"   no usable answer: unreachable, timed out, a 5xx, not JSON, no access_token
class TokenClient : public QObject
{
    Q_OBJECT

public:
    static constexpr int kTimeoutMs = 15'000; // the whole request, however slowly the answer trickles
    static constexpr qint64 kMaxAnswerBytes = 64 * 1024;
    static constexpr qint64 kMaxLifetimeSeconds = 10LL * 365 * 24 * 3600; // longer expires_in are taken as this

    using Form = QList<QPair<QString, QString>>;
    using Done = std::function<void(Result<TokenGrant>)>;

    explicit TokenClient(const QString& caFile = {}, QObject* parent = nullptr);
    ~TokenClient() override; // requests still out are dropped: their callbacks are not called

    // name=value&... with every byte outside the unreserved set percent-encoded (spaces as %20): a form body, or the
    // query of an authorization URL.
    static QByteArray encode(const Form& form);

    // Calls `done` once, from the event loop.
    void request(const QUrl& tokenUrl, const Form& form, Done done);
    // Whether a refusal is for good (invalid_grant, invalid_client, unauthorized_client: the grant or the client is
    // no longer valid) rather than for now (a rate limit, a server's own trouble, a bad parameter an admin can fix).
    static bool isFinal(const Error& error);
    // A token revocation (RFC 7009): any 200 is success, the same errors as request() otherwise.
    void revoke(const QUrl& revokeUrl, const Form& form, std::function<void(Result<void>)> done);

private:
    QNetworkReply* post(const QUrl& url, const Form& form);

    QNetworkAccessManager m_network;
    QSslConfiguration m_tls = QSslConfiguration::defaultConfiguration();
};
