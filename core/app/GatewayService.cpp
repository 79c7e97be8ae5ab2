#include "app/GatewayService.h"

#include "admin/AdminServer.h"
#include "app/AdminAccount.h"
#include "app/ClusterSync.h"
#include "app/MasterKeyRotation.h"
#include "app/MetricsReport.h"
#include "app/RunningInstance.h"
#include "cache/ChangeBus.h"
#include "cache/RedisConnection.h"
#include "cache/RedisUrl.h"
#include "cache/SharedLimits.h"
#include "common/ApiErrors.h"
#include "common/Durations.h"
#include "common/Logging.h"
#include "crypto/MasterKey.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "health/HealthProber.h"
#include "health/KeyHealthRecorder.h"
#include "http/HttpServer.h"
#include "proxy/GatewayHandler.h"
#include "proxy/OAuthRefresher.h"
#include "proxy/ProxyMetrics.h"
#include "proxy/RoutingStore.h"
#include "service/AuditService.h"
#include "service/AuthService.h"
#include "service/GatewayKeyService.h"
#include "service/HealthService.h"
#include "service/OAuthConfigService.h"
#include "service/OAuthSessionService.h"
#include "service/PricingService.h"
#include "service/ProviderKeyService.h"
#include "service/ProviderTypeService.h"
#include "service/StatsService.h"
#include "service/TraceService.h"
#include "service/UserService.h"
#include "storage/AuditLog.h"
#include "storage/ChangeCounter.h"
#include "storage/Database.h"
#include "storage/Migrator.h"
#include "storage/SettingsStore.h"
#include "storage/TraceWriter.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryFile>
#include <QTimer>

#include <unistd.h>

namespace {

constexpr int kAuditPurgeIntervalMs = 3600 * 1000;
// When this process started (static initialization runs before main): what process_start_time_seconds reports.
const qint64 kProcessStartMs = QDateTime::currentMSecsSinceEpoch();
// How long a request waits for Redis to decide its shared limits before this instance decides alone. An EVAL on a
// healthy Redis answers in well under a millisecond; a Redis that takes this long is treated as away.
constexpr int kSharedLimitsTimeoutMs = 50;

} // namespace

GatewayService::GatewayService(ConfigPtr config, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_passwords(m_config->passwordHashLogN),
      m_bodies(m_config->limits.maxBodyBytesInFlight), m_accessLog(m_config->accessLog, m_config->accessLogSample)
{
    connect(&m_readinessCheck, &QTimer::timeout, this, &GatewayService::checkReadiness);
}

GatewayService::~GatewayService()
{
    stop();
}

Result<void> GatewayService::start()
{
    if (m_running)
        return {};
    // Each step needs what the ones before it made; the admin listener is up before the proxy, which forwards /api
    // to its port.
    for (auto step : {&GatewayService::prepareDataDir, &GatewayService::openDatabase, &GatewayService::loadMasterKey,
                      &GatewayService::startAdminServices, &GatewayService::startRouting,
                      &GatewayService::startAdminListener, &GatewayService::startProxy}) {
        if (auto done = (this->*step)(); !done) {
            release();
            return done;
        }
    }
    // Last, once nothing else can fail: a failed first start must not leave an admin whose password no one saw.
    auto firstAdmin = AdminAccount::createIfNoUsers(*m_database, m_passwords, m_config->initialAdminPassword);
    if (!firstAdmin) {
        release();
        return firstAdmin.error();
    }
    m_generatedAdminPassword = *firstAdmin;

    m_startedAt = QDateTime::currentDateTimeUtc();
    m_running = true;
    checkReadiness();
    m_readinessCheck.start(1000);
    RunningInstance::write(*m_config);
    LogLine(lcApp(), QtInfoMsg, u"started").field("proxy_port", int(proxyPort())).field("admin_port", int(adminPort()));
    emit started();
    return {};
}

void GatewayService::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_ready.store(false, std::memory_order_relaxed); // balancers stop sending before the drain
    m_readinessCheck.stop();
    // In-flight requests finish (bounded by the drain time) before their traces are flushed.
    QEventLoop drained;
    connect(m_proxy.get(), &HttpServer::stopped, &drained, &QEventLoop::quit);
    QTimer::singleShot(m_config->drainTimeoutMs + 1000, &drained, &QEventLoop::quit);
    m_proxy->shutdown(m_config->drainTimeoutMs);
    drained.exec();
    m_prober.reset();
    m_healthRecorder->sweep(); // the last cooldowns and invalid marks, for the next start
    m_admin->close();
    m_traces->stop(); // writes every queued trace
    release();
    RunningInstance::remove(*m_config);
    qCInfo(lcApp) << "stopped";
    emit stopped();
}

