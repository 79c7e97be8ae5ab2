#include "proxy/ActiveRequest.h"

#include "auth/GatewayKeyCodec.h"
#include "balance/KeySelector.h"
#include "cache/SharedLimits.h"
#include "common/Logging.h"
#include "health/KeyClock.h"
#include "http/HttpExchange.h"
#include "http/UpstreamError.h"
#include "http/UpstreamExchange.h"
#include "http/UpstreamPool.h"
#include "providers/OpenAiStreamUsage.h"
#include "providers/RateLimitReset.h"
#include "providers/RequestHeaders.h"
#include "providers/UsageExtractor.h"
#include "proxy/AccessLog.h"
#include "proxy/BodyBudget.h"
#include "proxy/ClientAddress.h"
#include "proxy/OAuthRefresher.h"
#include "proxy/RoutingStore.h"
#include "storage/TraceWriter.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimerEvent>

#include <algorithm>
#include <charconv>
#include <string_view>

namespace {

constexpr qsizetype kMaxModelScanBytes = 256 * 1024;
// What a trace keeps of the texts a client chooses: a stranger's requests are traced too, and must not grow the
// database by their paths' length.
constexpr qsizetype kMaxTracedPathBytes = 512;
constexpr qsizetype kMaxTracedModelLength = 200;

// Response header fields that describe the provider's connection, not the answer, that must not reach tenants (a
// provider's cookies), or that the gateway sets itself (X-Request-Id, Server-Timing).
bool droppedResponseHeader(QByteArrayView name)
{
    static constexpr QByteArrayView kDropped[] = {
        "connection",         "keep-alive", "transfer-encoding", "proxy-connection", "te",           "trailer",
        "proxy-authenticate", "upgrade",    "set-cookie",        "x-request-id",     "server-timing"};
    return std::any_of(std::begin(kDropped), std::end(kDropped),
                       [name](QByteArrayView dropped) { return HttpHeaders::sameName(name, dropped); });
}

// "gateway;dur=2, upstream;dur=340": the gateway's own time and the provider's, in milliseconds (Server-Timing),
// formatted without a temporary per part.
QByteArray serverTiming(qint64 gatewayMs, qint64 upstreamMs)
{
    QByteArray text(96, Qt::Uninitialized); // both labels and two numbers of up to 20 digits
    char* out = text.data();
    char* const end = out + text.size();
    const auto put = [&out](std::string_view part) { out = std::copy(part.begin(), part.end(), out); };
    put("gateway;dur=");
    out = std::to_chars(out, end, gatewayMs).ptr;
    put(", upstream;dur=");
    out = std::to_chars(out, end, upstreamMs).ptr;
    text.truncate(out - text.data());
    return text;
}

// The client's address as the trace stores it. IPv4 in dotted quads by hand: QHostAddress::toString() costs
// ten times more, and every request is traced.
QString addressText(const QHostAddress& address)
{
    if (address.protocol() != QAbstractSocket::IPv4Protocol)
        return address.toString();
    const quint32 ip = address.toIPv4Address();
    char text[16]; // "255.255.255.255"
    char* out = text;
    for (int shift = 24; shift >= 0; shift -= 8) {
        out = std::to_chars(out, std::end(text), (ip >> shift) & 0xff).ptr;
        if (shift > 0)
            *out++ = '.';
    }
    return QString::fromLatin1(text, out - text);
}

// The provider's base URL may carry a path prefix (a compatible endpoint under /openai, say): the client's path
// goes after it, byte for byte.
QByteArray upstreamTarget(const ProviderProfile& profile, const QByteArray& path, const QByteArray& query)
{
    QByteArray target = profile.basePath + path;
    if (!query.isEmpty())
        target += '?' + query;
    return target;
}

} // namespace

ActiveRequest::ActiveRequest(HttpExchange* exchange, const ProxyContext& context)
    : m_exchange(exchange), m_context(context)
{}

