#include "app/AdminAccount.h"
#include "app/ConfigFileWatcher.h"
#include "app/GatewayService.h"
#include "app/MasterKeyRotation.h"
#include "app/Preflight.h"
#include "app/ProcessSignals.h"
#include "app/ServiceNotifier.h"
#include "config/ConfigLoader.h"
#include "storage/SqliteBackup.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

int fail(const QString& lines, int exitCode)
{
    QTextStream err(stderr);
    for (const QString& line : lines.split(QLatin1Char('\n'))) {
        if (Logging::isJson())
            qCCritical(lcApp).noquote() << line;
        else
            err << "gatehoused: error: " << line << '\n';
    }
    return exitCode;
}

// Under systemd stdout is the journal, which the adm group reads and keeps: the generated first password goes to a
// file only root and the service user can read instead (as Jenkins does), replacing one a former first start left.
// False when it cannot be written.
bool writePasswordFile(const QString& path, const QString& password)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                          0600);
    if (fd < 0)
        return false;
    const QByteArray line = password.toUtf8() + '\n';
    const bool written = ::fchmod(fd, 0600) == 0 && ::write(fd, line.constData(), size_t(line.size())) == line.size();
    ::close(fd);
    return written;
}

// What the operator needs to start using the gateway, on stdout: text, or with log.format json one JSON object per
// line (the generated first password too: it goes where the banner goes, never into the log; under systemd, to a
// file).
void printBanner(const GatewayService& service)
{
    const Config& running = service.config();
    // URLs that answer as printed: an address listening on all interfaces is reached on loopback here.
    const auto host = [](const QHostAddress& address) {
        return address.isEqual(QHostAddress::Any, QHostAddress::TolerantConversion) ? QStringLiteral("127.0.0.1")
                                                                                    : address.toString();
    };
    const QString proxy =
        QStringLiteral("%1://%2:%3")
            .arg(QLatin1String(running.tlsCertificateFile.isEmpty() ? "http" : "https"), host(running.proxy.address))
            .arg(service.proxyPort());
    const QString admin =
        QStringLiteral("http://%1:%2/api/system/info").arg(host(running.admin.address)).arg(service.adminPort());
    QString password = service.generatedAdminPassword();
    QString firstStart;
    if (!password.isEmpty() && qEnvironmentVariableIsSet("JOURNAL_STREAM")) {
        const QString file = QDir(running.dataDir).filePath(QStringLiteral("initial-admin-password"));
        firstStart = writePasswordFile(file, password)
                         ? QStringLiteral("first start: log in as 'admin' with the password in %1 (readable by root "
                                          "and the service only); change it, then delete the file")
                               .arg(file)
                         : QStringLiteral("first start: the admin's password could not be written to %1 and is not "
                                          "shown here (the journal keeps what it is shown): set one with `gatehoused "
                                          "reset-admin-password`")
                               .arg(file);
        password.clear();
    }
    QTextStream out(stdout);
    if (Logging::isJson()) {
        const auto line = [&](QJsonObject object) {
            object.insert(QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
            out << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        };
        line({{QStringLiteral("message"), QStringLiteral("Gatehouse is running")},
              {QStringLiteral("version"), QStringLiteral(GATEHOUSE_VERSION)},
              {QStringLiteral("proxy_url"), proxy},
              {QStringLiteral("openai_base_url"), proxy + QStringLiteral("/v1")},
              {QStringLiteral("anthropic_base_url"), proxy},
              {QStringLiteral("gemini_base_url"), proxy},
              {QStringLiteral("admin_url"), admin}});
        if (!password.isEmpty())
            line({{QStringLiteral("message"), QStringLiteral("first start: log in as 'admin' with this password, "
                                                             "shown once; change it")},
                  {QStringLiteral("username"), QStringLiteral("admin")},
                  {QStringLiteral("password"), password}});
        if (!firstStart.isEmpty())
            line({{QStringLiteral("message"), firstStart}});
        return;
    }
    out << "Gatehouse " << GATEHOUSE_VERSION << " is running\n"
        << "  proxy: " << proxy << "  (SDK base URL: " << proxy << "/v1 for OpenAI, " << proxy
        << " for Anthropic and Gemini)\n"
        << "  admin: " << admin << "  (sign in with POST /api/auth/login)\n";
    if (!password.isEmpty())
        out << "  first start: log in as 'admin' with password " << password << " (shown once; change it)\n";
    if (!firstStart.isEmpty())
        out << "  " << firstStart << '\n';
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gatehoused"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Gatehouse AI API gateway, headless server.\n"
        "Settings come from the command line, then GATEHOUSE_* environment variables, then the config file."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption checkOption(
        QStringLiteral("check"),
        QStringLiteral("Check without starting or creating anything: settings, "
                       "ports, data directory, TLS files, the admin password's "
                       "policy, the database, its schema version and master key, Redis; print one "
                       "line per problem and exit."));
    parser.addOption(checkOption);
    const QCommandLineOption userOption(
        QStringLiteral("user"),
        QStringLiteral("With reset-admin-password: the user whose password is reset (default admin)."),
        QStringLiteral("name"), QLatin1String(AdminAccount::kDefaultUsername));
    parser.addOption(userOption);
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QStringLiteral("Nothing to start the server. reset-admin-password: set a new password for the admin "
                       "(printed, or GATEHOUSE_ADMIN_PASSWORD), enable and unlock the account, end its sessions; "
                       "works while the server is stopped. backup FILE: a consistent copy of the SQLite database "
                       "into a new FILE, while the server runs (PostgreSQL: use pg_dump). rotate-master-key: seal "
                       "every stored secret again under a new key (random, in the key file; or "
                       "GATEHOUSE_NEW_MASTER_KEY) while the servers run. Run them as the user the server runs as."),
        QStringLiteral("[reset-admin-password | backup FILE | rotate-master-key]"));
    ConfigLoader::addOptions(parser);
    parser.process(app);

    const QStringList commands = parser.positionalArguments();
    const bool resetAdminPassword = commands == QStringList{QStringLiteral("reset-admin-password")};
    const bool backup = commands.size() == 2 && commands.first() == QLatin1String("backup");
    const bool rotateMasterKey = commands == QStringList{QStringLiteral("rotate-master-key")};
    if (!commands.isEmpty() && !resetAdminPassword && !backup && !rotateMasterKey)
        return fail(QStringLiteral("unknown command '%1' (see --help)").arg(commands.join(u' ')), 2);

    QStringList warnings;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    auto config = ConfigLoader::load(parser, environment, {}, &warnings);
    if (!config)
        return fail(config.error().message, 2);
    Logging::install(config->logLevel, config->logFormat);
    for (const QString& warning : std::as_const(warnings))
        qCWarning(lcApp).noquote() << warning;

    if (parser.isSet(checkOption)) {
        const QStringList problems = Preflight::check(*config);
        if (!problems.isEmpty())
            return fail(problems.join(QLatin1Char('\n')), 1);
        QTextStream out(stdout);
        out << "gatehoused: configuration OK\n";
        for (const QString& line : Preflight::reloadReport(*config))
            out << "gatehoused: " << line << '\n';
        return 0;
    }

    if (backup) {
        if (config->usesPostgres())
            return fail(QStringLiteral("the database is PostgreSQL: back it up with pg_dump (docs/operations.md)"), 2);
        auto copied = SqliteBackup::copy(config->sqlitePath(), commands.at(1));
        if (!copied)
            return fail(copied.error().message, 1);
        QTextStream(stdout) << "gatehoused: backed up " << config->sqlitePath() << " to " << commands.at(1) << " ("
                            << *copied << " bytes); it needs the same master key to be read\n";
        return 0;
    }

    if (rotateMasterKey) {
        auto rotated = MasterKeyRotation::rotate(*config, qEnvironmentVariable("GATEHOUSE_NEW_MASTER_KEY"));
        if (!rotated)
            return fail(rotated.error().message, 1);
        QTextStream out(stdout);
        out << "gatehoused: the master key is rotated (" << rotated->oldFingerprint << " -> " << rotated->newFingerprint
            << "); " << rotated->secrets << " secrets sealed again; ";
        if (rotated->keyFile.isEmpty())
            out << "put GATEHOUSE_NEW_MASTER_KEY where the old key was and restart the servers\n";
        else
            out << "the new key is in " << rotated->keyFile << ", the old one in " << rotated->keyFile << ".previous-"
                << rotated->oldFingerprint << " (backups taken before need it)\n";
        return 0;
    }

    if (resetAdminPassword) {
        const QString username = parser.value(userOption);
        auto reset = AdminAccount::resetPassword(*config, username);
        if (!reset)
            return fail(reset.error().message, 1);
        QTextStream out(stdout);
        out << "gatehoused: " << (reset->created ? "created the super admin '" : "reset the password of '") << username
            << "'; its sessions ended";
        if (!reset->generatedPassword.isEmpty())
            out << "; log in with password " << reset->generatedPassword << " (shown once; change it)";
        else
            out << "; log in with GATEHOUSE_ADMIN_PASSWORD";
        out << '\n';
        return 0;
    }

    GatewayService service(std::make_shared<const Config>(std::move(*config)));
    ServiceNotifier systemd;
    ProcessSignals processSignals;
    QObject::connect(&processSignals, &ProcessSignals::stopRequested, &service, [&] {
        systemd.stopping();
        service.stop();
    });
    QObject::connect(&service, &GatewayService::stopped, &app, &QCoreApplication::quit, Qt::QueuedConnection);

    // A reload reads every source again, as at the start; a configuration with problems is not applied at all.
    const auto reload = [&] {
        if (!service.isRunning())
            return; // stopping (its drain turns the event loop) or not started yet
        systemd.reloading();
        auto next = ConfigLoader::load(parser, environment);
        if (!next)
            LogLine(lcConfig(), QtWarningMsg, u"configuration not reloaded").field("problems", next.error().message);
        else if (auto changed = service.reconfigure(std::move(*next)); !changed)
            LogLine(lcConfig(), QtWarningMsg, u"configuration not reloaded").field("problems", changed.error().message);
        systemd.ready(QStringLiteral("serving"));
    };
    QObject::connect(&processSignals, &ProcessSignals::reloadRequested, &service, reload);
    std::unique_ptr<ConfigFileWatcher> configWatcher;
    if (const QString file = ConfigLoader::configFile(parser, environment); !file.isEmpty()) {
        configWatcher = std::make_unique<ConfigFileWatcher>(file);
        QObject::connect(configWatcher.get(), &ConfigFileWatcher::changed, &service, reload);
    }

    if (auto started = service.start(); !started)
        return fail(started.error().message, 1);

    printBanner(service);
    systemd.ready(QStringLiteral("serving"));
    return app.exec();
}
