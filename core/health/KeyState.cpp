#include "health/KeyState.h"

#include "common/Logging.h"

#include <algorithm>

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;
constexpr qint64 kNsPerMs = 1'000'000;

void raiseTo(std::atomic<qint64>& value, qint64 candidate)
{
    qint64 current = value.load(kRelaxed);
    while (current < candidate && !value.compare_exchange_weak(current, candidate, kRelaxed)) {
    }
}

void blend(std::atomic<double>& ewma, double sample, double alpha)
{
    double current = ewma.load(kRelaxed);
    double next;
    do {
        next = current < 0 ? sample : current + alpha * (sample - current);
    } while (!ewma.compare_exchange_weak(current, next, kRelaxed));
}

// Writes only on change, so the success path does not bounce a cache line between workers for nothing.
template <typename T> void clear(std::atomic<T>& value)
{
    if (value.load(kRelaxed) != T{})
        value.store(T{}, kRelaxed);
}

} // namespace

KeyState::KeyState(qint64 keyId, HealthPolicy policy) : m_keyId(keyId), m_policy(policy) {}

void KeyState::report(const KeyOutcome& outcome, KeyTime now)
{
    if (!outcome.probe)
        m_inFlight.fetch_sub(1, kRelaxed);
    const qint64 nowNs = KeyClockTime::toNs(now);
    if (outcome.probe)
        clear(m_refusalToConfirm); // whatever it found, the probe had its say
    switch (outcome.kind) {
    case KeyOutcome::Kind::Success:
        recordSuccess(outcome, nowNs);
        break;
    case KeyOutcome::Kind::ConnectError:
    case KeyOutcome::Kind::Timeout:
    case KeyOutcome::Kind::ServerError:
        recordFailure(outcome, nowNs);
        break;
    case KeyOutcome::Kind::RateLimited:
        recordRateLimited(outcome, nowNs);
        break;
    case KeyOutcome::Kind::AuthRejected:
        recordAuthRejected(outcome, nowNs);
        break;
    case KeyOutcome::Kind::ClientError:
    case KeyOutcome::Kind::ClientAborted:
    case KeyOutcome::Kind::NotSent:
        break;
    }
}

void KeyState::recordSuccess(const KeyOutcome& outcome, qint64 nowNs)
{
    m_successes.fetch_add(1, kRelaxed);
    const double latency = double(std::max<qint64>(outcome.latencyMs, 0));
    // After a stale gap the old average says nothing about the key now: start over from this sample, so a key
    // avoided for being slow wins its traffic back with one good trial.
    if (nowNs - m_lastSampleNs.exchange(nowNs, kRelaxed) > m_policy.sampleStaleAfterMs * kNsPerMs)
        m_latencyEwmaMs.store(latency, kRelaxed);
    else
        blend(m_latencyEwmaMs, latency, m_policy.latencyAlpha);
    updateErrorRate(0);
    clear(m_refusalToConfirm);
    clear(m_refusalsInARow);
    clear(m_consecutiveFailures);
    clear(m_ejections);
    if (outcome.probe) {
        // A probe that gets through proves the key works: bring it back at once.
        clear(m_ejectedUntilNs);
        if (m_invalid.exchange(false, kRelaxed)) {
            LogLine(lcHealth(), QtInfoMsg, u"key valid again after a successful probe").field("key_id", m_keyId);
            std::lock_guard lock(m_textMutex);
            m_invalidReason.clear();
        }
    }
}