ActiveRequest::~ActiveRequest()
{
    m_context.bodies.give(m_bodyTaken);
}

void ActiveRequest::start(HttpExchange* exchange, const ProxyContext& context)
{
    auto* request = new ActiveRequest(exchange, context);
    exchange->setListener(std::unique_ptr<HttpExchange::Listener>(request)); // a private base: converted here
    request->run();
}

void ActiveRequest::run()
{
    m_startedAt = LoopClock::now();
    const HttpRequest& request = m_exchange->request();
    m_trace.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    m_trace.requestId = RequestHeaders::requestIdFrom(request.headers);
    m_trace.method = request.method;
    m_trace.path = request.path.left(kMaxTracedPathBytes);
    m_trace.clientAddress = addressText(clientAddressOf(request, *m_context.config));
    m_table = m_context.routing.current();
    authenticate();
}

// The gateway key, wherever the client's SDK put it: the dialect of the matched key's provider type decides where
// to look and which error format the client reads.
void ActiveRequest::authenticate()
{
    const HttpRequest& request = m_exchange->request();
    RequestHeaders::ClientKey found;
    const ProviderRoute* foundBy = nullptr;
    for (const auto& provider : m_table->providers) {
        found = RequestHeaders::clientKey(request.headers, request.query, provider->profile);
        if (!found.key.isEmpty()) {
            foundBy = provider.get();
            break;
        }
    }
    const QByteArray& key = found.key;
    if (key.isEmpty()) {
        // A path no provider type serves (a browser's "/" or favicon) is not a missing key but a wrong address.
        const auto& providers = m_table->providers;
        if (std::none_of(providers.begin(), providers.end(), [&](const auto& provider) {
                return provider->profile.allowedRoutes.allows(request.method, request.path);
            }))
            return fail(GatewayError::RouteNotAllowed,
                        QStringLiteral("%1 %2 is not served through this gateway")
                            .arg(QLatin1String(request.method), QString::fromLatin1(request.path.left(200))));
        if (!request.headers.value("authorization").trimmed().isEmpty())
            return fail(GatewayError::MissingKey, QStringLiteral("the Authorization header must read \"Bearer <your "
                                                                 "Gatehouse key>\""));
        return fail(GatewayError::MissingKey, QStringLiteral("no API key: send your Gatehouse key where your SDK "
                                                             "sends the provider's API key"));
    }
    m_route = m_table->gatewayKey(GatewayKeyCodec::digest(key));
    if (!m_route) {
        // A prefix only of a key shaped like ours: anything else may be a provider's secret sent to the wrong place.
        const QString presented = QString::fromLatin1(key);
        if (GatewayKeyCodec::looksLikeGatewayKey(presented))
            m_keyPrefix = GatewayKeyCodec::prefix(presented);
        return fail(GatewayError::InvalidKey, m_keyPrefix.isEmpty()
                                                  ? QStringLiteral("invalid API key")
                                                  : QStringLiteral("invalid API key %1").arg(m_keyPrefix));
    }
    m_trace.gatewayKeyId = m_route->id;
    m_trace.userId = m_route->userId;
    m_trace.providerTypeId = m_route->provider->id;
    // Nothing of the key goes upstream: not the header it came in, nor the query parameter it came in or the one the
    // key's own provider type reads keys from.
    m_keyHeader = found.header;
    m_forwardQuery = m_route->provider.get() == foundBy
                         ? found.forwardQuery
                         : RequestHeaders::clientKey({}, found.forwardQuery, m_route->provider->profile).forwardQuery;

    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_route->enabled)
        return fail(GatewayError::KeyDisabled, QStringLiteral("this API key is disabled"));
    if (m_route->expiresAtMs > 0 && m_route->expiresAtMs <= nowMs)
        return fail(GatewayError::KeyExpired, QStringLiteral("this API key has expired"));
    if (!m_route->userMayProxy)
        return fail(GatewayError::Forbidden,
                    QStringLiteral("the owner of this API key may not use %1").arg(m_route->provider->profile.name));
    if (m_route->pool->keys().empty())
        return fail(GatewayError::EmptyPool,
                    QStringLiteral("this API key has no provider keys to use: an admin must add some to its pool"));
    const ProviderProfile& profile = m_route->provider->profile;
    if (!profile.allowedRoutes.allows(request.method, request.path)) {
        // Another type's path (an OpenAI key on /v1/messages): the client's mistake, and it is told what its key
        // serves.
        const auto& providers = m_table->providers;
        if (std::any_of(providers.begin(), providers.end(), [&](const auto& other) {
                return !other->profile.allowedRoutes.allowsEverything() &&
                       other->profile.allowedRoutes.allows(request.method, request.path);
            }))
            return fail(GatewayError::BadRequest,
                        QStringLiteral("this API key is for %1, which serves: %2")
                            .arg(profile.name, profile.allowedRoutes.patterns().join(QStringLiteral(", "))));
        return fail(GatewayError::RouteNotAllowed,
                    QStringLiteral("%1 %2 is not served through this gateway")
                        .arg(QLatin1String(request.method), QString::fromLatin1(request.path.left(200))));
    }
    // This instance's own counts first: what they refuse, the shared counts would refuse too.
    const KeyTime now = m_context.clock.now();
    if (m_route->requestLimits && !m_route->requestLimits->tryAcquire(now))
        return failOverLimit(false, KeyClockTime::msUntil(now, m_route->requestLimits->availableAt(now)));
    if (m_route->budget) {
        if (auto wait = m_route->budget->retryAfterMs(nowMs))
            return failOverLimit(true, *wait);
    }
    m_deadline.start(m_route->timeoutMs, this);
    if (!m_context.sharedLimits || m_route->sharedLimits.isEmpty())
        return readBody();
    const auto decided = [self = QPointer<ActiveRequest>(this)](SharedLimits::Answer answer) {
        if (self && !self->m_finished)
            self->routeLimitsDecided(answer);
    };
    if (m_context.sharedLimits->acquire(m_route->sharedLimits, decided) == SharedLimits::Verdict::Admitted)
        readBody();
}

