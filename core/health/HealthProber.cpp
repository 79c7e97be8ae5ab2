#include "health/HealthProber.h"

#include "common/Logging.h"
#include "health/KeyState.h"
#include "storage/Database.h"

#include <QDateTime>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslConfiguration>

namespace {

constexpr qint64 kPurgeEveryMs = 10 * 60 * 1000;

KeyOutcome outcomeOf(QNetworkReply* reply, int status, qint64 latencyMs)
{
    if (status == 0) {
        const bool timeout =
            reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError;
        return KeyOutcome::error(timeout ? KeyOutcome::Kind::Timeout : KeyOutcome::Kind::ConnectError,
                                 QStringLiteral("probe: %1").arg(reply->errorString()));
    }
    const QString detail = QStringLiteral("probe: provider answered %1").arg(status);
    // A redirect says the probe itself is wrong (e.g. its path), not the key, like another 4xx.
    if (status < 200 || (status >= 300 && status < 400))
        return KeyOutcome::error(KeyOutcome::Kind::ClientError, detail);
    bool ok = false;
    const double seconds = status == 429 ? reply->rawHeader("retry-after").trimmed().toDouble(&ok) : 0;
    return KeyOutcome::fromStatus(status, latencyMs, ok && seconds > 0 ? qint64(seconds * 1000) : 0, detail);
}

} // namespace

HealthProber::HealthProber(Database& database, const KeyClock& clock, Targets targets, int intervalMs,
                           const QString& upstreamCaFile, QObject* parent)
    : QObject(parent), m_database(database), m_keyClock(clock), m_targets(std::move(targets)), m_intervalMs(intervalMs)
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_network.setTransferTimeout(kProbeTimeoutMs);
    if (!upstreamCaFile.isEmpty())
        m_tls.addCaCertificates(upstreamCaFile);
    connect(&m_timer, &QTimer::timeout, this, &HealthProber::tick);
}

HealthProber::~HealthProber()
{
    // Probes still out are dropped unrecorded: their callbacks must not run into a half-destroyed prober.
    for (QNetworkReply* reply : m_network.findChildren<QNetworkReply*>()) {
        reply->disconnect(this);
        reply->abort();
    }
}

void HealthProber::start()
{
    m_clock.start();
    if (m_intervalMs <= 0)
        return;
    m_timer.start(qBound(10, m_intervalMs / 4, 1000));
    purge();
}

void HealthProber::setInterval(int intervalMs)
{
    if (m_intervalMs <= 0 || intervalMs <= 0)
        return;
    m_intervalMs = intervalMs;
    m_timer.start(qBound(10, m_intervalMs / 4, 1000));
}

bool HealthProber::probeNow(qint64 keyId)
{
    for (const ProbeTarget& target : m_targets()) {
        if (target.keyId != keyId)
            continue;
        auto it = m_schedule.find(keyId);
        if (it == m_schedule.end())
            it = m_schedule.insert(keyId, Schedule{0, drawJitter(), true, false});
        if (!it->inFlight) {
            it->inFlight = true;
            it->lastAtMs = m_clock.elapsed();
            probe(target);
        }
        return true;
    }
    return false;
}

double HealthProber::drawJitter()
{
    return 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
}

