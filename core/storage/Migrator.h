#pragma once

#include "common/Result.h"
#include "storage/Database.h"

#include <QList>
#include <QString>
#include <QStringList>

// Brings the schema up to date from numbered migration files NNN_name.sql (embedded under :/sql/ from sql/),
// applied in order, each in its own transaction, recorded in schema_version (version, name, applied_at).
// Re-running is a no-op; a database newer than the newest migration known here is refused.
//
// Migration file rules, so that one file serves SQLite and PostgreSQL:
//   - a statement ends with ';' as the last character of a line (so never end a line inside a string with ';');
//   - lines whose first non-blank characters are '--' are comments (no comments after code on the same line);
//   - tokens replaced per engine: {{ID}} (the id primary key column type), {{BLOB}} (BLOB / BYTEA);
//     {{NOW}} is replaced by the current time in milliseconds since the epoch; {{WITHOUT_ROWID}} after a CREATE
//     TABLE's closing parenthesis is " WITHOUT ROWID" on SQLite (the rows live in the primary key's b-tree alone)
//     and nothing on PostgreSQL.
class Migrator
{
public:
    struct Migration
    {
        int version = 0;
        QString name;
        QString sql;
    };

    // sourceDir holds the NNN_name.sql files; tests point it at their own directory.
    explicit Migrator(Database& database, QString sourceDir = QStringLiteral(":/sql"));

    // Applies what is pending; returns the schema version in effect afterwards.
    Result<int> migrate();

    // The highest version recorded in the database (0 when none).
    Result<int> currentVersion();

    // The migrations found in the source directory, in order; numbers must run 1, 2, 3... without gaps.
    Result<QList<Migration>> migrations() const;

    // The statements of one migration file for the given engine, after token replacement. A line "-- @sqlite" or
    // "-- @postgresql" makes the statement after it apply to that engine only.
    static QStringList statements(const QString& sql, Database::Kind kind, qint64 nowMs);

private:
    Result<void> ensureVersionTable();
    Result<void> lockAgainstOtherInstances();
    Result<void> apply(const Migration& migration);

    Database& m_database;
    QString m_sourceDir;
};