void ActiveRequest::routeLimitsDecided(SharedLimits::Answer answer)
{
    if (answer.verdict == SharedLimits::Verdict::Refused) {
        if (m_route->requestLimits)
            m_route->requestLimits->release(); // not admitted after all
        return failOverLimit(m_route->sharedLimits.value(answer.limit).windowMs == 0, answer.retryAfterMs);
    }
    if (answer.verdict == SharedLimits::Verdict::Unanswered) // admitted by this instance's counts alone
        m_context.sharedLimits->add(m_route->sharedLimits);
    readBody();
}

void ActiveRequest::failOverLimit(bool budget, qint64 retryAfterMs)
{
    if (budget)
        return fail(GatewayError::QuotaExceeded,
                    QStringLiteral("this API key has spent its daily budget; it renews at midnight UTC"), retryAfterMs);
    fail(GatewayError::RateLimited, QStringLiteral("this API key is over its request limit"), retryAfterMs);
}

// The whole body is read before forwarding (bodyData(), then bodyEnd()): a retry on another key must resend it, and
// OpenAI streams may need the usage option added. The engine bounds it (HttpLimits::maxBodyBytes, 413).
void ActiveRequest::readBody()
{
    m_exchange->resumeBody();
}

void ActiveRequest::bodyData(const QByteArray& data)
{
    if (!m_context.bodies.take(data.size()))
        return fail(GatewayError::Overloaded,
                    QStringLiteral("the gateway is holding all the request bodies it may; "
                                   "try again shortly"),
                    1000);
    m_bodyTaken += data.size();
    m_body += data;
}

void ActiveRequest::bodyEnd()
{
    const ProviderProfile& profile = m_route->provider->profile;
    if (profile.errorFormat == ErrorFormat::OpenAi)
        m_filterUsage = OpenAiStreamUsage::addUsageOption(m_exchange->request().path, m_body);
    chooseKey();
}

