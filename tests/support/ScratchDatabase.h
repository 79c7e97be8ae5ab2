#pragma once

#include "config/Config.h"
#include "storage/Database.h"

#include <QTemporaryDir>

#include <memory>

// A fresh, empty database for one test: a SQLite file in a temporary directory, or a new PostgreSQL schema (in a
// database of this test process's, next to GATEHOUSE_TEST_DATABASE_URL) dropped when this object goes.
// Declare it before the Database objects of the test so that they close first.
class ScratchDatabase
{
public:
    // engine: "sqlite" or "postgresql" (the row names of addEngineRows()).
    explicit ScratchDatabase(const QString& engine);
    ~ScratchDatabase();

    // Adds an "engine" column with a "sqlite" and a "postgresql" row to a data-driven test.
    static void addEngineRows();

    // False for PostgreSQL when GATEHOUSE_TEST_DATABASE_URL is unset (QSKIP then) or the database could not be
    // created (QFAIL with error()).
    bool available() const { return m_error.isEmpty() && !m_skip; }
    bool skipped() const { return m_skip; }
    QString error() const { return m_error; }

    const Config& config() const { return m_config; }

private:
    QTemporaryDir m_dir;
    Config m_config;
    std::unique_ptr<Database> m_server; // a connection to the process's database, to create and drop our schema
    QString m_schema;
    QString m_error;
    bool m_skip = false;
};

// Skips or fails the current test when the scratch database is not there.
#define REQUIRE_SCRATCH_DATABASE(scratch)                                                                              \
    do {                                                                                                               \
        if ((scratch).skipped())                                                                                       \
            QSKIP("GATEHOUSE_TEST_DATABASE_URL is not set");                                                           \
        if (!(scratch).available())                                                                                    \
            QFAIL(qPrintable((scratch).error()));                                                                      \
    } while (false)
