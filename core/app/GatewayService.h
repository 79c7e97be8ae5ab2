#pragma once

#include "app/OpenFileLimit.h"
#include "common/Result.h"
#include "config/Config.h"
#include "config/ConfigLoader.h"
#include "crypto/MasterKey.h"
#include "health/KeyClock.h"
#include "proxy/AccessLog.h"
#include "proxy/BodyBudget.h"
#include "service/ServiceContext.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

class AdminServer;
struct AdminServices;
class HealthProber;
class HealthService;
class HttpServer;
class KeyHealthRecorder;
class OAuthConfigService;
class OAuthRefresher;
class OAuthSessionService;
class RoutingStore;
class AuditLog;
class AuditService;
class AuthService;
class ChangeBus;
class ClusterSync;
class GatewayKeyService;
class PricingService;
class ProxyMetrics;
class RedisConnection;
class ProviderKeyService;
class ProviderTypeService;
class Database;
class SecretBox;
class StatsService;
class TraceService;
class TraceWriter;
class UserService;

// The composition root: builds, starts, stops and wires every part of the gateway. Both front ends own exactly
// one: gatehoused (headless) and gatehouse (desktop). The GUI listens to its signals.
class GatewayService : public QObject
{
    Q_OBJECT

public:
    explicit GatewayService(ConfigPtr config, QObject* parent = nullptr);
    ~GatewayService() override;

    // Opens the database, applies migrations, loads the master key and starts both listeners.
    Result<void> start();
    // Graceful stop: listeners close, in-flight requests get Config::drainTimeoutMs to finish, queued traces are
    // written, the database closes. Emits stopped() when done; safe to call more than once.
    void stop();
    // A reload: applies what can change while serving (ConfigLoader::changes) and keeps the rest as it runs, logging
    // both. `next` is built like the running configuration (same defaults, command line and environment). Open
    // connections stay; nothing changes when the new TLS files cannot be read.
    Result<ConfigLoader::Changes> reconfigure(Config next);

    bool isRunning() const { return m_running; }
    const Config& config() const { return *m_config; }
    quint16 proxyPort() const;
    quint16 adminPort() const;
    QJsonObject systemInfo() const;
    QJsonObject redisState() const; // whether this instance shares state through Redis, and reaches it
    QByteArray metricsText();       // GET /metrics
    bool isReady() const { return m_ready.load(std::memory_order_relaxed); } // GET /readyz

    // Valid while running.
    Database& database() { return *m_database; }
    const SecretBox& secrets() const { return *m_secrets; }
    const PasswordHasher& passwords() const { return m_passwords; }
    TraceWriter& traces() { return *m_traces; }
    AuthService& auth() { return *m_auth; }
    TraceService& traceService() { return *m_traceService; }
    OAuthSessionService& oauthSessions() { return *m_oauthSessions; }
    StatsService& stats() { return *m_stats; }
    RoutingStore& routing() { return *m_routing; }
    HealthService& health() { return *m_health; }
    HealthProber& prober() { return *m_prober; }
    // The monotonic clock of key health and limits; tests move it forward.
    KeyClock& keyClock() { return m_keyClock; }
    const BodyBudget& bodyBudget() const { return m_bodies; }
    HttpServer& proxy() { return *m_proxy; }
    ProviderTypeService& providerTypes() { return *m_providerTypes; }
    ProviderKeyService& providerKeys() { return *m_providerKeys; }
    GatewayKeyService& gatewayKeys() { return *m_gatewayKeys; }
    PricingService& pricing() { return *m_pricing; }
    UserService& users() { return *m_users; }
    // What the admin API serves (its listener is built from it).
    AdminServices adminServices();

    // The generated first admin password, when this start created the admin user without
    // GATEHOUSE_ADMIN_PASSWORD; empty otherwise. Shown once to the operator, never logged.
    QString generatedAdminPassword() const { return m_generatedAdminPassword; }
    // Where the master key came from at the last start ("key file /path (created)", "keychain gatehouse"...).
    QString masterKeyDescription() const { return m_masterKeyDescription; }

signals:
    void started();
    void stopped();
    // An admin change that the proxy must see; the routing snapshot is rebuilt.
    void routingChanged();

private:
    QJsonObject serverSettings() const;
    Result<void> prepareDataDir();
    Result<void> openDatabase();
    Result<void> loadMasterKey();

public:
    // Where the master key of this configuration comes from (environment, systemd credentials, key file, keychain).
    static MasterKeyOptions masterKeyOptions(const Config& config);
    static constexpr const char* kMasterKeyCheckSetting = "master_key_check";

private:
    Result<void> startAdminServices();
    Result<void> startRouting();
    Result<void> startAdminListener();
    Result<void> startProxy();
    void reloadRouting();
    void checkReadiness();
    bool followMasterKey();
    Result<void> sealingKeyIsCurrent();
    bool databaseAnswers();
    void purgeAudit();
    void expireAbandonedAuthorizations();
    void release();

    ConfigPtr m_config;
    PasswordHasher m_passwords;
    KeyClock m_keyClock;
    BodyBudget m_bodies;
    AccessLog m_accessLog;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<SecretBox> m_secrets;
    std::unique_ptr<TraceWriter> m_traces;
    std::unique_ptr<AuditLog> m_audit;
    QTimer m_auditPurge; // hourly, when audit.retention_days is set
    // Serving and the database answering, checked every second: what /readyz says on both ports.
    std::atomic<bool> m_ready{false};
    QTimer m_readinessCheck;
    std::unique_ptr<ProxyMetrics> m_proxyMetrics;
    QString m_masterKeyCheck;  // the check value of the key held, to notice a rotation
    QString m_unfollowedCheck; // a rotation's check value this instance could not follow (logged once)
    std::unique_ptr<ServiceContext> m_serviceContext;
    std::unique_ptr<AuthService> m_auth;
    std::unique_ptr<ProviderTypeService> m_providerTypes;
    std::unique_ptr<ProviderKeyService> m_providerKeys;
    std::unique_ptr<GatewayKeyService> m_gatewayKeys;
    std::unique_ptr<PricingService> m_pricing;
    std::unique_ptr<UserService> m_users;
    std::unique_ptr<TraceService> m_traceService;
    std::unique_ptr<StatsService> m_stats;
    std::unique_ptr<AuditService> m_auditService;
    std::unique_ptr<OAuthConfigService> m_oauthConfigs;
    std::unique_ptr<OAuthSessionService> m_oauthSessions;
    std::unique_ptr<AdminServer> m_admin;
    std::unique_ptr<RoutingStore> m_routing;
    std::unique_ptr<RedisConnection> m_redis; // with redis.url: shared with the other instances
    std::unique_ptr<ChangeBus> m_changeBus;
    std::unique_ptr<ClusterSync> m_cluster;
    std::unique_ptr<HttpServer> m_proxy;
    std::unique_ptr<HealthService> m_health;
    std::unique_ptr<KeyHealthRecorder> m_healthRecorder;
    std::unique_ptr<HealthProber> m_prober;
    std::unique_ptr<OAuthRefresher> m_oauthRefresher;
    QByteArray m_adminForwardToken;    // random per process: /api requests forwarded from the proxy port carry it
    OpenFileLimit::Limits m_openFiles; // as raised at start
    QDateTime m_startedAt;
    QString m_generatedAdminPassword;
    QString m_masterKeyDescription;
    bool m_running = false;
};