void ActiveRequest::chooseKey()
{
    const Selection selection = selectKey();
    if (!selection && m_retriedAfter) {
        // A retry found no key after all (the others spent the next one's shared limits): the client learns what
        // the last attempt met, as it would have without the retry.
        const KeyOutcome& last = *m_retriedAfter;
        if (last.kind == KeyOutcome::Kind::RateLimited)
            return fail(GatewayError::RateLimited, QStringLiteral("the provider is limiting this API key's keys"),
                        last.retryAfterMs > 0 ? last.retryAfterMs : m_sharedRetryAfterMs);
        return fail(last.kind == KeyOutcome::Kind::Timeout ? GatewayError::UpstreamTimeout
                                                           : GatewayError::UpstreamUnavailable,
                    QStringLiteral("the provider could not answer: %1").arg(last.detail));
    }
    if (!selection) {
        if (selection.retryAfterMs || m_sharedRetryAfterMs)
            return fail(GatewayError::RateLimited, QStringLiteral("every provider key of this API key is busy"),
                        selection.retryAfterMs.value_or(m_sharedRetryAfterMs));
        return fail(GatewayError::NoHealthyKey, QStringLiteral("no provider key is available for this API key"));
    }
    m_key = selection.key;
    useKey();
}

// Neither a key tried before nor one whose shared limits another instance spent.
Selection ActiveRequest::selectKey() const
{
    if (m_passedOver.empty())
        return m_route->selector->select(*m_route->pool, m_context.clock.now(), m_tried);
    std::vector<qint64> excluded = m_tried;
    excluded.insert(excluded.end(), m_passedOver.begin(), m_passedOver.end());
    return m_route->selector->select(*m_route->pool, m_context.clock.now(), excluded);
}

// The selector took the key's limits as this instance counts them; with Redis they are taken there as well, for
// every instance. A key whose limits the others spent is passed over for another of the pool.
void ActiveRequest::useKey()
{
    if (!m_context.sharedLimits || m_key->sharedLimits.isEmpty())
        return attempt();
    const auto decided = [self = QPointer<ActiveRequest>(this)](SharedLimits::Answer answer) {
        if (self && !self->m_finished && self->m_key)
            self->keyLimitsDecided(answer);
    };
    if (m_context.sharedLimits->acquire(m_key->sharedLimits, decided) == SharedLimits::Verdict::Admitted)
        attempt();
}

void ActiveRequest::keyLimitsDecided(SharedLimits::Answer answer)
{
    if (answer.verdict == SharedLimits::Verdict::Refused) {
        if (m_key->limits)
            m_key->limits->release(); // not sent after all
        m_passedOver.push_back(m_key->id);
        if (m_sharedRetryAfterMs == 0 || answer.retryAfterMs < m_sharedRetryAfterMs)
            m_sharedRetryAfterMs = answer.retryAfterMs;
        endAttempt(KeyOutcome::error(KeyOutcome::Kind::NotSent));
        return chooseKey();
    }
    if (answer.verdict == SharedLimits::Verdict::Unanswered)
        m_context.sharedLimits->add(m_key->sharedLimits);
    attempt();
}

void ActiveRequest::drained()
{
    if (m_upstream)
        m_upstream->resumeResponse();
}

void ActiveRequest::attempt()
{
    m_tried.push_back(m_key->id);
    m_trace.providerKeyId = m_key->id;
    m_trace.retries = int(m_tried.size()) - 1;
    m_attemptStartedMs = elapsedMs();

    const HttpRequest& request = m_exchange->request();
    const ProviderProfile& profile = m_route->provider->profile;
    UpstreamRequest upstream;
    upstream.method = request.method;
    upstream.origin = profile.origin;
    upstream.target = upstreamTarget(profile, request.path, m_forwardQuery);
    upstream.headers = RequestHeaders::upstream(request.headers, profile, credential(), m_keyHeader, m_trace.requestId);
    upstream.body = m_body; // whole: the upstream exchange frames it with its own Content-Length

    m_upstream = m_context.upstreams.start(std::move(upstream), this);
}

