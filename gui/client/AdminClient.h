#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

// What a call to the admin API came to. A refusal carries the API's error (code and message, as the server words
// them); a call that got no answer has status 0 and the network's reason.
struct ApiResult
{
    int status = 0;
    QJsonValue body = {};
    QString errorCode = {};
    QString errorMessage = {};
    // errorCode "untrusted_certificate": the SHA-256 digest (hex) of the certificate the gateway presented.
    QByteArray certificate = {};

    bool ok() const { return status >= 200 && status < 300; }
    QJsonObject object() const { return body.toObject(); }
    // One line for the user: the server's message, or why there was no answer.
    QString errorText() const;
};

using ApiCallback = std::function<void(const ApiResult&)>;

// The desktop app's only way to its gateway, local or remote: the admin REST API over HTTP, asynchronous. Signs in
// with a password or a saved refresh token, keeps the short-lived access token fresh (a 401 refreshes once and
// retries), and hands every new refresh token out (refreshTokenChanged) to be kept. Callbacks run on the GUI thread
// and are dropped when their context object is gone. When the gateway stops answering (no connection, no reply),
// the client says so and asks again, every 1, 2, 4... up to 30 seconds, until it answers.
class AdminClient : public QObject
{
    Q_OBJECT

public:
    explicit AdminClient(QObject* parent = nullptr);

    // A new session, with the gateway at `url`: the previous session ends here (its tokens are never sent
    // elsewhere), and answers still on their way for it no longer touch the new one. Over https the system's trust
    // store decides, unless `pinnedCertificate` (a SHA-256 digest, hex) names the one certificate to accept instead.
    // `sessionName` is handed out with the session's refresh tokens (refreshTokenChanged), to keep them by.
    void setBaseUrl(const QUrl& url, const QByteArray& pinnedCertificate = {}, const QString& sessionName = {});
    QString sessionName() const { return m_sessionName; }
    QUrl baseUrl() const { return m_baseUrl; }

    void signIn(const QString& username, const QString& password, QObject* context, ApiCallback done);
    void resume(const QString& refreshToken, QObject* context, ApiCallback done);
    // Manages `other`'s gateway with `other`'s session (a connection just signed in); refreshTokenChanged follows.
    void takeSession(const AdminClient& other);
    // Revokes the session at the gateway and forgets it here (refreshTokenChanged with an empty token).
    void signOut(QObject* context, ApiCallback done);

    void get(const QString& path, const QUrlQuery& query, QObject* context, ApiCallback done);
    void post(const QString& path, const QJsonObject& body, QObject* context, ApiCallback done);
    void patch(const QString& path, const QJsonObject& body, QObject* context, ApiCallback done);
    void remove(const QString& path, QObject* context, ApiCallback done);

signals:
    void signedIn();
    // The session ended (refresh refused): the user must sign in again.
    void signedOut(const QString& reason);
    // A session's new refresh token (empty: forget it), also one that arrives after the session ended here: the
    // gateway has used up the previous one, so the new one must be kept under its session's name.
    void refreshTokenChanged(const QString& sessionName, const QString& refreshToken);
    // The gateway answers again (reachable), or does not: why, and in how many seconds the client asks again.
    void reachabilityChanged(bool reachable, const QString& reason, int retryInSeconds);

private:
    struct Call
    {
        QByteArray method = {};
        QString path = {};
        QUrlQuery query = {};
        QJsonObject body = {};
        bool hasBody = false;
        QPointer<QObject> context = {};
        ApiCallback done = {};
        bool retried = false;
        quint64 epoch = 0; // the session it was sent in
    };

    void send(Call call);
    void endSession(); // forgets the tokens; answers of the session's calls are only passed on
    void startSession(const QString& path, const QJsonObject& body, QObject* context, ApiCallback done);
    void refreshThen(std::function<void(const ApiResult&)> then);
    void takeTokens(const QJsonObject& answer);
    void checkCertificate(QNetworkReply* reply);
    void noteAnswer(const ApiResult& result);
    static ApiResult resultOf(QNetworkReply* reply);

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QByteArray m_pinnedCertificate;
    QString m_sessionName;
    QString m_accessToken;
    QString m_refreshToken;
    QList<std::function<void(const ApiResult&)>> m_waitingForRefresh; // non-empty while a refresh is under way
    quint64 m_epoch = 0;                                              // counts sessions: a new gateway, a new session
    bool m_reachable = true;
    int m_retrySeconds = 0; // the wait before the next question while unreachable
    QTimer m_retry;
};
