#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QCommandLineParser>
#include <QMap>
#include <QProcessEnvironment>
#include <QStringList>

// Builds a Config from, in order of precedence: command line > environment (GATEHOUSE_*) > config file
// (--config FILE or GATEHOUSE_CONFIG; INI when the name ends in .ini or .conf, JSON in .json, anything else refused;
// every INI line a section, key = value, comment or blank) > defaults.
//
// Every setting is one row of a single table (ConfigLoader.cpp) that gives its file key, environment variable,
// command-line option and meaning; --help and docs/configuration.md are written from the same rows.
class ConfigLoader
{
public:
    // Adds an option for every setting that has one, plus --config.
    static void addOptions(QCommandLineParser& parser);

    // Applies every source over `defaults`. All problems found, one line each, in Error::message; the code is
    // "invalid_config". Unknown settings in a file are problems (with the closest known name); unknown GATEHOUSE_
    // variables close to a known one are `warnings` (other tools may use the prefix).
    static Result<Config> load(const QCommandLineParser& parser, const QProcessEnvironment& environment,
                               Config defaults = {}, QStringList* warnings = nullptr);

    // The config file named by --config or GATEHOUSE_CONFIG; empty when none.
    static QString configFile(const QCommandLineParser& parser, const QProcessEnvironment& environment);

    // Markdown table of every setting, for docs/configuration.md.
    static QString referenceTable();

    // Every setting's value as a digest, so that two configurations compare without either's secrets in sight: what
    // a running gateway leaves in its data directory for `--check` (RunningInstance).
    using Fingerprint = QMap<QString, QByteArray>;
    static Fingerprint fingerprint(const Config& config);

    // What a reload does with each setting that differs: applied at once, or kept as it runs until a restart (what
    // the process bound, opened or started threads for: ports, addresses, the database, Redis, worker threads;
    // turning TLS or the health probes on or off).
    struct Changes
    {
        QStringList live;
        QStringList restart;
    };
    static Changes changes(const Fingerprint& running, const Fingerprint& next);
    // `next` with every setting in `restart` as `running` has it: what the gateway runs with after a reload.
    static Config keepRunning(const Config& running, Config next, const QStringList& restart);
};