bool ActiveRequest::mayRetry() const
{
    return !m_responding && int(m_tried.size()) <= m_route->retryCount;
}

// Reports the failed attempt and moves to another key of the pool, when one is available now; returns without
// doing anything otherwise, leaving the caller to answer with what it has.
void ActiveRequest::retryAfter(const KeyOutcome& outcome)
{
    const Selection next = selectKey();
    if (!next)
        return;
    LogLine(lcProxy(), QtInfoMsg, u"retry on another key")
        .field("request_id", m_trace.requestId)
        .field("from_key_id", m_key->id)
        .field("to_key_id", next.key->id)
        .field("reason", outcome.detail);
    m_retriedAfter = outcome;
    endAttempt(outcome);
    m_upstream.reset(); // from inside one of its calls, which it is ready for
    m_key = next.key;
    useKey();
}

void ActiveRequest::endAttempt(const KeyOutcome& outcome)
{
    if (!m_key)
        return;
    m_key->state->report(outcome, m_context.clock.now());
    m_key = nullptr;
}

const KeyCredential& ActiveRequest::credential() const
{
    if (m_refreshed && m_refreshed->first == m_key->id)
        return m_refreshed->second;
    static const KeyCredential none;
    const auto found = m_table->providerCredentials.constFind(m_key->id);
    return found == m_table->providerCredentials.constEnd() ? none : *found;
}

// The provider refused an OAuth account's access token (revoked, or expired before its time): once per request, the
// token is refreshed (or found refreshed already) and the request sent again with the new one, before the client
// has seen anything.
void ActiveRequest::awaitRefresh()
{
    m_refreshTried = true;
    m_upstream.reset(); // from inside one of its calls, which it is ready for
    const qint64 keyId = m_key->id;
    const QByteArray rejected = credential().secret;
    // Refreshed since this request took its token: go again with the new one at once.
    if (const KeyCredential current = m_context.routing.current()->providerCredentials.value(keyId);
        current.isOAuth() && current.secret != rejected) {
        m_refreshed = qMakePair(keyId, current);
        return attempt();
    }
    m_refreshWait = connect(
        m_context.oauth, &OAuthRefresher::refreshEnded, this, [this, keyId, rejected](qint64 endedFor, bool refreshed) {
            if (endedFor != keyId)
                return;
            const KeyCredential current = m_context.routing.current()->providerCredentials.value(keyId);
            if (refreshed && current.isOAuth() && current.secret == rejected)
                return; // another request's news of an older token: this one's refresh is out
            refreshDone(refreshed, current);
        });
    // However the refresh ends (a provider that hands out the same token again, a routing that could not reload), the
    // wait is bounded by the refresh's own: its lease.
    m_refreshWaitTimer.start(int(OAuthRefresher::kLeaseMs), this);
    m_context.oauth->requestRefresh(keyId, rejected);
}

void ActiveRequest::refreshDone(bool refreshed, const KeyCredential& current)
{
    disconnect(m_refreshWait);
    m_refreshWaitTimer.stop();
    if (m_finished || !m_key)
        return;
    if (!refreshed || !current.isOAuth()) { // not refreshed, or the key left the routing meanwhile
        endAttempt(KeyOutcome::error(KeyOutcome::Kind::AuthRejected, QStringLiteral("provider answered 401")));
        return fail(GatewayError::UpstreamUnavailable,
                    QStringLiteral("the provider refused the account's access token, and it could not be refreshed"));
    }
    m_refreshed = qMakePair(m_key->id, current);
    attempt();
}

