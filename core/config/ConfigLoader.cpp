#include "config/ConfigLoader.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>

#include <algorithm>
#include <functional>
#include <map>

namespace {

// Returns an error text, or an empty string when the value was applied.
using Apply = std::function<QString(Config&, const QString&)>;
// The value a Config holds, as text that Apply reads back to the same value.
using Show = std::function<QString(const Config&)>;

struct Field
{
    Apply apply;
    Show show;
};

// Whether a running gateway applies a new value on reload, or only on its next start (what it bound, opened or
// started threads for).
enum class Reload { Live, Restart };
enum class Source { Anywhere, EnvironmentOnly };

struct Setting
{
    QString key;    // file key, e.g. "proxy.port"; environment variable GATEHOUSE_PROXY_PORT
    QString option; // command-line option without dashes, empty when none
    QString valueName;
    QString description;
    Field field;
    Reload reload = Reload::Live;
    Source source = Source::Anywhere;

    QString environmentName() const
    {
        return QStringLiteral("GATEHOUSE_") + QString(key).replace(QLatin1Char('.'), QLatin1Char('_')).toUpper();
    }
};

template <typename Part> Part& partOf(Config& config);
template <> Config& partOf<Config>(Config& config)
{
    return config;
}
template <> HttpLimits& partOf<HttpLimits>(Config& config)
{
    return config.limits;
}
template <> HealthPolicy& partOf<HealthPolicy>(Config& config)
{
    return config.healthPolicy;
}
template <typename Part> const Part& partOf(const Config& config)
{
    return partOf<Part>(const_cast<Config&>(config));
}

enum class Unit { Count, Bytes };

// A whole number in [minimum, maximum]; byte sizes may carry a binary suffix K, M or G ("32M" = 32 MiB).
template <typename Part, typename T>
Field number(T Part::*field, qint64 minimum, qint64 maximum, Unit unit = Unit::Count)
{
    return {[=](Config& config, const QString& text) {
                QString digits = text.trimmed().toUpper();
                qint64 factor = 1;
                if (unit == Unit::Bytes && !digits.isEmpty()) {
                    const int shift = QStringLiteral("KMG").indexOf(digits.back()) + 1;
                    if (shift > 0) {
                        digits.chop(1);
                        factor = qint64(1) << (10 * shift);
                    }
                }
                bool ok = false;
                const qint64 count = digits.toLongLong(&ok);
                ok = ok && count <= maximum / factor;
                const qint64 value = ok ? count * factor : 0;
                if (!ok || value < minimum || value > maximum)
                    return QStringLiteral("'%1' is not a whole number from %2 to %3%4")
                        .arg(text)
                        .arg(minimum)
                        .arg(maximum)
                        .arg(unit == Unit::Bytes ? QStringLiteral(" (suffixes K, M, G allowed)") : QString());
                partOf<Part>(config).*field = T(value);
                return QString();
            },
            [=](const Config& config) { return QString::number(partOf<Part>(config).*field); }};
}

Field port(quint16 Listener::*field, Listener Config::*listener)
{
    return {[=](Config& config, const QString& text) {
                bool ok = false;
                const int value = text.trimmed().toInt(&ok);
                if (!ok || value < 0 || value > 65535)
                    return QStringLiteral("'%1' is not a port number (0-65535, 0 picks a free one)").arg(text);
                (config.*listener).*field = quint16(value);
                return QString();
            },
            [=](const Config& config) { return QString::number((config.*listener).*field); }};
}

Field address(Listener Config::*listener)
{
    return {[=](Config& config, const QString& text) {
                const QString trimmed = text.trimmed();
                QHostAddress parsed;
                if (trimmed == QLatin1String("localhost"))
                    parsed = QHostAddress(QHostAddress::LocalHost);
                else if (trimmed == QLatin1String("*") || trimmed.isEmpty())
                    parsed = QHostAddress(QHostAddress::Any);
                else if (!parsed.setAddress(trimmed))
                    return QStringLiteral("'%1' is not an IP address").arg(text);
                (config.*listener).address = parsed;
                return QString();
            },
            [=](const Config& config) {
                const QHostAddress& address = (config.*listener).address;
                return address == QHostAddress(QHostAddress::Any) ? QStringLiteral("*") : address.toString();
            }};
}

Field boolean(bool Config::*field)
{
    return {[=](Config& config, const QString& value) {
                const QString lower = value.trimmed().toLower();
                if (lower != QLatin1String("true") && lower != QLatin1String("false"))
                    return QStringLiteral("'%1' is not true or false").arg(value);
                config.*field = lower == QLatin1String("true");
                return QString();
            },
            [=](const Config& config) { return QString::fromLatin1(config.*field ? "true" : "false"); }};
}

// "10.0.0.0/8, 192.0.2.7, 2001:db8::/32": addresses without a prefix length are one host.
Field subnets(QList<QPair<QHostAddress, int>> Config::*field)
{
    return {[=](Config& config, const QString& value) {
                QList<QPair<QHostAddress, int>> parsed;
                for (const QString& item : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                    const QString trimmed = item.trimmed();
                    QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(trimmed);
                    if (!trimmed.contains(QLatin1Char('/'))) {
                        const QHostAddress host(trimmed);
                        subnet = {host, host.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32};
                    }
                    if (subnet.first.isNull())
                        return QStringLiteral("'%1' is not an IP address or subnet (e.g. 10.0.0.0/8)").arg(trimmed);
                    parsed.append(subnet);
                }
                config.*field = parsed;
                return QString();
            },
            [=](const Config& config) {
                QStringList shown;
                for (const auto& [address, length] : config.*field)
                    shown << QStringLiteral("%1/%2").arg(address.toString()).arg(length);
                return shown.join(QStringLiteral(", "));
            }};
}

Field text(QString Config::*field)
{
    return {[=](Config& config, const QString& value) {
                config.*field = value.trimmed();
                return QString();
            },
            [=](const Config& config) { return config.*field; }};
}

Field oneOf(QString Config::*field, QStringList allowed)
{
    return {[=](Config& config, const QString& value) {
                const QString lower = value.trimmed().toLower();
                if (!allowed.contains(lower))
                    return QStringLiteral("'%1' is not one of: %2").arg(value, allowed.join(QStringLiteral(", ")));
                config.*field = lower;
                return QString();
            },
            [=](const Config& config) { return config.*field; }};
}

Field url(QString Config::*field, QStringList schemes)
{
    return {[=](Config& config, const QString& value) {
                const QString trimmed = value.trimmed();
                const QUrl parsed(trimmed, QUrl::StrictMode);
                if (!trimmed.isEmpty() &&
                    (!parsed.isValid() || !schemes.contains(parsed.scheme()) || parsed.host().isEmpty()))
                    return QStringLiteral("is not a URL of the form %1://host:port/...").arg(schemes.first());
                // A Redis database is a number: "redis://host:6379/abc" would be read as database 0.
                static const QRegularExpression kRedisPath(QStringLiteral("^(/[0-9]{0,5})?$"));
                if (parsed.scheme() == QLatin1String("redis") && !kRedisPath.match(parsed.path()).hasMatch())
                    return QStringLiteral(
                               "names the database '%1': a Redis database is a number, as in redis://host:6379/0")
                        .arg(parsed.path().mid(1));
                config.*field = trimmed;
                return QString();
            },
            [=](const Config& config) { return config.*field; }};
}

const QHash<QString, Config::AccessLog> kAccessLogModes{{QStringLiteral("on"), Config::AccessLog::All},
                                                        {QStringLiteral("errors"), Config::AccessLog::Errors},
                                                        {QStringLiteral("off"), Config::AccessLog::Off}};

const std::vector<Setting>& settings()
{
    static const std::vector<Setting> table{
        {QStringLiteral("proxy.address"), QStringLiteral("proxy-address"), QStringLiteral("ip"),
         QStringLiteral("Address the proxy listens on (default: all addresses)"), address(&Config::proxy),
         Reload::Restart},
        {QStringLiteral("proxy.port"), QStringLiteral("proxy-port"), QStringLiteral("port"),
         QStringLiteral("Port of the proxy, where SDKs send requests (default: 8080)"),
         port(&Listener::port, &Config::proxy), Reload::Restart},
        {QStringLiteral("proxy.trusted_proxies"), QString(), QString(),
         QStringLiteral(
             "Reverse proxies in front of the proxy port, e.g. 10.0.0.5, 172.16.0.0/12: from them the client "
             "is read from X-Forwarded-For (default: none, the header is ignored)"),
         subnets(&Config::trustedProxies)},
        {QStringLiteral("proxy.tls_certificate"), QStringLiteral("tls-certificate"), QStringLiteral("file"),
         QStringLiteral("PEM certificate chain: the proxy speaks TLS when this and the key are set"),
         text(&Config::tlsCertificateFile)},
        {QStringLiteral("proxy.tls_private_key"), QStringLiteral("tls-private-key"), QStringLiteral("file"),
         QStringLiteral("PEM private key of the proxy's TLS certificate"), text(&Config::tlsPrivateKeyFile)},
        {QStringLiteral("admin.address"), QStringLiteral("admin-address"), QStringLiteral("ip"),
         QStringLiteral("Address of the admin API (default: 127.0.0.1; reach it publicly through /api on the proxy)"),
         address(&Config::admin), Reload::Restart},
        {QStringLiteral("admin.port"), QStringLiteral("admin-port"), QStringLiteral("port"),
         QStringLiteral("Port of the admin API (default: 9090)"), port(&Listener::port, &Config::admin),
         Reload::Restart},
        {QStringLiteral("admin.on_proxy_port"), QString(), QString(),
         QStringLiteral("Serve the admin API as /api on the proxy port too (default: true; false in the desktop app)"),
         boolean(&Config::adminOnProxyPort)},
        {QStringLiteral("admin.allowed_addresses"), QString(), QString(),
         QStringLiteral("Only these addresses and subnets may use /api on the proxy port, e.g. 10.0.0.0/8, 192.0.2.7 "
                        "(default: any)"),
         subnets(&Config::adminAllowedSubnets)},
        {QStringLiteral("workers"), QStringLiteral("workers"), QStringLiteral("n"),
         QStringLiteral("Proxy worker threads (default: 0 = one per core)"), number(&Config::workers, 0, 256),
         Reload::Restart},
        {QStringLiteral("data_dir"), QStringLiteral("data-dir"), QStringLiteral("dir"),
         QStringLiteral("Directory for the SQLite database and key file (default: ./data)"), text(&Config::dataDir),
         Reload::Restart},
        {QStringLiteral("database.url"), QStringLiteral("database-url"), QStringLiteral("url"),
         QStringLiteral("postgresql://user:password@host:port/db to share PostgreSQL (default: SQLite in data_dir)"),
         url(&Config::databaseUrl, {QStringLiteral("postgresql"), QStringLiteral("postgres")}), Reload::Restart},
        {QStringLiteral("redis.url"), QStringLiteral("redis-url"), QStringLiteral("url"),
         QStringLiteral(
             "redis://host:port/db; instances count rate limits and daily budgets there together, and announce "
             "admin changes so the others rebuild at once (without it each counts its own limits, and changes are "
             "noticed within a quarter of a second through the database; docs/scale-out.md) (default: none)"),
         url(&Config::redisUrl, {QStringLiteral("redis")}), Reload::Restart},
        {QStringLiteral("upstream.ca_file"), QStringLiteral("upstream-ca-file"), QStringLiteral("file"),
         QStringLiteral("Extra PEM CA certificates trusted for upstream TLS, besides the system store"),
         text(&Config::upstreamCaFile), Reload::Restart},
        {QStringLiteral("master_key_file"), QStringLiteral("master-key-file"), QStringLiteral("file"),
         QStringLiteral("File holding the master key (default: data_dir/master.key when no keychain is used)"),
         text(&Config::masterKeyFile), Reload::Restart},
        {QStringLiteral("master_key"), QString(), QString(),
         QStringLiteral("Master key, 32 bytes as hex or base64 (environment only)"), text(&Config::masterKey),
         Reload::Restart, Source::EnvironmentOnly},
        {QStringLiteral("admin_password"), QString(), QString(),
         QStringLiteral("Password of the first admin user, used on first start and by `gatehoused "
                        "reset-admin-password` (environment only; ignored, with a warning, once users exist)"),
         text(&Config::initialAdminPassword), Reload::Restart, Source::EnvironmentOnly},
        {QStringLiteral("metrics_token"), QString(), QString(),
         QStringLiteral("Bearer token Prometheus sends to GET /metrics on the admin listener (environment only; "
                        "without it /metrics answers clients on this machine only)"),
         text(&Config::metricsToken), Reload::Restart, Source::EnvironmentOnly},
        {QStringLiteral("log.level"), QStringLiteral("log-level"), QStringLiteral("level"),
         QStringLiteral("debug, info, warning or error (default: info)"),
         oneOf(&Config::logLevel,
               {QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error")})},
        {QStringLiteral("log.format"),
         QStringLiteral("log-format"),
         QStringLiteral("format"),
         QStringLiteral("text or json (one JSON object per line) (default: text)"),
         {[](Config& config, const QString& value) {
              const QString lower = value.trimmed().toLower();
              if (lower != QLatin1String("text") && lower != QLatin1String("json"))
                  return QStringLiteral("'%1' is not one of: text, json").arg(value);
              config.logFormat = lower == QLatin1String("json") ? Logging::Format::Json : Logging::Format::Text;
              return QString();
          },
          [](const Config& config) {
              return QString::fromLatin1(config.logFormat == Logging::Format::Json ? "json" : "text");
          }}},
        {QStringLiteral("log.access"),
         QStringLiteral("access-log"),
         QStringLiteral("which"),
         QStringLiteral("Access log, one line per proxied request: on, errors (failed requests only) or off "
                        "(default: on)"),
         {[](Config& config, const QString& value) {
              const QString lower = value.trimmed().toLower();
              if (!kAccessLogModes.contains(lower))
                  return QStringLiteral("'%1' is not one of: on, errors, off").arg(value);
              config.accessLog = kAccessLogModes.value(lower);
              return QString();
          },
          [](const Config& config) { return kAccessLogModes.key(config.accessLog); }}},
        {QStringLiteral("log.access_sample"), QString(), QString(),
         QStringLiteral("Of the successful requests, the access log writes one in this many; failed ones always "
                        "(default: 1)"),
         number(&Config::accessLogSample, 1, 1'000'000)},
        {QStringLiteral("drain_timeout_ms"), QStringLiteral("drain-timeout-ms"), QStringLiteral("ms"),
         QStringLiteral("On stop, how long in-flight requests may finish (default: 10000)"),
         number(&Config::drainTimeoutMs, 0, 600'000)},
        {QStringLiteral("traces.retention_days"), QString(), QString(),
         QStringLiteral("Traces older than this are purged (default: 30; 0 keeps them forever)"),
         number(&Config::traceRetentionDays, 0, 36'500)},
        {QStringLiteral("audit.retention_days"), QString(), QString(),
         QStringLiteral("Audit entries older than this are purged (default: 365; 0 keeps them forever)"),
         number(&Config::auditRetentionDays, 0, 36'500)},
        {QStringLiteral("health.probe_interval_ms"), QString(), QString(),
         QStringLiteral("Ejected and invalid provider keys are probed this often, healthy ones 10 times less often, "
                        "a key refused to a request within a second (default: 30000; 0 turns probes off: then 3 "
                        "refusals in a row mark a key invalid)"),
         number(&Config::healthProbeIntervalMs, 0, 86'400'000)},
        {QStringLiteral("health.eject_after_failures"), QString(), QString(),
         QStringLiteral("Connect errors, timeouts, 5xx answers or cut streams in a row that eject a provider key "
                        "(default: 3)"),
         number(&HealthPolicy::ejectAfterFailures, 1, 1'000'000), Reload::Restart},
        {QStringLiteral("health.eject_base_ms"), QString(), QString(),
         QStringLiteral("How long a first ejection lasts; each repeated one lasts twice as long, up to 5 minutes "
                        "(default: 10000)"),
         number(&HealthPolicy::ejectBaseMs, 100, 300'000), Reload::Restart},
        {QStringLiteral("limits.max_request_line_bytes"), QString(), QString(),
         QStringLiteral("Longest request line (default: 8K)"),
         number(&HttpLimits::maxRequestLineBytes, 256, 64 << 10, Unit::Bytes)},
        {QStringLiteral("limits.max_header_bytes"), QString(), QString(),
         QStringLiteral("Largest request head, request line and headers (default and most: 64K)"),
         number(&HttpLimits::maxHeaderBytes, 1024, 64 << 10, Unit::Bytes)},
        {QStringLiteral("limits.max_header_count"), QString(), QString(),
         QStringLiteral("Most headers in one request (default: 100)"), number(&HttpLimits::maxHeaderCount, 1, 10'000)},
        {QStringLiteral("limits.max_body_bytes"), QStringLiteral("max-body-bytes"), QStringLiteral("size"),
         QStringLiteral("Largest request body (default: 32M)"),
         number(&HttpLimits::maxBodyBytes, 0, qint64(64) << 30, Unit::Bytes)},
        {QStringLiteral("limits.header_timeout_ms"), QString(), QString(),
         QStringLiteral("Time allowed to send a request head (default: 10000)"),
         number(&HttpLimits::headerTimeoutMs, 100, 600'000)},
        {QStringLiteral("limits.body_timeout_ms"), QString(), QString(),
         QStringLiteral("Longest pause while sending a request body (default: 60000)"),
         number(&HttpLimits::bodyTimeoutMs, 100, 3'600'000)},
        {QStringLiteral("limits.max_body_time_ms"), QString(), QString(),
         QStringLiteral("Longest time to send a whole request body, however steadily (default: 300000)"),
         number(&HttpLimits::maxBodyTimeMs, 100, 3'600'000)},
        {QStringLiteral("limits.max_body_bytes_in_flight"), QString(), QString(),
         QStringLiteral("Request body bytes all clients together may have the gateway hold; beyond, new bodies get "
                        "503 (default: 512M)"),
         number(&HttpLimits::maxBodyBytesInFlight, 1 << 20, qint64(64) << 30, Unit::Bytes)},
        {QStringLiteral("limits.idle_timeout_ms"), QString(), QString(),
         QStringLiteral("Keep-alive connection closed after this long without a request (default: 60000)"),
         number(&HttpLimits::idleTimeoutMs, 100, 3'600'000)},
        {QStringLiteral("limits.max_connections"), QString(), QString(),
         QStringLiteral("Most open client connections (default: 10000)"),
         number(&HttpLimits::maxConnections, 1, 1'000'000)},
        {QStringLiteral("limits.max_connections_per_address"), QString(), QString(),
         QStringLiteral("Most open client connections from one address, IPv6 per /64; trusted proxies are not limited "
                        "(default: 256)"),
         number(&HttpLimits::maxConnectionsPerAddress, 1, 1'000'000)},
        {QStringLiteral("limits.upstream_connect_timeout_ms"), QString(), QString(),
         QStringLiteral("Time allowed to connect to a provider (default: 10000)"),
         number(&HttpLimits::upstreamConnectTimeoutMs, 100, 600'000)},
        {QStringLiteral("limits.upstream_response_timeout_ms"), QString(), QString(),
         QStringLiteral("Time allowed for a provider's response head (default: 300000)"),
         number(&HttpLimits::upstreamResponseTimeoutMs, 100, 3'600'000)},
        {QStringLiteral("limits.upstream_stall_timeout_ms"), QString(), QString(),
         QStringLiteral("A provider silent this long in the middle of a response is cut off (default: 300000)"),
         number(&HttpLimits::upstreamStallTimeoutMs, 100, 3'600'000)},
        {QStringLiteral("limits.upstream_idle_timeout_ms"), QString(), QString(),
         QStringLiteral("Pooled provider connection closed after this long unused (default: 60000)"),
         number(&HttpLimits::upstreamIdleTimeoutMs, 100, 3'600'000)},
        {QStringLiteral("limits.max_pending_write_bytes"), QString(), QString(),
         QStringLiteral("Bytes buffered for a slow reader before reading from the other side pauses (default: 1M)"),
         number(&HttpLimits::maxPendingWriteBytes, 4096, qint64(1) << 30, Unit::Bytes)},
    };
    return table;
}

// Flattens a config file into "section.key" -> value.
Result<std::map<QString, QString>> readFile(const QString& path)
{
    std::map<QString, QString> values;
    QFileInfo info(path);
    if (!info.isFile() || !info.isReadable())
        return Error::make(QStringLiteral("invalid_config"), QStringLiteral("config file %1 cannot be read").arg(path));
    const QString suffix = info.suffix().toLower();
    if (suffix != QLatin1String("json") && suffix != QLatin1String("ini") && suffix != QLatin1String("conf"))
        return Error::make(
            QStringLiteral("invalid_config"),
            QStringLiteral("config file %1: unknown type '.%2'; write it as INI (.ini, .conf) or JSON (.json)")
                .arg(path, suffix));
    if (suffix == QLatin1String("json")) {
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!document.isObject())
            return Error::make(
                QStringLiteral("invalid_config"),
                QStringLiteral("config file %1 is not a JSON object: %2").arg(path, parseError.errorString()));
        std::function<void(const QJsonObject&, const QString&)> flatten = [&](const QJsonObject& object,
                                                                              const QString& prefix) {
            for (auto it = object.begin(); it != object.end(); ++it) {
                const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
                if (it->isObject())
                    flatten(it->toObject(), key);
                else
                    values[key] = it->isString() ? it->toString() : it->toVariant().toString();
            }
        };
        flatten(document.object(), QString());
        return values;
    }
    // QSettings skips what it cannot read: every line must be a section, a key = value, a comment or blank.
    {
        QFile file(path);
        file.open(QIODevice::ReadOnly | QIODevice::Text);
        QStringList bad;
        int number = 0;
        while (!file.atEnd()) {
            ++number;
            const QString line = QString::fromUtf8(file.readLine()).trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char(';')) || line.startsWith(QLatin1Char('#')) ||
                (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) ||
                line.contains(QLatin1Char('=')))
                continue;
            bad << QString::number(number);
        }
        if (!bad.isEmpty())
            return Error::make(
                QStringLiteral("invalid_config"),
                QStringLiteral("config file %1: line %2 is not \"key = value\", a [section] or a comment")
                    .arg(path, bad.join(QStringLiteral(", "))));
    }
    QSettings ini(path, QSettings::IniFormat);
    if (ini.status() != QSettings::NoError)
        return Error::make(QStringLiteral("invalid_config"),
                           QStringLiteral("config file %1 is not valid INI").arg(path));
    for (const QString& key : ini.allKeys()) {
        QString name = key;
        if (name.startsWith(QLatin1String("General/")))
            name.remove(0, 8);
        const QVariant value = ini.value(key);
        // QSettings splits unquoted values at commas; join them back.
        values[name.replace(QLatin1Char('/'), QLatin1Char('.'))] =
            value.typeId() == QMetaType::QStringList ? value.toStringList().join(QLatin1Char(',')) : value.toString();
    }
    return values;
}

QStringList fileKeys()
{
    QStringList keys;
    for (const Setting& setting : settings())
        keys << setting.key;
    return keys;
}

QStringList environmentNames()
{
    QStringList names{QStringLiteral("GATEHOUSE_CONFIG")};
    for (const Setting& setting : settings())
        names << setting.environmentName();
    return names;
}

int editDistance(const QString& a, const QString& b)
{
    QList<int> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The known name a misspelled one most likely meant: close in spelling ("GATEHOUSE_PROXYPORT"), or the one whose last
// part it is ("port" in a file without its [proxy] section). Empty when nothing is close.
QString closestName(const QString& name, const QStringList& known)
{
    const QString lower = name.toLower();
    QString best;
    int bestDistance = 3; // a typo or two: a dropped "_", two letters swapped
    for (const QString& candidate : known) {
        const QString other = candidate.toLower();
        const int distance = other.endsWith(QLatin1Char('.') + lower) ? 1 : editDistance(lower, other);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
        }
    }
    return best;
}

} // namespace

void ConfigLoader::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("config"), QStringLiteral("Config file, INI or JSON (also GATEHOUSE_CONFIG)."),
                      QStringLiteral("file")});
    for (const Setting& setting : settings()) {
        if (!setting.option.isEmpty())
            parser.addOption({setting.option, setting.description + QStringLiteral("."), setting.valueName});
    }
}

QString ConfigLoader::configFile(const QCommandLineParser& parser, const QProcessEnvironment& environment)
{
    return parser.isSet(QStringLiteral("config")) ? parser.value(QStringLiteral("config"))
                                                  : environment.value(QStringLiteral("GATEHOUSE_CONFIG"));
}

Result<Config> ConfigLoader::load(const QCommandLineParser& parser, const QProcessEnvironment& environment,
                                  Config defaults, QStringList* warnings)
{
    Config config = std::move(defaults);
    QStringList problems;

    std::map<QString, QString> fileValues;
    const QString configFile = ConfigLoader::configFile(parser, environment);
    if (!configFile.isEmpty()) {
        auto read = readFile(configFile);
        if (!read)
            return read.error();
        fileValues = std::move(*read);
    }

    for (const Setting& setting : settings()) {
        QString value;
        QString origin;
        if (!setting.option.isEmpty() && parser.isSet(setting.option)) {
            value = parser.value(setting.option);
            origin = QStringLiteral("--") + setting.option;
        } else if (environment.contains(setting.environmentName())) {
            value = environment.value(setting.environmentName());
            origin = setting.environmentName();
        } else if (auto it = fileValues.find(setting.key); it != fileValues.end()) {
            if (setting.source == Source::EnvironmentOnly) {
                problems << QStringLiteral("%1 in %2: secrets are read from the environment only (%3)")
                                .arg(setting.key, configFile, setting.environmentName());
                fileValues.erase(it);
                continue;
            }
            value = it->second;
            origin = QStringLiteral("%1 in %2").arg(setting.key, configFile);
        }
        fileValues.erase(setting.key);
        if (origin.isEmpty())
            continue;
        const QString error = setting.field.apply(config, value);
        if (!error.isEmpty())
            problems << QStringLiteral("%1: %2").arg(origin, error);
    }
    for (const auto& [key, value] : fileValues) {
        const QString closest = closestName(key, fileKeys());
        problems << QStringLiteral("%1 in %2: unknown setting%3")
                        .arg(key, configFile,
                             closest.isEmpty() ? QString() : QStringLiteral(" (did you mean %1?)").arg(closest));
    }
    // Unknown GATEHOUSE_ variables are warned about, not refused: other tools may use the prefix.
    if (warnings) {
        const QStringList known = environmentNames();
        for (const QString& name : environment.keys()) {
            if (!name.startsWith(QLatin1String("GATEHOUSE_")) || known.contains(name))
                continue;
            const QString closest = closestName(name, known);
            if (!closest.isEmpty())
                *warnings << QStringLiteral("%1 is not a setting and is ignored (did you mean %2?)").arg(name, closest);
        }
    }

    const bool tlsCertificate = !config.tlsCertificateFile.isEmpty();
    if (tlsCertificate != !config.tlsPrivateKeyFile.isEmpty())
        problems << QStringLiteral("proxy.tls_certificate and proxy.tls_private_key must be set together");
    if (config.proxy.port != 0 && config.proxy.port == config.admin.port)
        problems << QStringLiteral("proxy.port and admin.port are both %1; they must differ").arg(config.proxy.port);
    if (config.dataDir.isEmpty())
        problems << QStringLiteral("data_dir must not be empty");

    if (!problems.isEmpty())
        return Error::make(QStringLiteral("invalid_config"), problems.join(QLatin1Char('\n')));
    return config;
}

QString ConfigLoader::referenceTable()
{
    QString table =
        QStringLiteral("| file key | environment | option | on reload | meaning |\n| --- | --- | --- | --- | --- |\n");
    for (const Setting& setting : settings()) {
        table += QStringLiteral("| `%1` | `%2` | %3 | %4 | %5 |\n")
                     .arg(setting.key, setting.environmentName(),
                          setting.option.isEmpty() ? QStringLiteral("") : QStringLiteral("`--%1`").arg(setting.option),
                          setting.reload == Reload::Live ? QStringLiteral("applied") : QStringLiteral("restart"),
                          setting.description);
    }
    return table;
}

namespace {

QByteArray digest(const QString& value)
{
    return QCryptographicHash::hash(value.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
}

} // namespace

ConfigLoader::Fingerprint ConfigLoader::fingerprint(const Config& config)
{
    Fingerprint values;
    for (const Setting& setting : settings()) {
        if (setting.source == Source::Anywhere) // secrets come from the environment, which a reload does not change
            values.insert(setting.key, digest(setting.field.show(config)));
    }
    return values;
}

ConfigLoader::Changes ConfigLoader::changes(const Fingerprint& running, const Fingerprint& next)
{
    // Switched on or off, not only changed: the listener's scheme, the health policy the routing snapshot holds.
    const auto switched = [&](const QString& key, const QString& off) {
        return (running.value(key) == digest(off)) != (next.value(key) == digest(off));
    };
    const bool tlsSwitched = switched(QStringLiteral("proxy.tls_certificate"), QString()) ||
                             switched(QStringLiteral("proxy.tls_private_key"), QString());
    Changes changes;
    for (const Setting& setting : settings()) {
        if (running.value(setting.key) == next.value(setting.key))
            continue;
        const bool restart =
            setting.reload == Reload::Restart || (tlsSwitched && setting.key.startsWith(QLatin1String("proxy.tls_"))) ||
            (setting.key == QLatin1String("health.probe_interval_ms") && switched(setting.key, QStringLiteral("0")));
        (restart ? changes.restart : changes.live) << setting.key;
    }
    return changes;
}

Config ConfigLoader::keepRunning(const Config& running, Config next, const QStringList& restart)
{
    for (const Setting& setting : settings()) {
        if (restart.contains(setting.key))
            setting.field.apply(next, setting.field.show(running));
    }
    return next;
}