void KeyState::recordFailure(const KeyOutcome& outcome, qint64 nowNs)
{
    m_failures.fetch_add(1, kRelaxed);
    updateErrorRate(1);
    setLastError(outcome.detail, nowNs);
    const int failures = m_consecutiveFailures.fetch_add(1, kRelaxed) + 1;
    if (failures < m_policy.ejectAfterFailures)
        return;
    // The count is not reset on ejection: once the ejection ends, a single further failure ejects again for
    // twice as long, while a success resets both the count and the backoff.
    qint64 until = m_ejectedUntilNs.load(kRelaxed);
    if (until > nowNs)
        return;
    const int ejections = m_ejections.load(kRelaxed);
    const qint64 backoffMs = std::min(m_policy.ejectMaxMs, m_policy.ejectBaseMs << std::min(ejections, 30));
    if (m_ejectedUntilNs.compare_exchange_strong(until, nowNs + backoffMs * kNsPerMs, kRelaxed)) {
        m_ejections.fetch_add(1, kRelaxed);
        LogLine(lcHealth(), QtInfoMsg, u"key ejected")
            .field("key_id", m_keyId)
            .field("ejected_ms", backoffMs)
            .field("consecutive_failures", failures)
            .field("error", outcome.detail);
    }
}

void KeyState::recordRateLimited(const KeyOutcome& outcome, qint64 nowNs)
{
    const qint64 cooldownMs = outcome.retryAfterMs > 0 ? outcome.retryAfterMs : m_policy.defaultCooldownMs;
    raiseTo(m_cooldownUntilNs, nowNs + cooldownMs * kNsPerMs);
    setLastError(outcome.detail, nowNs);
    LogLine(lcHealth(), QtDebugMsg, u"key cooling down").field("key_id", m_keyId).field("cooldown_ms", cooldownMs);
}

void KeyState::recordAuthRejected(const KeyOutcome& outcome, qint64 nowNs)
{
    const QString reason = outcome.detail.isEmpty() ? QStringLiteral("the provider rejected the key") : outcome.detail;
    if (!outcome.probe && m_probed.load(kRelaxed)) {
        setLastError(reason + QStringLiteral(" (a probe will confirm)"), nowNs);
        if (!m_refusalToConfirm.exchange(true, kRelaxed))
            LogLine(lcHealth(), QtInfoMsg, u"key refused a request, to be confirmed by a probe")
                .field("key_id", m_keyId)
                .field("error", reason);
        return;
    }
    if (!outcome.probe && m_refusalsInARow.fetch_add(1, kRelaxed) + 1 < m_policy.refusalsToInvalidate) {
        setLastError(reason, nowNs);
        return;
    }
    {
        std::lock_guard lock(m_textMutex);
        m_invalidReason = reason;
    }
    setLastError(reason, nowNs);
    if (!m_invalid.exchange(true, kRelaxed))
        LogLine(lcHealth(), QtWarningMsg, u"key marked invalid").field("key_id", m_keyId).field("error", reason);
}

void KeyState::updateErrorRate(double sample)
{
    // Skip the write when the rate is already settled at the sample, which is the common all-success case.
    if (m_errorRate.load(kRelaxed) != sample)
        blend(m_errorRate, sample, m_policy.errorAlpha);
}

void KeyState::setLastError(const QString& text, qint64 nowNs)
{
    std::lock_guard lock(m_textMutex);
    m_lastError = text;
    m_lastErrorNs = nowNs;
}

bool KeyState::isAvailable(KeyTime now) const
{
    const qint64 nowNs = KeyClockTime::toNs(now);
    return !m_invalid.load(kRelaxed) && nowNs >= m_ejectedUntilNs.load(kRelaxed) &&
           nowNs >= m_cooldownUntilNs.load(kRelaxed);
}

std::optional<KeyTime> KeyState::availableAt(KeyTime now) const
{
    if (m_invalid.load(kRelaxed))
        return std::nullopt;
    const qint64 atNs =
        std::max({KeyClockTime::toNs(now), m_ejectedUntilNs.load(kRelaxed), m_cooldownUntilNs.load(kRelaxed)});
    return KeyClockTime::fromNs(atNs);
}

std::optional<double> KeyState::latencyEwmaMs(KeyTime now) const
{
    const double ewma = m_latencyEwmaMs.load(kRelaxed);
    if (ewma < 0)
        return std::nullopt;
    if (KeyClockTime::toNs(now) - m_lastSampleNs.load(kRelaxed) > m_policy.sampleStaleAfterMs * kNsPerMs)
        return std::nullopt;
    return ewma;
}