void ActiveRequest::responseHead(int status, const HttpHeaders& headers)
{
    if (status == 401 && !m_refreshTried && m_context.oauth && credential().isOAuth())
        return awaitRefresh();
    if (status >= 400) {
        const KeyOutcome outcome =
            KeyOutcome::fromStatus(status, 0, status == 429 ? RateLimitReset::fromHeaders(headers) : 0,
                                   QStringLiteral("provider answered %1").arg(status));
        if (outcome.kind != KeyOutcome::Kind::ClientError) {
            // A refusal is not retried: the client's own request may have caused it, and every other key would
            // refuse it too (and be suspected for it). The key's probe tells whether the key itself is at fault.
            if (outcome.kind != KeyOutcome::Kind::AuthRejected && mayRetry()) {
                const qint64 keyBefore = m_key->id;
                retryAfter(outcome);
                if (!m_key || m_key->id != keyBefore)
                    return;
            }
            // No other key: the provider's own answer goes to the client, and the key is charged with it at the end.
            if (outcome.kind == KeyOutcome::Kind::RateLimited)
                m_retryAfterMs = outcome.retryAfterMs;
        }
        m_trace.errorKind = QStringLiteral("upstream_status");
        m_trace.errorMessage = outcome.detail;
    }

    m_deadline.stop();
    m_responding = true;
    m_trace.status = status;
    const qint64 sinceStartMs = elapsedMs();
    m_trace.ttfbMs = int(sinceStartMs);
    const QByteArrayView contentType = headers.value("content-type");
    m_trace.streamed = contentType.startsWith("text/event-stream");
    bool lengthKnown = false;
    const qint64 contentLength = headers.value("content-length").trimmed().toLongLong(&lengthKnown);
    m_usage = std::make_unique<UsageExtractor>(m_route->provider->profile.usageMatcher, contentType,
                                               m_exchange->request().path, lengthKnown ? contentLength : -1);
    if (m_filterUsage && m_trace.streamed)
        m_usageFilter = std::make_unique<OpenAiStreamUsage>();

    const QByteArray timing = serverTiming(m_attemptStartedMs, sinceStartMs - m_attemptStartedMs);
    HttpHeaders out = headers.filtered(
        [this](QByteArrayView name) {
            return droppedResponseHeader(name) || (m_usageFilter && HttpHeaders::sameName(name, "content-length"));
        },
        2, 25 + m_trace.requestId.size() + timing.size());
    out.append("x-request-id", m_trace.requestId);
    out.append("server-timing", timing);
    m_exchange->writeHead(status, out);
}

void ActiveRequest::responseData(const QByteArray& data)
{
    const QByteArray out = m_usageFilter ? m_usageFilter->filter(data, &m_streamEvents) : data;
    bool keepUp = true;
    if (m_upstream->isResponseComplete() && m_exchange->isChunked()) {
        // The client gets the last piece with the chunked body's last chunk in one send: apart, the client is woken
        // twice. (A body of known length has no end to send: its last piece goes at once.)
        m_lastPiece = out;
    } else {
        // Sent before its usage is read: the client need not wait for that. (A stream reports what the write did from
        // the event loop, so nothing ends this request before the piece is read.)
        keepUp = out.isEmpty() || m_exchange->writeBody(out);
    }
    readUsage(data);
    if (!keepUp)
        m_upstream->pauseResponse(); // the client reads slower than the provider sends: resumed on drained()
}

// The usage in these bytes of the answer. A filtered stream was parsed by its filter: its events are read, not the
// bytes a second time.
void ActiveRequest::readUsage(QByteArrayView data)
{
    if (!m_usageFilter)
        return m_usage->feed(data);
    for (const SseEvent& event : std::as_const(m_streamEvents))
        m_usage->readEvent(event);
    m_streamEvents.clear();
}

// The end of a filtered stream: the events its filter's parser ends only there are read, and its last bytes returned.
QByteArray ActiveRequest::finishUsageFilter()
{
    if (!m_usageFilter)
        return {};
    const QByteArray rest = m_usageFilter->finish(&m_streamEvents);
    readUsage({});
    return rest;
}

