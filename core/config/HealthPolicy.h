#pragma once

#include <QtGlobal>

// How live traffic moves a provider key between healthy, ejected and cooling down.
struct HealthPolicy
{
    int ejectAfterFailures = 3;         // consecutive connect errors, timeouts or 5xx before ejection
    qint64 ejectBaseMs = 10'000;        // first ejection; doubles on each repeated ejection
    qint64 ejectMaxMs = 5 * 60'000;     // cap of the doubling
    qint64 defaultCooldownMs = 5'000;   // a 429 that names no Retry-After
    double latencyAlpha = 0.3;          // weight of a new latency sample in the EWMA
    double errorAlpha = 0.1;            // weight of a new outcome in the error-rate EWMA
    qint64 sampleStaleAfterMs = 30'000; // older latency counts as unknown, so an avoided key gets tried again
    bool probesRun = true;              // health.probe_interval_ms > 0: a probe can confirm a refused request
    int refusalsToInvalidate = 3;       // without a probe: refused requests in a row that mark a key invalid
};