void KeyState::reset()
{
    m_invalid.store(false, kRelaxed);
    m_ejectedUntilNs.store(0, kRelaxed);
    m_cooldownUntilNs.store(0, kRelaxed);
    m_consecutiveFailures.store(0, kRelaxed);
    m_ejections.store(0, kRelaxed);
    m_errorRate.store(0, kRelaxed);
    m_refusalToConfirm.store(false, kRelaxed);
    m_refusalsInARow.store(0, kRelaxed);
    std::lock_guard lock(m_textMutex);
    m_invalidReason.clear();
}

KeyHealthSnapshot KeyState::snapshot(KeyTime now) const
{
    const qint64 nowNs = KeyClockTime::toNs(now);
    KeyHealthSnapshot s;
    s.ejectedForMs = KeyClockTime::msUntil(now, KeyClockTime::fromNs(m_ejectedUntilNs.load(kRelaxed)));
    s.coolingDownForMs = KeyClockTime::msUntil(now, KeyClockTime::fromNs(m_cooldownUntilNs.load(kRelaxed)));
    if (m_invalid.load(kRelaxed))
        s.status = KeyHealthSnapshot::Status::Invalid;
    else if (s.ejectedForMs > 0)
        s.status = KeyHealthSnapshot::Status::Ejected;
    else if (s.coolingDownForMs > 0)
        s.status = KeyHealthSnapshot::Status::CoolingDown;
    s.inFlight = inFlight();
    const double ewma = m_latencyEwmaMs.load(kRelaxed);
    if (ewma >= 0)
        s.latencyEwmaMs = ewma;
    s.errorRate = errorRate();
    s.consecutiveFailures = m_consecutiveFailures.load(kRelaxed);
    s.ejections = m_ejections.load(kRelaxed);
    s.successes = m_successes.load(kRelaxed);
    s.failures = m_failures.load(kRelaxed);
    std::lock_guard lock(m_textMutex);
    s.invalidReason = m_invalidReason;
    s.lastError = m_lastError;
    if (m_lastErrorNs != 0)
        s.lastErrorAgoMs = (nowNs - m_lastErrorNs) / kNsPerMs;
    return s;
}

PersistedKeyHealth KeyState::persisted(KeyTime now, const QDateTime& wallNow) const
{
    PersistedKeyHealth saved;
    const qint64 coolingMs = KeyClockTime::msUntil(now, KeyClockTime::fromNs(m_cooldownUntilNs.load(kRelaxed)));
    if (coolingMs > 0)
        saved.cooldownUntil = wallNow.toUTC().addMSecs(coolingMs);
    const qint64 ejectedMs = KeyClockTime::msUntil(now, KeyClockTime::fromNs(m_ejectedUntilNs.load(kRelaxed)));
    if (ejectedMs > 0)
        saved.ejectedUntil = wallNow.toUTC().addMSecs(ejectedMs);
    saved.invalid = m_invalid.load(kRelaxed);
    if (saved.invalid) {
        std::lock_guard lock(m_textMutex);
        saved.invalidReason = m_invalidReason;
    }
    return saved;
}

void KeyState::restore(const PersistedKeyHealth& saved, KeyTime now, const QDateTime& wallNow)
{
    const auto raiseUntil = [&](std::atomic<qint64>& value, const QDateTime& until) {
        const qint64 remainingMs = until.isValid() ? wallNow.msecsTo(until) : 0;
        if (remainingMs > 0)
            raiseTo(value, KeyClockTime::toNs(now) + remainingMs * kNsPerMs);
    };
    raiseUntil(m_cooldownUntilNs, saved.cooldownUntil);
    raiseUntil(m_ejectedUntilNs, saved.ejectedUntil);
    if (saved.invalid) {
        {
            std::lock_guard lock(m_textMutex);
            m_invalidReason = saved.invalidReason;
        }
        m_invalid.store(true, kRelaxed);
    }
}