void ActiveRequest::finished()
{
    const QByteArray last = std::exchange(m_lastPiece, QByteArray()) + finishUsageFilter();
    m_trace.success = m_trace.status < 400;
    chargeUsage(true);

    const qint64 latency = m_trace.streamed ? m_trace.ttfbMs : elapsedMs() - m_attemptStartedMs;
    endAttempt(KeyOutcome::fromStatus(m_trace.status, latency, m_retryAfterMs, m_trace.errorMessage));
    finish(); // the trace is queued before the exchange ends: a stop waiting for the exchanges then has it
    m_exchange->end(last);
}

void ActiveRequest::failed(const UpstreamError& error)
{
    const bool timeout = error.kind == UpstreamErrorKind::Timeout;
    const KeyOutcome outcome =
        KeyOutcome::error(timeout                                          ? KeyOutcome::Kind::Timeout
                          : error.kind == UpstreamErrorKind::ConnectFailed ? KeyOutcome::Kind::ConnectError
                                                                           : KeyOutcome::Kind::ServerError,
                          error.message);
    if (mayRetry()) {
        const qint64 keyBefore = m_key->id;
        retryAfter(outcome);
        if (!m_key || m_key->id != keyBefore)
            return;
    }
    if (m_responding) {
        // The client has part of the answer: end it so that it can tell (no final chunk), and record the cut.
        m_trace.success = false;
        m_trace.errorKind = QStringLiteral("stream_cut");
        m_trace.errorMessage = error.message;
        chargeUsage(false);
        endAttempt(outcome);
        finish();
        m_exchange->abort();
        return;
    }
    endAttempt(outcome);
    fail(timeout ? GatewayError::UpstreamTimeout : GatewayError::UpstreamUnavailable,
         QStringLiteral("the provider could not be reached: %1").arg(error.message));
}

void ActiveRequest::timerEvent(QTimerEvent* event)
{
    if (event->timerId() == m_refreshWaitTimer.timerId())
        return refreshDone(false, {});
    if (event->timerId() != m_deadline.timerId())
        return QObject::timerEvent(event);
    m_deadline.stop();
    if (m_responding || m_finished)
        return;
    if (m_upstream) {
        m_upstream->setListener(nullptr);
        m_upstream->abort();
    }
    // A key still waiting for its shared limits' decision was never asked: the deadline is not its fault.
    endAttempt(KeyOutcome::error(m_upstream ? KeyOutcome::Kind::Timeout : KeyOutcome::Kind::NotSent,
                                 QStringLiteral("no answer within the deadline")));
    fail(GatewayError::UpstreamTimeout,
         QStringLiteral("no answer from the provider within %1 ms").arg(m_route ? m_route->timeoutMs : 0));
}

void ActiveRequest::clientDisconnected()
{
    if (m_finished)
        return;
    if (m_upstream) {
        m_upstream->setListener(nullptr);
        m_upstream->abort();
    }
    m_trace.success = false;
    if (m_exchange->isCutByServer()) {
        m_trace.errorKind = QStringLiteral("shutdown");
        m_trace.errorMessage = QStringLiteral("the gateway stopped before the answer ended");
    } else {
        m_trace.errorKind = QStringLiteral("client_gone");
        m_trace.errorMessage = QStringLiteral("the client closed the connection before the answer ended");
    }
    chargeUsage(false);
    endAttempt(KeyOutcome::error(KeyOutcome::Kind::ClientAborted));
    finish();
}

