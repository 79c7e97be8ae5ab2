#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "health/KeyHealthSnapshot.h"
#include "service/ServiceContext.h"

#include <QDateTime>
#include <QHash>
#include <QList>

#include <memory>
#include <optional>

class HealthProber;
class KeyClock;
class KeyState;

// The health of provider keys for admins (REST and GUI alike): live numbers of every key the proxy serves, the
// persisted status of the others, the last probe; and the reset of a key an admin vouches for.
class HealthService
{
public:
    struct ProbeResult
    {
        QDateTime at;
        bool ok = false;
        std::optional<int> status; // none when no response came
        qint64 latencyMs = 0;
        QString error;
    };

    struct KeyHealth
    {
        qint64 id = 0;
        QString name;
        QString providerType;
        bool served = false;        // the proxy uses the key now (active, decryptable, type active)
        KeyHealthSnapshot snapshot; // live numbers; for keys not served, only the persisted status and errors
        QDateTime cooldownUntil;    // UTC, null when not cooling down
        QDateTime ejectedUntil;     // UTC, null when not ejected
        QDateTime lastErrorAt;      // UTC, null when no error is known
        std::optional<ProbeResult> lastProbe;
    };

    // `states` is the routing store's map of live key states; it must outlive the service.
    HealthService(ServiceContext& context, const QHash<qint64, std::shared_ptr<KeyState>>& states,
                  const KeyClock& clock, HealthProber& prober)
        : m_context(context), m_states(states), m_clock(clock), m_prober(prober)
    {}

    // Every provider key that is not deleted, by id. Needs health:view.
    Result<QList<KeyHealth>> list(const Actor& actor);
    // Clears the key's invalid mark, ejection and cooldown; audited. Needs provider_keys:manage.
    Result<KeyHealth> reset(const Actor& actor, qint64 keyId);
    // Probes the key now with its type's probe (a cheap call such as GET /v1/models); the result arrives in the key's
    // lastProbe and status within the probe timeout. Needs provider_keys:manage; a conflict error when the proxy does
    // not serve the key or its type has no probe.
    Result<void> probe(const Actor& actor, qint64 keyId);

private:
    Result<QList<KeyHealth>> load(std::optional<qint64> onlyKey);

    ServiceContext& m_context;
    const QHash<qint64, std::shared_ptr<KeyState>>& m_states;
    const KeyClock& m_clock;
    HealthProber& m_prober;
};
