#include "health/KeyHealthRecorder.h"

#include "common/Logging.h"
#include "health/KeyState.h"
#include "storage/ChangeCounter.h"
#include "storage/Database.h"

#include <QDateTime>

namespace {

// Wall-clock times are derived from monotonic remainders, so they wobble by a few ms from sweep to sweep.
constexpr qint64 kTimeToleranceMs = 1000;

// provider_keys.health_status spells "cooling_down" as "cooldown".
QString columnStatus(KeyHealthSnapshot::Status status)
{
    return status == KeyHealthSnapshot::Status::CoolingDown ? QStringLiteral("cooldown")
                                                            : KeyHealthSnapshot::statusName(status);
}

QVariant nullableMs(qint64 ms)
{
    return ms > 0 ? QVariant(ms) : QVariant(QMetaType::fromType<qint64>());
}

QVariant nullableText(const QString& text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

KeyHealthRecorder::KeyHealthRecorder(Database& database, const QHash<qint64, std::shared_ptr<KeyState>>& states,
                                     const KeyClock& clock, QObject* parent)
    : QObject(parent), m_database(database), m_states(states), m_clock(clock)
{
    connect(&m_timer, &QTimer::timeout, this, &KeyHealthRecorder::sweep);
}

void KeyHealthRecorder::start()
{
    // The rows the key states were just built from: the first sweep compares with them (see sweep()). States do not
    // restore the last error's text, so the row's is taken for theirs: a start alone rewrites nothing.
    const KeyTime now = m_clock.now();
    const QDateTime wallNow = QDateTime::currentDateTimeUtc();
    for (auto it = m_states.constBegin(); it != m_states.constEnd(); ++it) {
        Saved primed = load(it.key());
        const Saved current = currentOf(*it.value(), now, wallNow);
        primed.lastError = current.lastError;
        primed.lastErrorAtMs = current.lastErrorAtMs;
        m_saved.insert(it.key(), primed);
    }
    m_timer.start(kSweepIntervalMs);
}

bool KeyHealthRecorder::differs(const Saved& a, const Saved& b)
{
    const auto timeDiffers = [](qint64 x, qint64 y) { return (x == 0) != (y == 0) || qAbs(x - y) > kTimeToleranceMs; };
    return a.status != b.status || a.invalidReason != b.invalidReason || a.lastError != b.lastError ||
           timeDiffers(a.cooldownUntilMs, b.cooldownUntilMs) || timeDiffers(a.ejectedUntilMs, b.ejectedUntilMs) ||
           timeDiffers(a.lastErrorAtMs, b.lastErrorAtMs);
}

// What the row says now; "unknown" (nothing seen yet) compares equal to a healthy key with no error, so a key
// stays "unknown" until something happens to it.
KeyHealthRecorder::Saved KeyHealthRecorder::load(qint64 keyId)
{
    Saved saved;
    auto row = m_database.exec(QStringLiteral("SELECT health_status, cooldown_until, invalid_reason, last_error, "
                                              "last_error_at, ejected_until FROM provider_keys WHERE id = ?"),
                               {keyId});
    if (!row || !row->next())
        return saved;
    const QString status = row->value(0).toString();
    saved.status = status == QLatin1String("unknown") ? QStringLiteral("healthy") : status;
    saved.cooldownUntilMs = row->value(1).toLongLong();
    saved.invalidReason = row->value(2).toString();
    saved.lastError = row->value(3).toString();
    saved.lastErrorAtMs = row->value(4).toLongLong();
    saved.ejectedUntilMs = row->value(5).toLongLong();
    return saved;
}

bool KeyHealthRecorder::isOwnWrite(qint64 keyId, const PersistedKeyHealth& row) const
{
    const auto saved = m_saved.constFind(keyId);
    if (saved == m_saved.constEnd() || !saved->written)
        return false;
    const auto ms = [](const QDateTime& time) { return time.isValid() ? time.toMSecsSinceEpoch() : 0; };
    Saved written = *saved;
    written.invalidReason = row.invalidReason;
    written.cooldownUntilMs = ms(row.cooldownUntil);
    written.ejectedUntilMs = ms(row.ejectedUntil);
    return !differs(*saved, written) && (saved->status == QLatin1String("invalid")) == row.invalid;
}

KeyHealthRecorder::Saved KeyHealthRecorder::currentOf(const KeyState& state, KeyTime now, const QDateTime& wallNow)
{
    const KeyHealthSnapshot snapshot = state.snapshot(now);
    const PersistedKeyHealth persisted = state.persisted(now, wallNow);
    Saved current;
    current.status = columnStatus(snapshot.status);
    current.cooldownUntilMs = persisted.cooldownUntil.isValid() ? persisted.cooldownUntil.toMSecsSinceEpoch() : 0;
    current.ejectedUntilMs = persisted.ejectedUntil.isValid() ? persisted.ejectedUntil.toMSecsSinceEpoch() : 0;
    current.invalidReason = persisted.invalidReason;
    current.lastError = snapshot.lastError;
    if (snapshot.lastErrorAgoMs)
        current.lastErrorAtMs = wallNow.toMSecsSinceEpoch() - *snapshot.lastErrorAgoMs;
    return current;
}

void KeyHealthRecorder::sweep()
{
    const KeyTime now = m_clock.now();
    const QDateTime wallNow = QDateTime::currentDateTimeUtc();
    int written = 0;
    for (auto it = m_states.constBegin(); it != m_states.constEnd(); ++it) {
        Saved current = currentOf(*it.value(), now, wallNow);
        auto saved = m_saved.constFind(it.key());
        if (saved == m_saved.constEnd()) {
            // First look: the row may hold what another instance wrote since this one built the key's state. It is
            // adopted at the next look at the health counter, not overwritten now; a change of this instance's own
            // is written at the next sweep.
            m_saved.insert(it.key(), load(it.key()));
            continue;
        }
        if (!differs(*saved, current))
            continue;
        auto updated = m_database.exec(
            QStringLiteral("UPDATE provider_keys SET health_status = ?, cooldown_until = ?, invalid_reason = ?, "
                           "last_error = ?, last_error_at = ?, ejected_until = ? WHERE id = ?"),
            {current.status, nullableMs(current.cooldownUntilMs), nullableText(current.invalidReason),
             nullableText(current.lastError), nullableMs(current.lastErrorAtMs), nullableMs(current.ejectedUntilMs),
             it.key()});
        if (!updated) {
            LogLine(lcHealth(), QtWarningMsg, u"health not saved")
                .field("key_id", it.key())
                .field("error", updated.error().message);
            continue;
        }
        current.written = true;
        m_saved.insert(it.key(), current);
        ++written;
    }
    if (written == 0)
        return;
    if (auto counted = ChangeCounter(m_database, ChangeCounter::kHealth).add(); !counted)
        LogLine(lcHealth(), QtWarningMsg, u"health change not counted").field("error", counted.error().message);
    emit saved();
}