// Charges the gateway key's budget and the provider key's token counter with what the answer used, on every way an
// answer that began can end: finished, cut by the provider, or left by the client. When an answer that did not end
// never showed the provider's count (a client that leaves right after the last content event, before OpenAI's usage
// chunk), it is estimated rather than charged as free: the request body at 4 bytes a token, one token per event
// streamed. The trace says so.
void ActiveRequest::chargeUsage(bool ended)
{
    if (!m_usage)
        return; // no answer began: the provider produced nothing
    if (!ended)
        finishUsageFilter(); // cut short: its last bytes go nowhere
    m_usage->finish();
    Usage usage = m_usage->usage();
    if (!ended && !usage.sawUsage && m_trace.status < 400) {
        usage.tokens.prompt = (m_body.size() + 3) / 4;
        usage.tokens.completion = m_usage->events();
        usage.tokens.total = usage.tokens.prompt + usage.tokens.completion;
        m_trace.errorMessage += QStringLiteral("; usage estimated, the provider's count never arrived");
    }
    if (usage.model.isEmpty() && m_body.size() <= kMaxModelScanBytes) // the model asked for, when the answer names none
        usage.model = QJsonDocument::fromJson(m_body).object().value(QLatin1String("model")).toString();
    m_trace.model = usage.model.left(kMaxTracedModelLength);
    m_trace.tokens = usage.tokens;
    m_trace.costMicros = m_table->pricing.costMicros(m_route->provider->profile.name, usage).value_or(0);

    if (m_key && m_key->limits && usage.tokens.total > 0)
        m_key->limits->addTokens(usage.tokens.total, m_context.clock.now());
    if (m_route->budget)
        m_route->budget->add(usage.tokens.total, m_trace.costMicros, QDateTime::currentMSecsSinceEpoch());
    if (!m_context.sharedLimits)
        return;
    // The limits a request only checks are those its usage charges: the provider key's tokens per minute, the
    // gateway key's tokens and cost per day (named ":cost").
    QList<SharedLimits::Limit> used;
    const auto charge = [&](const QList<SharedLimits::Limit>& limits) {
        for (SharedLimits::Limit limit : limits) {
            if (limit.units == 0) {
                limit.units = limit.name.endsWith(":cost") ? m_trace.costMicros : usage.tokens.total;
                used.append(limit);
            }
        }
    };
    if (m_key)
        charge(m_key->sharedLimits);
    charge(m_route->sharedLimits);
    if (!used.isEmpty())
        m_context.sharedLimits->add(used);
}

ErrorFormat ActiveRequest::errorFormat() const
{
    if (m_route)
        return m_route->provider->profile.errorFormat;
    return ProviderErrors::formatOfRequest(m_exchange->request().path, m_exchange->request().headers);
}

void ActiveRequest::fail(GatewayError kind, const QString& message, std::optional<qint64> retryAfterMs)
{
    m_deadline.stop();
    const int status = ProviderErrors::httpStatus(kind);
    HttpHeaders headers{{"content-type", "application/json"}, {"x-request-id", m_trace.requestId}};
    if (retryAfterMs)
        headers.append("retry-after", QByteArray::number(qMax<qint64>(1, (*retryAfterMs + 999) / 1000)));
    // A spent budget is a 429 the official SDKs would retry, for hours: they obey this header (Stainless clients).
    if (kind == GatewayError::QuotaExceeded)
        headers.append("x-should-retry", "false");
    m_trace.status = status;
    m_trace.success = false;
    m_trace.errorKind = ProviderErrors::kindName(kind);
    m_trace.errorMessage = message;
    finish();
    m_exchange->respond(status, headers, ProviderErrors::body(errorFormat(), kind, message));
}

// Submits the trace. Called before the last byte goes to the client: a graceful stop waits for every response to
// end, then flushes the trace writer, so a trace submitted after the end could miss that flush.
void ActiveRequest::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    const auto took = elapsed();
    m_trace.durationMs = int(std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
    if (m_route)
        m_context.accessLog.write(m_trace, m_route->keyPrefix, m_route->provider->profile.name);
    else
        m_context.accessLog.write(m_trace, m_keyPrefix, u"");
    if (m_context.metrics)
        m_context.metrics->record(m_trace, m_route ? m_route->provider->profile.name : QString(),
                                  std::chrono::duration<double>(took).count());
    m_context.traces.submit(std::move(m_trace));
}
