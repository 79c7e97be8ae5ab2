#pragma once

#include <QString>

#include <optional>

// One provider key's live health, for the admin API and the GUI.
struct KeyHealthSnapshot
{
    enum class Status { Healthy, CoolingDown, Ejected, Invalid };

    Status status = Status::Healthy;
    qint64 ejectedForMs = 0;     // remaining ejection, 0 when not ejected
    qint64 coolingDownForMs = 0; // remaining cooldown, 0 when not cooling down
    int inFlight = 0;
    std::optional<double> latencyEwmaMs; // none before the first success
    double errorRate = 0;                // EWMA of failures among the key's own outcomes, 0..1
    int consecutiveFailures = 0;
    int ejections = 0; // repeated ejections since the last success; sets the backoff
    quint64 successes = 0;
    quint64 failures = 0;
    QString invalidReason;
    QString lastError;
    std::optional<qint64> lastErrorAgoMs;

    // "healthy", "cooling_down", "ejected", "invalid"
    static QString statusName(Status status);
};