Result<ConfigLoader::Changes> GatewayService::reconfigure(Config next)
{
    const ConfigLoader::Changes changes =
        ConfigLoader::changes(ConfigLoader::fingerprint(*m_config), ConfigLoader::fingerprint(next));
    auto config =
        std::make_shared<const Config>(ConfigLoader::keepRunning(*m_config, std::move(next), changes.restart));
    if (m_running) {
        if (auto applied = m_proxy->reconfigure(config); !applied)
            return applied.error();
        m_traces->setRetentionDays(config->traceRetentionDays);
        m_prober->setInterval(config->healthProbeIntervalMs);
        if (config->limits.maxConnections != m_config->limits.maxConnections)
            OpenFileLimit::warnIfBelowNeeds(m_openFiles, config->limits.maxConnections);
    }
    m_config = std::move(config);
    Logging::install(m_config->logLevel, m_config->logFormat);
    m_accessLog.configure(m_config->accessLog, m_config->accessLogSample);
    m_bodies.setLimit(m_config->limits.maxBodyBytesInFlight);
    if (m_running)
        RunningInstance::write(*m_config);
    LogLine(lcApp(), QtInfoMsg, u"configuration reloaded")
        .field("applied", changes.live.join(u','))
        .field("needs_restart", changes.restart.join(u','));
    return changes;
}

quint16 GatewayService::proxyPort() const
{
    return m_proxy ? m_proxy->serverPort() : 0;
}

quint16 GatewayService::adminPort() const
{
    return m_admin ? m_admin->serverPort() : 0;
}

