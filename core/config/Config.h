#pragma once

#include "common/Logging.h"
#include "config/HealthPolicy.h"
#include "crypto/PasswordHasher.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

// Limits the proxy listener enforces on every connection and request.
struct HttpLimits
{
    int maxRequestLineBytes = 8 * 1024;              // 414 / 431 above this
    int maxHeaderBytes = 64 * 1024;                  // request line + all headers; 431 above this
    int maxHeaderCount = 100;                        // 431 above this
    qint64 maxBodyBytes = 32 * 1024 * 1024;          // 413 above this
    int headerTimeoutMs = 10'000;                    // whole head must arrive within this (slowloris): 408
    int bodyTimeoutMs = 60'000;                      // no body bytes for this long: 408
    int maxBodyTimeMs = 300'000;                     // the whole body within this, however steadily it trickles: 408
    qint64 maxBodyBytesInFlight = qint64(512) << 20; // bodies held by all requests together; beyond, 503
    int idleTimeoutMs = 60'000;                      // keep-alive connection with no request
    int maxConnections = 10'000;                     // per listener; beyond, new connections are closed at once
    int maxConnectionsPerAddress = 256;              // per client address (IPv6: /64); beyond, closed at once
    int upstreamConnectTimeoutMs = 10'000;
    int upstreamResponseTimeoutMs = 300'000;   // until the response head arrives
    int upstreamStallTimeoutMs = 300'000;      // longest silence of a provider between response bytes
    int upstreamIdleTimeoutMs = 60'000;        // pooled upstream connection kept this long unused
    qint64 maxPendingWriteBytes = 1024 * 1024; // backpressure bound per direction
};

struct Listener
{
    QHostAddress address;
    quint16 port = 0;
};

// The whole configuration, immutable once built. Shared as a ConfigPtr snapshot; a reload builds a new one.
struct Config
{
    Listener proxy{QHostAddress(QHostAddress::Any), 8080};
    Listener admin{QHostAddress(QHostAddress::LocalHost), 9090};
    QString tlsCertificateFile; // PEM; both set = the proxy listener speaks TLS
    QString tlsPrivateKeyFile;
    QString upstreamCaFile; // extra CA certificates trusted for upstream TLS, besides the system store
    int workers = 0;        // proxy worker threads; 0 = number of cores

    // /api on the proxy port as well as on the admin listener, from these subnets only (empty: from anywhere).
    bool adminOnProxyPort = true;
    QList<QPair<QHostAddress, int>> adminAllowedSubnets;
    // Reverse proxies in front of the proxy port: from these peers, the client is the last X-Forwarded-For entry that
    // is not itself one of them (limits, lockouts, allowlists and traces see the real client).
    QList<QPair<QHostAddress, int>> trustedProxies;

    QString dataDir = QStringLiteral("./data");
    QString databaseUrl;        // empty = SQLite file gatehouse.db in dataDir; or postgresql://user:pass@host:port/db
    QString redisUrl;           // empty = no Redis (single instance); redis://host:port/db
    QString masterKeyFile;      // empty = <dataDir>/master.key when no GATEHOUSE_MASTER_KEY and no keychain
    bool allowKeychain = false; // set by the desktop front end: keep the master key in the OS keychain
    QString metricsToken;       // Bearer token for GET /metrics; empty = loopback clients only

    QString logLevel = QStringLiteral("info");
    Logging::Format logFormat = Logging::Format::Text;
    // The access log (category gatehouse.access), one line per proxied request: every request, only the failed
    // ones, or none; of the successful ones, one in accessLogSample.
    enum class AccessLog { All, Errors, Off };
    AccessLog accessLog = AccessLog::All;
    int accessLogSample = 1;

    // Secrets, from the environment only (never files or command lines, which other users can read).
    QString initialAdminPassword; // password of the first admin; generated and printed once when empty
    QString masterKey;            // 32 bytes, hex or base64; else key file, else OS keychain

    int drainTimeoutMs = 10'000; // graceful stop: in-flight requests get this long to finish
    int traceRetentionDays = 30;
    int auditRetentionDays = 365;

    // Active health probes: ejected and invalid keys every interval, healthy keys every 10 intervals; 0 = off.
    int healthProbeIntervalMs = 30'000;
    // Passive health thresholds; not a setting of its own, set by embedders and tests.
    HealthPolicy healthPolicy;

    HttpLimits limits;

    // scrypt cost of the password hashes made from now on (N = 2^this). Not a setting of its own: tests lower it.
    int passwordHashLogN = PasswordHasher::kDefaultLogN;

    QString sqlitePath() const; // the SQLite file when databaseUrl is empty
    bool usesPostgres() const { return databaseUrl.startsWith(QLatin1String("postgres")); }
    bool adminAllowedFrom(const QHostAddress& address) const;
    bool isTrustedProxy(const QHostAddress& address) const;
    int effectiveWorkers() const;
};

using ConfigPtr = std::shared_ptr<const Config>;
