#pragma once

#include "common/Result.h"
#include "config/HealthPolicy.h"
#include "health/PersistedKeyHealth.h"
#include "health/ProbeTarget.h"
#include "proxy/RoutingTable.h"

#include <QHash>

#include <atomic>
#include <memory>
#include <vector>

class Database;
class KeyClock;
class QSqlQuery;
class KeyState;
class SecretBox;

// Builds the RoutingTable from the database (provider types, provider keys with their secrets decrypted, gateway
// keys with their pools, owners' rights, pricing) and swaps it in atomically; proxy workers read current() with no
// lock and no SQL. The live state of keys (health, limits, daily budgets) outlives tables: a rebuild hands the
// same objects to the new table, so an admin edit never resets a cooldown or a budget.
class RoutingStore
{
public:
    RoutingStore(Database& database, const SecretBox& secrets, const KeyClock& clock, HealthPolicy policy = {});

    // On the thread that owns the database connection used for admin work (the main thread).
    Result<void> reload();

    std::shared_ptr<const RoutingTable> current() const { return m_table.load(std::memory_order_acquire); }

    // Takes on the cooldowns and invalid marks that other instances saved (KeyHealthRecorder), never shortening one
    // seen here, and the resets admins made through any of them: a key that answered 429 on one instance rests on
    // all; a key reset on one serves on all (main thread).
    // ownWrite(key id, row): the row holds what this instance wrote itself; not adopted.
    Result<void> adoptHealth(const std::function<bool(qint64, const PersistedKeyHealth&)>& ownWrite = {});

    // Health of every provider key the proxy serves, by id (main thread only).
    const QHash<qint64, std::shared_ptr<KeyState>>& keyStates() const { return m_keyStates; }

    // The probe request of every served key whose provider type names a probe path (main thread only).
    std::vector<ProbeTarget> probeTargets() const;

private:
    Result<void> build(); // reload() inside one snapshot of the database
    Result<QHash<qint64, std::shared_ptr<const ProviderRoute>>> loadProviders(RoutingTable& table);
    Result<QHash<qint64, PoolKey>> loadProviderKeys(RoutingTable& table);
    Result<void> loadPricing(RoutingTable& table);
    std::shared_ptr<KeyState> restoredState(const QSqlQuery& row) const;
    Result<KeyCredential> openCredential(const QSqlQuery& row) const;
    Result<void> seedBudgets(qint64 dayStartMs);

    Database& m_database;
    const SecretBox& m_secrets;
    const KeyClock& m_clock;
    const HealthPolicy m_policy;
    std::atomic<std::shared_ptr<const RoutingTable>> m_table;
    QHash<qint64, std::shared_ptr<KeyState>> m_keyStates;       // provider key id
    QHash<qint64, std::shared_ptr<KeyLimits>> m_keyLimits;      // provider key id
    QHash<qint64, std::shared_ptr<KeyLimits>> m_requestLimits;  // gateway key id
    QHash<qint64, std::shared_ptr<GatewayKeyBudget>> m_budgets; // gateway key id
    bool m_budgetsSeeded = false;
    QHash<qint64, qint64> m_resetsSeen; // provider key id -> the latest health_reset_at acted on
    const qint64 m_builtAtMs;           // wall clock: resets before it are in the rows the states were built from
};
