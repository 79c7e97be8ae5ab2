#include "client/AdminClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSslConfiguration>

QString ApiResult::errorText() const
{
    if (!errorMessage.isEmpty())
        return errorMessage;
    return status == 0 ? QObject::tr("The gateway did not answer.") : QObject::tr("HTTP status %1").arg(status);
}

namespace {

constexpr int kLongestRetrySeconds = 30;

} // namespace

AdminClient::AdminClient(QObject* parent) : QObject(parent)
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_retry.setSingleShot(true);
    // Any answer will do: the public system info is the cheapest question.
    connect(&m_retry, &QTimer::timeout, this, [this] { get(QStringLiteral("/api/system/info"), {}, this, {}); });
}

void AdminClient::setBaseUrl(const QUrl& url, const QByteArray& pinnedCertificate, const QString& sessionName)
{
    endSession();
    m_baseUrl = url;
    m_pinnedCertificate = pinnedCertificate;
    m_sessionName = sessionName;
}

void AdminClient::takeSession(const AdminClient& other)
{
    endSession();
    m_baseUrl = other.m_baseUrl;
    m_pinnedCertificate = other.m_pinnedCertificate;
    m_sessionName = other.m_sessionName;
    m_accessToken = other.m_accessToken;
    m_refreshToken = other.m_refreshToken;
    emit refreshTokenChanged(m_sessionName, m_refreshToken);
}

void AdminClient::endSession()
{
    ++m_epoch;
    m_retry.stop();
    if (!std::exchange(m_reachable, true))
        emit reachabilityChanged(true, {}, 0);
    m_accessToken.clear();
    m_refreshToken.clear();
    const auto waiting = std::exchange(m_waitingForRefresh, {});
    for (const auto& then : waiting)
        then(ApiResult{0, {}, QStringLiteral("session_ended"), tr("You switched to another gateway.")});
}

void AdminClient::signIn(const QString& username, const QString& password, QObject* context, ApiCallback done)
{
    startSession(QStringLiteral("/api/auth/login"),
                 {{QStringLiteral("username"), username}, {QStringLiteral("password"), password}}, context,
                 std::move(done));
}

void AdminClient::resume(const QString& refreshToken, QObject* context, ApiCallback done)
{
    startSession(QStringLiteral("/api/auth/refresh"), {{QStringLiteral("refreshToken"), refreshToken}}, context,
                 std::move(done));
}

void AdminClient::signOut(QObject* context, ApiCallback done)
{
    const QString refreshToken = m_refreshToken;
    send({.method = "POST",
          .path = QStringLiteral("/api/auth/logout"),
          .body = {{QStringLiteral("refreshToken"), refreshToken}},
          .hasBody = true,
          .context = context,
          .done = [this, epoch = m_epoch, name = m_sessionName, done = std::move(done)](const ApiResult& result) {
              if (epoch == m_epoch)
                  endSession();
              emit refreshTokenChanged(name, {}); // revoked at the gateway, late or not
              done(result);
          }});
}

void AdminClient::startSession(const QString& path, const QJsonObject& body, QObject* context, ApiCallback done)
{
    send({.method = "POST",
          .path = path,
          .body = body,
          .hasBody = true,
          .context = context,
          .done =
              [this, epoch = m_epoch, name = m_sessionName, done = std::move(done)](const ApiResult& result) {
                  if (result.ok() && epoch == m_epoch) {
                      takeTokens(result.object());
                      emit signedIn();
                  } else if (result.ok()) { // too late for this client, not for the keychain
                      emit refreshTokenChanged(name, result.object().value(QLatin1String("refreshToken")).toString());
                  }
                  done(result);
              },
          .retried = true});
}

void AdminClient::get(const QString& path, const QUrlQuery& query, QObject* context, ApiCallback done)
{
    send({.method = "GET", .path = path, .query = query, .context = context, .done = std::move(done)});
}

void AdminClient::post(const QString& path, const QJsonObject& body, QObject* context, ApiCallback done)
{
    send({.method = "POST", .path = path, .body = body, .hasBody = true, .context = context, .done = std::move(done)});
}

void AdminClient::patch(const QString& path, const QJsonObject& body, QObject* context, ApiCallback done)
{
    send({.method = "PATCH", .path = path, .body = body, .hasBody = true, .context = context, .done = std::move(done)});
}

void AdminClient::remove(const QString& path, QObject* context, ApiCallback done)
{
    send({.method = "DELETE", .path = path, .context = context, .done = std::move(done)});
}

void AdminClient::send(Call call)
{
    QUrl url = m_baseUrl;
    url.setPath(call.path);
    url.setQuery(call.query);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!m_accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_accessToken.toLatin1());
    const QByteArray body = call.hasBody ? QJsonDocument(call.body).toJson(QJsonDocument::Compact) : QByteArray();
    call.epoch = m_epoch;
    QNetworkReply* reply = m_network.sendCustomRequest(request, call.method, body);
    checkCertificate(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, call = std::move(call)]() mutable {
        reply->deleteLater();
        const ApiResult result = resultOf(reply);
        if (call.epoch == m_epoch)
            noteAnswer(result);
        if (result.status == 401 && !call.retried && call.epoch == m_epoch && !m_refreshToken.isEmpty()) {
            // The access token expired (or the gateway restarted): refresh once, then try the call again.
            call.retried = true;
            refreshThen([this, call = std::move(call)](const ApiResult& refresh) mutable {
                if (refresh.ok())
                    send(std::move(call));
                else if (call.context && call.done)
                    call.done(refresh);
            });
            return;
        }
        if (call.context && call.done)
            call.done(result);
    });
}

