#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>

// Builds a Config from, in order of precedence: command line > environment (GATEHOUSE_*) > config file
// (--config FILE or GATEHOUSE_CONFIG; INI, or JSON when the name ends in .json) > defaults.
//
// Every setting is one row of a single table (ConfigLoader.cpp) that gives its file key, environment variable,
// command-line option and meaning; --help and docs/configuration.md are written from the same rows.
class ConfigLoader
{
public:
    // Adds an option for every setting that has one, plus --config.
    static void addOptions(QCommandLineParser& parser);

    // Applies every source over `defaults`. All problems found, one line each, in Error::message; the code is
    // "invalid_config".
    static Result<Config> load(const QCommandLineParser& parser, const QProcessEnvironment& environment,
                               Config defaults = {});

    // Markdown table of every setting, for docs/configuration.md.
    static QString referenceTable();
};