QJsonObject GatewayService::systemInfo() const
{
    const qint64 uptime = m_running ? m_startedAt.secsTo(QDateTime::currentDateTimeUtc()) : 0;
    return QJsonObject{
        {QStringLiteral("name"), QStringLiteral("gatehouse")},
        {QStringLiteral("version"), QStringLiteral(GATEHOUSE_VERSION)},
        {QStringLiteral("startedAt"), m_startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("uptimeSeconds"), uptime},
        {QStringLiteral("database"),
         QJsonObject{{QStringLiteral("kind"),
                      m_config->usesPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite")},
                     {QStringLiteral("location"), m_database ? m_database->describe() : QString()}}},
        {QStringLiteral("listeners"),
         QJsonObject{
             {QStringLiteral("proxy"), QJsonObject{{QStringLiteral("address"), m_config->proxy.address.toString()},
                                                   {QStringLiteral("port"), proxyPort()},
                                                   {QStringLiteral("tls"), !m_config->tlsCertificateFile.isEmpty()}}},
             {QStringLiteral("admin"), QJsonObject{{QStringLiteral("address"), m_config->admin.address.toString()},
                                                   {QStringLiteral("port"), adminPort()}}}}},
        {QStringLiteral("workers"), m_config->effectiveWorkers()},
        {QStringLiteral("redis"), redisState()},
        {QStringLiteral("traces"),
         QJsonObject{{QStringLiteral("written"), qint64(m_traces ? m_traces->written() : 0)},
                     {QStringLiteral("failed"), qint64(m_traces ? m_traces->failed() : 0)},
                     {QStringLiteral("dropped"), qint64(m_traces ? m_traces->dropped() : 0)}}},
        {QStringLiteral("settings"), serverSettings()},
    };
}

QJsonObject GatewayService::redisState() const
{
    return QJsonObject{{QStringLiteral("configured"), m_redis != nullptr},
                       {QStringLiteral("connected"), m_redis && m_redis->isConnected()}};
}

// What the operator chose (configuration file, environment, command line) that an admin may want to read; the
// admin API strips it for callers without server:manage.
QJsonObject GatewayService::serverSettings() const
{
    const HttpLimits& limits = m_config->limits;
    return QJsonObject{
        {QStringLiteral("traceRetentionDays"), m_config->traceRetentionDays},
        {QStringLiteral("auditRetentionDays"), m_config->auditRetentionDays},
        {QStringLiteral("healthProbeIntervalSeconds"), m_config->healthProbeIntervalMs / 1000},
        {QStringLiteral("logLevel"), m_config->logLevel},
        {QStringLiteral("limits"),
         QJsonObject{{QStringLiteral("maxBodyBytes"), limits.maxBodyBytes},
                     {QStringLiteral("maxConnections"), limits.maxConnections},
                     {QStringLiteral("maxConnectionsPerAddress"), limits.maxConnectionsPerAddress},
                     {QStringLiteral("idleTimeoutSeconds"), limits.idleTimeoutMs / 1000},
                     {QStringLiteral("upstreamConnectTimeoutSeconds"), limits.upstreamConnectTimeoutMs / 1000},
                     {QStringLiteral("upstreamResponseTimeoutSeconds"), limits.upstreamResponseTimeoutMs / 1000},
                     {QStringLiteral("upstreamStallTimeoutSeconds"), limits.upstreamStallTimeoutMs / 1000}}},
    };
}

Result<void> GatewayService::prepareDataDir()
{
    const QString path = m_config->dataDir;
    const bool existed = QFileInfo::exists(path);
    if (!QDir().mkpath(path))
        return Error::make(QStringLiteral("data_dir"), QStringLiteral("data directory %1 cannot be created").arg(path));
    // It holds the database and the master key: its owner's alone, whatever the umask.
    if (!existed)
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QTemporaryFile probe(QDir(path).filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open())
        return Error::make(QStringLiteral("data_dir"),
                           QStringLiteral("data directory %1 is not writable").arg(QFileInfo(path).absoluteFilePath()));
    return {};
}

Result<void> GatewayService::openDatabase()
{
    m_database = std::make_unique<Database>(*m_config);
    if (auto opened = m_database->open(); !opened)
        return opened;
    auto version = Migrator(*m_database).migrate();
    if (!version)
        return version.error();
    LogLine(lcStorage(), QtInfoMsg, u"database")
        .field("database", m_database->describe())
        .field("schema_version", *version);
    return {};
}

// The key that encrypts every stored secret. A check value in the settings table makes a wrong key fail here,
// clearly, instead of later as undecryptable secrets; and once it exists no new key is ever made silently.
MasterKeyOptions GatewayService::masterKeyOptions(const Config& config)
{
    MasterKeyOptions options;
    options.environmentValue = config.masterKey;
    options.credentialsDirectory = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
    options.keyFilePath = config.masterKeyFile.isEmpty()
                              ? QDir(config.dataDir).absoluteFilePath(QStringLiteral("master.key"))
                              : config.masterKeyFile;
    options.allowKeychain = config.allowKeychain;
    return options;
}

Result<void> GatewayService::loadMasterKey()
{
    const QString kCheckSetting = QLatin1String(kMasterKeyCheckSetting);
    SettingsStore settings(*m_database);
    auto check = settings.value(kCheckSetting);
    if (!check)
        return check.error();

    MasterKeyOptions options = masterKeyOptions(*m_config);
    options.createIfMissing = !check->has_value();
    if (check->has_value())
        MasterKeyRotation::finishInterrupted(*m_database, options.keyFilePath); // a rotation cut short
    auto loaded = MasterKey::load(options);
    if (!loaded)
        return Error::make(loaded.error().code, QStringLiteral("master key: %1").arg(loaded.error().message));

    if (check->has_value()) {
        if (auto verified = MasterKey::verifyCheckValue(loaded->key, check->value().toLatin1()); !verified)
            return Error::make(verified.error().code,
                               QStringLiteral("master key from %1 does not match the one this database was "
                                              "encrypted with (fingerprint %2); secrets cannot be read")
                                   .arg(loaded->describe(), MasterKey::fingerprint(loaded->key)));
    } else if (auto stored = settings.setValue(kCheckSetting, QString::fromLatin1(MasterKey::checkValue(loaded->key)));
               !stored) {
        return stored;
    }
    LogLine(lcCrypto(), QtInfoMsg, u"master key loaded")
        .field("source", loaded->describe())
        .field("fingerprint", MasterKey::fingerprint(loaded->key));
    m_masterKeyDescription = loaded->describe();
    m_masterKeyCheck = check->has_value() ? check->value() : settings.value(kCheckSetting)->value_or(QString());
    m_secrets = std::make_unique<SecretBox>(std::move(loaded->key));
    return {};
}

// On PostgreSQL the check row is locked for share: a rotation, which locks it for update first, has either committed
// (and is seen here) or waits until this change committed (and seals its secret again). SQLite serializes writers.
Result<void> GatewayService::sealingKeyIsCurrent()
{
    const bool postgres = m_database->kind() == Database::Kind::Postgresql;
    auto check = m_database->exec(QStringLiteral("SELECT value FROM settings WHERE key = ?") +
                                      (postgres ? QStringLiteral(" FOR SHARE") : QString()),
                                  {QLatin1String(kMasterKeyCheckSetting)});
    if (!check)
        return check.error();
    if (!check->next() || check->value(0).toString() == m_masterKeyCheck || followMasterKey())
        return {};
    return ApiErrors::conflict(QStringLiteral("the master key was rotated and this instance cannot read the new one "
                                              "yet: restart it with the new key, or make this change through another "
                                              "instance"));
}

// A rotation (app/MasterKeyRotation) changed the check value: the key that opens the database now is read from the
// same source again. Returns false when this instance cannot follow (its key comes from the environment: the
// operator restarts it with the new one); it then keeps serving with the secrets it holds.
bool GatewayService::followMasterKey()
{
    auto check = SettingsStore(*m_database).value(QLatin1String(kMasterKeyCheckSetting));
    if (!check || !check->has_value() || check->value() == m_masterKeyCheck)
        return true;
    MasterKeyOptions options = masterKeyOptions(*m_config);
    options.createIfMissing = false;
    auto loaded = MasterKey::load(options);
    if (!loaded || !MasterKey::verifyCheckValue(loaded->key, check->value().toLatin1())) {
        if (std::exchange(m_unfollowedCheck, check->value()) == check->value())
            return false; // said once
        LogLine(lcCrypto(), QtCriticalMsg,
                u"the master key was rotated; this instance cannot read the new one: "
                u"restart it with the new key (it serves on with the secrets it holds)")
            .field("source", loaded ? loaded->describe() : loaded.error().message);
        return false;
    }
    LogLine(lcCrypto(), QtWarningMsg, u"master key rotated").field("fingerprint", MasterKey::fingerprint(loaded->key));
    m_secrets->replaceKey(std::move(loaded->key));
    m_masterKeyCheck = check->value();
    return true;
}

Result<void> GatewayService::startAdminServices()
{
    m_audit = std::make_unique<AuditLog>(*m_database);
    m_serviceContext.reset(new ServiceContext{*m_database, *m_secrets, m_passwords, *m_audit,
                                              [this] { emit routingChanged(); },
                                              [this] { return sealingKeyIsCurrent(); }});
    m_auth = std::make_unique<AuthService>(*m_serviceContext);
    m_providerTypes = std::make_unique<ProviderTypeService>(*m_serviceContext);
    m_providerKeys = std::make_unique<ProviderKeyService>(*m_serviceContext);
    m_gatewayKeys = std::make_unique<GatewayKeyService>(*m_serviceContext);
    m_pricing = std::make_unique<PricingService>(*m_serviceContext);
    m_users = std::make_unique<UserService>(*m_serviceContext, *m_auth);
    m_traceService = std::make_unique<TraceService>(*m_serviceContext);
    m_stats = std::make_unique<StatsService>(*m_serviceContext);
    m_auditService = std::make_unique<AuditService>(*m_serviceContext);
    m_oauthConfigs = std::make_unique<OAuthConfigService>(*m_serviceContext);
    purgeAudit();
    m_auditPurge.callOnTimeout(this, &GatewayService::purgeAudit, Qt::UniqueConnection);
    m_auditPurge.callOnTimeout(this, &GatewayService::expireAbandonedAuthorizations, Qt::UniqueConnection);
    m_auditPurge.start(kAuditPurgeIntervalMs);
    return m_auth->initialize();
}

void GatewayService::purgeAudit()
{
    if (m_config->auditRetentionDays <= 0)
        return;
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - qint64(m_config->auditRetentionDays) * kDayMs;
    if (auto purged = m_audit->purgeOlderThan(cutoff); !purged)
        qCWarning(lcAdmin).noquote() << "old audit entries not purged:" << purged.error().message;
    else if (*purged > 0)
        qCInfo(lcAdmin).noquote() << "purged" << *purged << "audit entries older than" << m_config->auditRetentionDays
                                  << "days";
}

void GatewayService::expireAbandonedAuthorizations()
{
    if (!m_oauthSessions)
        return;
    if (auto expired = m_oauthSessions->expireAbandoned(); !expired)
        qCWarning(lcOAuth).noquote() << "abandoned OAuth authorizations not expired:" << expired.error().message;
    else if (*expired > 0)
        qCInfo(lcOAuth).noquote() << "expired" << *expired << "OAuth authorizations left unfinished";
}

// Destroys what start() built, in reverse order.
void GatewayService::release()
{
    m_proxy.reset();
    m_proxyMetrics.reset();
    m_admin.reset();
    m_prober.reset();
    m_oauthSessions.reset();
    m_oauthRefresher.reset();
    m_healthRecorder.reset();
    m_health.reset();
    m_cluster.reset();
    m_changeBus.reset();
    m_redis.reset();
    m_routing.reset();
    m_traces.reset();
    m_auditPurge.stop();
    m_oauthConfigs.reset();
    m_auditService.reset();
    m_stats.reset();
    m_traceService.reset();
    m_users.reset();
    m_pricing.reset();
    m_gatewayKeys.reset();
    m_providerKeys.reset();
    m_providerTypes.reset();
    m_auth.reset();
    m_serviceContext.reset();
    m_audit.reset();
    m_secrets.reset();
    m_database.reset();
}

// The routing snapshot and the health of its keys: what the proxy routes by and the health API reads.
Result<void> GatewayService::startRouting()
{
    m_traces = std::make_unique<TraceWriter>(
        *m_database, TraceWriter::Options{.flushIntervalMs = 100, .retentionDays = m_config->traceRetentionDays});
    m_traces->start();
    HealthPolicy policy = m_config->healthPolicy;
    policy.probesRun = m_config->healthProbeIntervalMs > 0;
    m_routing = std::make_unique<RoutingStore>(*m_database, *m_secrets, m_keyClock, policy);
    if (!m_config->redisUrl.isEmpty()) { // checked by ConfigLoader: it parses
        m_redis = std::make_unique<RedisConnection>(*RedisUrl::parse(m_config->redisUrl));
        m_redis->open();
        m_changeBus = std::make_unique<ChangeBus>(m_redis.get());
    }
    // The counts are read before the snapshot is built: a change meanwhile is seen at the next look.
    m_cluster = std::make_unique<ClusterSync>(*m_database, m_changeBus.get());
    m_cluster->watch(ChangeCounter::kAdmin, [this] { reloadRouting(); });
    m_cluster->watch(ChangeCounter::kHealth, [this] {
        const auto ownWrite = [this](qint64 keyId, const PersistedKeyHealth& row) {
            return m_healthRecorder && m_healthRecorder->isOwnWrite(keyId, row);
        };
        if (auto adopted = m_routing->adoptHealth(ownWrite); !adopted)
            qCWarning(lcProxy).noquote() << "health of other instances not adopted:" << adopted.error().message;
    });
    if (auto loaded = m_routing->reload(); !loaded)
        return loaded;
    m_cluster->start();
    m_healthRecorder = std::make_unique<KeyHealthRecorder>(*m_database, m_routing->keyStates(), m_keyClock);
    connect(m_healthRecorder.get(), &KeyHealthRecorder::saved, m_cluster.get(),
            [cluster = m_cluster.get()] { cluster->announce(ChangeCounter::kHealth); });
    m_healthRecorder->start();
    m_prober = std::make_unique<HealthProber>(
        *m_database, m_keyClock, [routing = m_routing.get()] { return routing->probeTargets(); },
        m_config->healthProbeIntervalMs, m_config->upstreamCaFile);
    m_prober->start();
    m_health = std::make_unique<HealthService>(*m_serviceContext, m_routing->keyStates(), m_keyClock, *m_prober);
    m_oauthRefresher = std::make_unique<OAuthRefresher>(
        *m_database, *m_secrets, *m_routing, m_keyClock, m_config->upstreamCaFile, [this] { emit routingChanged(); },
        [this] { return sealingKeyIsCurrent(); });
    connect(m_prober.get(), &HealthProber::tokenRefused, m_oauthRefresher.get(), &OAuthRefresher::requestRefresh);
    m_oauthRefresher->schedule();
    m_oauthSessions = std::make_unique<OAuthSessionService>(
        *m_serviceContext, m_config->upstreamCaFile,
        [refresher = m_oauthRefresher.get()](qint64 sessionId, qint64 keyId, std::function<void(bool)> done) {
            refresher->refreshNow(sessionId, keyId, std::move(done));
        });
    expireAbandonedAuthorizations(); // and hourly after, with the audit purge
    connect(this, &GatewayService::routingChanged, m_cluster.get(),
            [cluster = m_cluster.get()] { cluster->changedHere(ChangeCounter::kAdmin); });
    return {};
}

Result<void> GatewayService::startAdminListener()
{
    m_adminForwardToken = Random::token(24).toLatin1();
    m_admin = std::make_unique<AdminServer>(adminServices());
    return m_admin->listen(m_config->admin.address, m_config->admin.port);
}

AdminServices GatewayService::adminServices()
{
    return {*m_auth,
            *m_providerTypes,
            *m_providerKeys,
            *m_gatewayKeys,
            *m_pricing,
            *m_users,
            *m_auditService,
            *m_traceService,
            *m_stats,
            *m_health,
            *m_oauthConfigs,
            *m_oauthSessions,
            [this] { return systemInfo(); },
            [this] { return redisState(); },
            m_adminForwardToken,
            [this] { return isReady(); },
            [this] { return metricsText(); },
            m_config->metricsToken.toUtf8()};
}

Result<void> GatewayService::startProxy()
{
    m_openFiles = OpenFileLimit::raise();
    if (m_openFiles.now > m_openFiles.before)
        LogLine(lcApp(), QtDebugMsg, u"open-file limit raised")
            .field("from", qint64(m_openFiles.before))
            .field("to", qint64(m_openFiles.now));
    OpenFileLimit::warnIfBelowNeeds(m_openFiles, m_config->limits.maxConnections);
    m_proxyMetrics = std::make_unique<ProxyMetrics>();
    m_proxy = std::make_unique<HttpServer>(
        m_config,
        [config = m_config, routing = m_routing.get(), clock = &m_keyClock, traces = m_traces.get(), bodies = &m_bodies,
         access = &m_accessLog, adminPort = adminPort(), token = m_adminForwardToken, metrics = m_proxyMetrics.get(),
         ready = &m_ready, oauth = m_oauthRefresher.get()](HttpWorkerContext& worker) {
            // Each worker counts shared limits over a connection of its own, on its own thread.
            std::unique_ptr<SharedLimits> sharedLimits;
            if (!config->redisUrl.isEmpty())
                sharedLimits = std::make_unique<SharedLimits>(
                    *RedisUrl::parse(config->redisUrl),
                    RedisConnection::Options{.commandTimeoutMs = kSharedLimitsTimeoutMs, .reportsOutages = false});
            ProxyContext context{worker.config, *routing, *clock,    *traces, worker.upstreamPool,
                                 *bodies,       *access,  adminPort, token};
            context.metrics = &metrics->addShard();
            context.ready = ready;
            context.oauth = oauth;
            return std::make_unique<GatewayHandler>(std::move(context), std::move(sharedLimits));
        });
    return m_proxy->listen();
}

void GatewayService::checkReadiness()
{
    if (m_running)
        followMasterKey(); // also when no admin change comes after a rotation
    m_ready.store(m_running && databaseAnswers(), std::memory_order_relaxed);
}

// A read of the database itself (on SQLite "SELECT 1" would not touch the file).
bool GatewayService::databaseAnswers()
{
    return m_database && m_database->exec(QStringLiteral("SELECT MAX(version) FROM schema_version")).ok();
}

QByteArray GatewayService::metricsText()
{
    MetricsReport report;
    if (m_proxyMetrics)
        report.proxy = m_proxyMetrics->totals();
    if (m_proxy)
        report.engine = m_proxy->stats();
    if (m_routing) {
        const KeyTime now = m_keyClock.now();
        const auto served = m_routing->current()->providerKeyTypes; // not the deleted or deactivated ones
        for (auto it = m_routing->keyStates().constBegin(); it != m_routing->keyStates().constEnd(); ++it) {
            if (served.contains(it.key()))
                report.keys.append({it.key(), it.value()->snapshot(now)});
        }
        std::sort(report.keys.begin(), report.keys.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    if (m_traces) {
        report.tracesQueued = m_traces->queued();
        report.tracesWritten = m_traces->written();
        report.tracesFailed = m_traces->failed();
        report.tracesDropped = m_traces->dropped();
        report.traceBatchesRefused = m_traces->refusedBatches();
        report.traceBatches = m_traces->batchSeconds();
    }
    report.redisConfigured = m_redis != nullptr;
    report.redisUp = m_redis && m_redis->isConnected();
    report.databaseUp = databaseAnswers();
    report.startTimeSeconds = kProcessStartMs / 1000;
    QFile statm(QStringLiteral("/proc/self/statm")); // pages: total, resident, ...
    if (statm.open(QIODevice::ReadOnly))
        report.residentBytes = statm.readAll().split(' ').value(1).toLongLong() * ::sysconf(_SC_PAGESIZE);
    return report.text();
}

void GatewayService::reloadRouting()
{
    if (!m_routing)
        return;
    followMasterKey(); // when it cannot, the keys whose secrets it cannot open keep the ones it holds
    if (auto reloaded = m_routing->reload(); !reloaded)
        qCCritical(lcProxy).noquote() << "routing not updated:" << reloaded.error().message;
    if (m_oauthRefresher)
        m_oauthRefresher->schedule(); // accounts connected, refreshed or removed
}
