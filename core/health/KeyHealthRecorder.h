#pragma once

#include "health/KeyClock.h"
#include "health/PersistedKeyHealth.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

class Database;
class KeyState;

// Saves each provider key's health into its provider_keys row (health_status, cooldown_until, invalid_reason,
// last_error, last_error_at) when it changed, so cooldowns and invalid marks survive a restart and reach the other
// instances (a write adds one to the health change counter; they adopt it, see RoutingStore::adoptHealth). A sweep
// on the main thread, four times a second, compares snapshots: the proxy workers never wait for the database.
class KeyHealthRecorder : public QObject
{
    Q_OBJECT

public:
    static constexpr int kSweepIntervalMs = 250;

    // `states` is the routing store's map of live key states; it must outlive the recorder.
    KeyHealthRecorder(Database& database, const QHash<qint64, std::shared_ptr<KeyState>>& states, const KeyClock& clock,
                      QObject* parent = nullptr);

    void start();
    // Writes every key whose health differs from its row; stop() of the service calls it last.
    void sweep();
    // Whether a key's row holds what this recorder wrote there last: adopting that would bring back a mark cleared
    // here since (a probe found an ejected key well again); only what other instances wrote is news.
    bool isOwnWrite(qint64 keyId, const PersistedKeyHealth& row) const;

signals:
    void saved(); // a sweep wrote the health of at least one key

private:
    struct Saved
    {
        QString status;
        qint64 cooldownUntilMs = 0; // 0: none
        qint64 ejectedUntilMs = 0;  // 0: none
        QString invalidReason;
        QString lastError;
        qint64 lastErrorAtMs = 0; // 0: none
        bool written = false;     // by this recorder; else read from the row
    };

    Saved load(qint64 keyId);
    static Saved currentOf(const KeyState& state, KeyTime now, const QDateTime& wallNow);
    static bool differs(const Saved& a, const Saved& b);

    Database& m_database;
    const QHash<qint64, std::shared_ptr<KeyState>>& m_states;
    const KeyClock& m_clock;
    QHash<qint64, Saved> m_saved;
    QTimer m_timer;
};