void AdminClient::noteAnswer(const ApiResult& result)
{
    if (result.errorCode != QLatin1String("unreachable")) {
        m_retry.stop();
        m_retrySeconds = 0;
        if (!std::exchange(m_reachable, true))
            emit reachabilityChanged(true, {}, 0);
        return;
    }
    m_reachable = false;
    if (m_retry.isActive())
        return; // a page's call failed meanwhile; the next question is already planned
    m_retrySeconds = m_retrySeconds == 0 ? 1 : std::min(2 * m_retrySeconds, kLongestRetrySeconds);
    m_retry.start(m_retrySeconds * 1000);
    emit reachabilityChanged(false, result.errorMessage, m_retrySeconds);
}

void AdminClient::refreshThen(std::function<void(const ApiResult&)> then)
{
    m_waitingForRefresh.append(std::move(then));
    if (m_waitingForRefresh.size() > 1)
        return; // one refresh at a time; everyone waiting gets its outcome
    QUrl url = m_baseUrl;
    url.setPath(QStringLiteral("/api/auth/refresh"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply* reply =
        m_network.post(request, QJsonDocument(QJsonObject{{QStringLiteral("refreshToken"), m_refreshToken}}).toJson());
    checkCertificate(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, epoch = m_epoch, name = m_sessionName] {
        reply->deleteLater();
        ApiResult result = resultOf(reply);
        if (epoch != m_epoch) { // that session ended here meanwhile (its waiting calls were told); keep its token
            if (result.ok())
                emit refreshTokenChanged(name, result.object().value(QLatin1String("refreshToken")).toString());
            return;
        }
        noteAnswer(result);
        // Refused means 400, 401 or 403; a 5xx or 429 (a proxy in front while the gateway restarts) is no verdict.
        const bool refused = result.status == 400 || result.status == 401 || result.status == 403;
        if (result.ok()) {
            takeTokens(result.object());
        } else if (refused) {
            m_accessToken.clear();
            m_refreshToken.clear();
            emit refreshTokenChanged(name, {});
            emit signedOut(result.errorText());
            result.errorMessage = tr("Your session has ended.");
        }
        const auto waiting = std::exchange(m_waitingForRefresh, {});
        for (const auto& then : waiting)
            then(result);
    });
}

void AdminClient::takeTokens(const QJsonObject& answer)
{
    m_accessToken = answer.value(QLatin1String("accessToken")).toString();
    m_refreshToken = answer.value(QLatin1String("refreshToken")).toString();
    emit refreshTokenChanged(m_sessionName, m_refreshToken);
}

// A certificate the system does not trust is accepted only when it is the pinned one; otherwise the call fails and
// its result names the certificate, so that the user can compare it and decide.
void AdminClient::checkCertificate(QNetworkReply* reply)
{
    connect(reply, &QNetworkReply::sslErrors, this, [reply, pin = m_pinnedCertificate](const QList<QSslError>& errors) {
        const QByteArray presented =
            reply->sslConfiguration().peerCertificate().digest(QCryptographicHash::Sha256).toHex();
        if (!pin.isEmpty() && presented == pin)
            reply->ignoreSslErrors(errors);
        else
            reply->setProperty("untrustedCertificate", presented);
    });
}

ApiResult AdminClient::resultOf(QNetworkReply* reply)
{
    ApiResult result;
    // A network failure (1..99: refused, reset, cut short, timed out, TLS) leaves no answer to trust, even when a
    // status line had arrived before the connection broke.
    const bool networkFailed =
        reply->error() > QNetworkReply::NoError && reply->error() < QNetworkReply::ProxyConnectionRefusedError;
    result.status = networkFailed ? 0 : reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    if (!bytes.isEmpty()) {
        const QJsonDocument document = QJsonDocument::fromJson(bytes);
        result.body = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    }
    if (result.status == 0 && reply->property("untrustedCertificate").isValid()) {
        result.errorCode = QStringLiteral("untrusted_certificate");
        result.certificate = reply->property("untrustedCertificate").toByteArray();
        result.errorMessage = tr("This computer does not trust the gateway's certificate.");
    } else if (result.status == 0) {
        result.errorCode = QStringLiteral("unreachable");
        result.errorMessage = reply->errorString();
    } else if (!result.ok()) {
        const QJsonObject error = result.object().value(QLatin1String("error")).toObject();
        result.errorCode = error.value(QLatin1String("code")).toString();
        result.errorMessage = error.value(QLatin1String("message")).toString();
    }
    return result;
}