void HealthProber::tick()
{
    const qint64 nowMs = m_clock.elapsed();
    const KeyTime now = m_keyClock.now();
    QHash<qint64, Schedule> schedule;
    for (const ProbeTarget& target : m_targets()) {
        const auto status = target.state->snapshot(now).status;
        const bool healthy = status == KeyHealthSnapshot::Status::Healthy;
        Schedule entry = m_schedule.value(target.keyId, Schedule{nowMs, drawJitter(), healthy, false});
        // A key that just fell ill gets its first probe one interval later, not at once: the ejection stands
        // that long at least.
        if (entry.healthy && !healthy)
            entry.lastAtMs = nowMs;
        entry.healthy = healthy;
        // A refusal of a proxied request is checked at once, yet no more often than every kConfirmSpacingMs however
        // many requests a tenant gets refused.
        const qint64 waitMs = target.state->awaitsProbe()
                                  ? qMin<qint64>(kConfirmSpacingMs, m_intervalMs)
                                  : qint64(m_intervalMs * (healthy ? kHealthyFactor : 1) * entry.jitter);
        if (!entry.inFlight && status != KeyHealthSnapshot::Status::CoolingDown && nowMs - entry.lastAtMs >= waitMs) {
            entry.inFlight = true;
            entry.lastAtMs = nowMs;
            entry.jitter = drawJitter();
            probe(target);
        }
        schedule.insert(target.keyId, entry);
    }
    m_schedule = std::move(schedule); // forgets removed keys
    if (nowMs - m_lastPurgeMs >= kPurgeEveryMs)
        purge();
}

void HealthProber::probe(const ProbeTarget& target)
{
    QNetworkRequest request(target.url);
    for (const auto& [name, value] : target.headers) {
        if (!HttpHeaders::sameName(name, "host"))
            request.setRawHeader(name.toByteArray(), value.toByteArray());
    }
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("gatehouse-health-probe"));
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setSslConfiguration(m_tls);
    QNetworkReply* reply = m_network.sendCustomRequest(request, target.method);
    QElapsedTimer started;
    started.start();
    connect(reply, &QNetworkReply::finished, this, [this, target, reply, started] {
        reply->deleteLater();
        finishProbe(target, reply, started.elapsed());
    });
}

void HealthProber::finishProbe(const ProbeTarget& target, QNetworkReply* reply, qint64 latencyMs)
{
    if (auto it = m_schedule.find(target.keyId); it != m_schedule.end())
        it->inFlight = false;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const KeyOutcome outcome = outcomeOf(reply, status, latencyMs);
    const qint64 nowMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    const auto asked = m_refreshAskedAtMs.constFind(target.keyId);
    if (status == 401 && !target.oauthToken.isEmpty() &&
        (asked == m_refreshAskedAtMs.constEnd() || nowMs - *asked >= kRefreshAskSpacingMs)) {
        m_refreshAskedAtMs.insert(target.keyId, nowMs);
        emit tokenRefused(target.keyId, target.oauthToken);
    } else {
        target.state->report(outcome.asProbe(), m_keyClock.now()); // refused again soon after: the key is at fault
    }
    const bool ok = outcome.kind == KeyOutcome::Kind::Success;
    LogLine(lcHealth(), QtDebugMsg, u"probe")
        .field("key_id", target.keyId)
        .field("status", status)
        .field("ok", ok)
        .field("latency_ms", latencyMs);
    auto inserted = m_database.exec(
        QStringLiteral("INSERT INTO health_probes (provider_key_id, created_at, ok, status, latency_ms, error) "
                       "VALUES (?, ?, ?, ?, ?, ?)"),
        {target.keyId, QDateTime::currentMSecsSinceEpoch(), ok ? 1 : 0,
         status > 0 ? QVariant(status) : QVariant(QMetaType::fromType<int>()), latencyMs,
         ok ? QVariant(QMetaType::fromType<QString>()) : QVariant(outcome.detail)});
    if (!inserted)
        LogLine(lcHealth(), QtWarningMsg, u"probe not recorded")
            .field("key_id", target.keyId)
            .field("error", inserted.error().message);
    emit probed(target.keyId, ok);
}

void HealthProber::purge()
{
    m_lastPurgeMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    auto purged = m_database.exec(QStringLiteral("DELETE FROM health_probes WHERE created_at < ?"),
                                  {QDateTime::currentMSecsSinceEpoch() - kRetentionMs});
    if (!purged)
        qCWarning(lcHealth).noquote() << "old probe results not purged:" << purged.error().message;
}
