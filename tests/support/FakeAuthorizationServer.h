#pragma once

#include "FakeHttpServer.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>

// An OAuth 2.0 authorization server for tests, on a FakeHttpServer: the authorization endpoint (GET /authorize,
// where a user who always approves is redirected back with a code) and the token endpoint (POST /token), per
// RFC 6749 (form-encoded token requests, JSON answers with Cache-Control: no-store, errors as {"error", "error_
// description"} with 400, or 401 for client authentication) and RFC 7636 (S256 code challenges, checked against the
// verifier), refreshes (RFC 6749 section 6) that rotate refresh tokens by default, and revocation (POST /revoke,
// RFC 7009). Codes are single use and
// expire; tokens are random and recorded, so a test can look for them where they must not be.
//
//     FakeAuthorizationServer oauth;
//     QVERIFY(oauth.listen());
//     const QUrl callback = oauth.approve(authorizationUrl);   // the browser's part: where the user is sent back
class FakeAuthorizationServer : public QObject
{
    Q_OBJECT

public:
    static constexpr auto kClientId = "gatehouse-test-client";
    static constexpr auto kRedirectUri = "http://127.0.0.1:1455/auth/callback";
    static constexpr auto kScopes = "openid offline_access inference";

    explicit FakeAuthorizationServer(QObject* parent = nullptr);

    bool listen() { return m_server.listen(); }
    QUrl url(const QString& path) const;
    FakeHttpServer& http() { return m_server; }

    // The redirect URI registered for the client (kRedirectUri unless changed).
    void setRedirectUri(const QString& uri) { m_redirectUri = uri; }
    // A confidential client: token requests must carry this secret.
    void setClientSecret(const QString& secret) { m_clientSecret = secret; }
    void setAccessTokenLifetimeSeconds(int seconds) { m_lifetimeSeconds = seconds; }
    void setCodeLifetimeMs(int ms) { m_codeLifetimeMs = ms; }
    // The user clicks "Deny": the redirect carries error=access_denied.
    void setUserRefuses(bool refuses) { m_userRefuses = refuses; }
    // Each refresh issues a new refresh token and revokes the one used (the default), or keeps it.
    void setRotatesRefreshTokens(bool rotates) { m_rotates = rotates; }
    // The account was revoked at the provider: every refresh token is refused from now on.
    void revokeRefreshTokens() { m_refreshTokens.clear(); }
    // Token answers wait this long.
    void setTokenDelayMs(int ms) { m_tokenDelayMs = ms; }
    // Token answers leave out "scope" (RFC 6749 allows it when the scope is the one requested).
    void setOmitsScope(bool omits) { m_omitsScope = omits; }
    // The next token request is answered with this status and RFC 6749 error code, as a rate limit or an outage is.
    void failNextTokenRequest(int status, const QString& error) { m_nextFailure = {status, error}; }

    // Follows an authorization URL as a browser would, as a user who signs in and approves (or refuses): the URL
    // the authorization server redirected to (the redirect URI with code and state), or an empty URL when it
    // answered with an error page instead.
    QUrl approve(const QUrl& authorizationUrl);

    int tokenRequests() const { return m_tokenRequests; }
    int refreshRequests() const { return m_refreshRequests; }
    // Every token a client revoked (RFC 7009).
    const QStringList& revokedTokens() const { return m_revokedTokens; }
    // Every access and refresh token issued.
    const QStringList& issuedTokens() const { return m_issuedTokens; }
    // The error of the last failed token request ("invalid_grant", ...), empty after a success.
    QString lastTokenError() const { return m_lastTokenError; }

signals:
    void accessTokenIssued(const QString& token);

private:
    struct Code
    {
        QString challenge;
        QString redirectUri;
        QString scope;
        qint64 issuedAt = 0;
        bool used = false;
    };

    FakeHttpReply answer(const FakeHttpRequest& request);
    FakeHttpReply authorize(const QUrlQuery& query);
    FakeHttpReply token(const FakeHttpRequest& request);
    FakeHttpReply tokenError(int status, const QString& error, const QString& description);
    FakeHttpReply issueTokens(const QString& scope, const QString& keptRefreshToken = {});
    FakeHttpReply refresh(const QString& refreshToken);
    FakeHttpReply revoke(const FakeHttpRequest& request);

    FakeHttpServer m_server;
    QString m_redirectUri = QLatin1String(kRedirectUri);
    QString m_clientSecret;
    int m_lifetimeSeconds = 3600;
    int m_codeLifetimeMs = 60'000;
    bool m_userRefuses = false;
    bool m_rotates = true;
    bool m_omitsScope = false;
    std::optional<QPair<int, QString>> m_nextFailure;
    int m_tokenDelayMs = 0;
    QHash<QString, QString> m_refreshTokens; // live refresh token -> its scope
    int m_refreshRequests = 0;
    QStringList m_revokedTokens;
    QHash<QString, Code> m_codes;
    int m_tokenRequests = 0;
    QStringList m_issuedTokens;
    QString m_lastTokenError;
};
