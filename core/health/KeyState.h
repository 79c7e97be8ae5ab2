#pragma once

#include "config/HealthPolicy.h"
#include "health/KeyClock.h"
#include "health/KeyHealthSnapshot.h"
#include "health/KeyOutcome.h"
#include "health/PersistedKeyHealth.h"

#include <atomic>
#include <mutex>
#include <optional>

// Live health of one provider key, shared by every proxy worker. Selection reads only atomics; the mutex guards
// the error texts, which only failures and the admin view touch.
class KeyState
{
public:
    explicit KeyState(qint64 keyId, HealthPolicy policy = {});

    qint64 keyId() const { return m_keyId; }

    // The selector hands the key to a request; every begin() is matched by one report() of that request.
    void begin() { m_inFlight.fetch_add(1, std::memory_order_relaxed); }
    void report(const KeyOutcome& outcome, KeyTime now);

    bool isAvailable(KeyTime now) const;
    // A proxied request got a 401/403. The client's request may have caused it (a header naming a foreign account),
    // so the key stays in service until its own clean probe confirms or clears the refusal.
    bool awaitsProbe() const { return m_refusalToConfirm.load(std::memory_order_relaxed); }
    // Whether a probe can confirm a refusal (probes run and the key's provider type names a probe path). Without
    // one, HealthPolicy::refusalsToInvalidate refusals in a row mark the key invalid: the only way left to take a
    // revoked key out of service.
    void setProbed(bool probed) { m_probed.store(probed, std::memory_order_relaxed); }
    // When the key can be selected again: `now` if it can be now, none while it is invalid.
    std::optional<KeyTime> availableAt(KeyTime now) const;

    int inFlight() const { return m_inFlight.load(std::memory_order_relaxed); }
    // Latency EWMA; none before the first success or when the last sample is stale.
    std::optional<double> latencyEwmaMs(KeyTime now) const;
    KeyTime lastLatencySampleAt() const { return KeyClockTime::fromNs(m_lastSampleNs.load(std::memory_order_relaxed)); }
    double errorRate() const { return m_errorRate.load(std::memory_order_relaxed); }

    // An admin marks the key healthy again: clears invalid, ejection, cooldown and failure counts.
    void reset();

    KeyHealthSnapshot snapshot(KeyTime now) const;
    PersistedKeyHealth persisted(KeyTime now, const QDateTime& wallNow) const;
    void restore(const PersistedKeyHealth& saved, KeyTime now, const QDateTime& wallNow);

private:
    void recordSuccess(const KeyOutcome& outcome, qint64 nowNs);
    void recordFailure(const KeyOutcome& outcome, qint64 nowNs);
    void recordRateLimited(const KeyOutcome& outcome, qint64 nowNs);
    void recordAuthRejected(const KeyOutcome& outcome, qint64 nowNs);
    void updateErrorRate(double sample);
    void setLastError(const QString& text, qint64 nowNs);

    const qint64 m_keyId;
    const HealthPolicy m_policy;

    std::atomic<int> m_inFlight{0};
    std::atomic<double> m_latencyEwmaMs{-1}; // negative: no sample yet
    std::atomic<qint64> m_lastSampleNs{0};
    std::atomic<double> m_errorRate{0};
    std::atomic<int> m_consecutiveFailures{0};
    std::atomic<int> m_ejections{0};
    std::atomic<qint64> m_ejectedUntilNs{0};
    std::atomic<qint64> m_cooldownUntilNs{0};
    std::atomic<bool> m_invalid{false};
    std::atomic<bool> m_refusalToConfirm{false};
    std::atomic<bool> m_probed{true};
    std::atomic<int> m_refusalsInARow{0};
    std::atomic<quint64> m_successes{0};
    std::atomic<quint64> m_failures{0};

    mutable std::mutex m_textMutex;
    QString m_invalidReason;
    QString m_lastError;
    qint64 m_lastErrorNs = 0;
};
