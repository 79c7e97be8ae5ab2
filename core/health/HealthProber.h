#pragma once

#include "health/ProbeTarget.h"

#include <QElapsedTimer>
#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>
#include <vector>

class Database;
class KeyClock;
class QNetworkReply;

// Active health: a periodic, cheap request per provider key (its provider type's probe, e.g. GET /v1/models).
// Ejected and invalid keys are probed every interval and come back on a success; healthy keys every
// kHealthyFactor intervals to confirm them; a key the provider refused to a proxied request (401/403) within
// kConfirmSpacingMs, and only this clean probe of the key's own marks it invalid; keys cooling down after a 429
// are left alone. Each wait carries
// +-20% jitter so probes of many keys spread out. Results go to the key's state and to the health_probes table.
// Runs on the main thread over QNetworkAccessManager (a cold path: cookies off, redirects not followed).
class HealthProber : public QObject
{
    Q_OBJECT

public:
    static constexpr int kHealthyFactor = 10;
    static constexpr qint64 kConfirmSpacingMs = 1000;
    static constexpr int kProbeTimeoutMs = 10'000;
    static constexpr qint64 kRetentionMs = 24 * 3600 * 1000; // health_probes rows older than this are purged
    // A probe asks for an OAuth key's refresh at most this often; a 401 within it judges the key as for an API key.
    static constexpr qint64 kRefreshAskSpacingMs = 10 * 60 * 1000;

    using Targets = std::function<std::vector<ProbeTarget>()>;

    // `targets` lists the keys to probe, asked again on every tick so new and removed keys are picked up.
    HealthProber(Database& database, const KeyClock& clock, Targets targets, int intervalMs,
                 const QString& upstreamCaFile = {}, QObject* parent = nullptr);
    ~HealthProber() override;

    void start();
    // A reload: the next waits are measured in the new interval. Probes stay on (intervalMs > 0) or off as started.
    void setInterval(int intervalMs);
    // Probes the key now (unless a probe of it is under way), whatever its schedule: an admin's "Test". False when
    // the key is not among the targets (not served, or its type has no probe).
    bool probeNow(qint64 keyId);

signals:
    void probed(qint64 keyId, bool ok);
    // A probe of an OAuth account got a 401 with `token`: a refresh (proxy/OAuthRefresher) tells whether the account
    // is at fault, so the key is not judged by it.
    void tokenRefused(qint64 keyId, const QByteArray& token);

private:
    struct Schedule
    {
        qint64 lastAtMs = 0; // last probe sent (or when the key was first seen, or became unhealthy)
        double jitter = 1;   // factor on the wait, 0.8..1.2, drawn anew after every probe
        bool healthy = true;
        bool inFlight = false;
    };

    void tick();
    void probe(const ProbeTarget& target);
    void finishProbe(const ProbeTarget& target, QNetworkReply* reply, qint64 latencyMs);
    void purge();
    static double drawJitter();

    Database& m_database;
    const KeyClock& m_keyClock;
    Targets m_targets;
    int m_intervalMs;
    QNetworkAccessManager m_network;
    QSslConfiguration m_tls = QSslConfiguration::defaultConfiguration();
    QHash<qint64, Schedule> m_schedule;
    QHash<qint64, qint64> m_refreshAskedAtMs; // OAuth key -> when a probe last asked for its refresh (m_clock)
    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_lastPurgeMs = -1;
};
