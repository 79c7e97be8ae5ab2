#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>

// The gateway's SQL database: a SQLite file by default, PostgreSQL (QPSQL) when Config::databaseUrl is
// postgresql://user:pass@host:port/db (postgres:// too; query items such as ?sslmode=require go to libpq).
//
// A QSqlDatabase belongs to the thread that opened it, so every thread gets its own named connection, opened on
// first use. It is closed when its QThread finishes, or when the Database is destroyed (threads not started by
// QThread keep theirs until then). Destroy the Database only after the other threads stopped using it, and
// with no QSqlQuery of it alive.
//
// Portable SQL conventions (same statements on both engines): times are BIGINT milliseconds since the epoch
// (UTC), money is BIGINT micro-dollars, JSON is TEXT, booleans are INTEGER 0/1 (bind ints: QPSQL sends a bool
// as TRUE, which PostgreSQL refuses for an INTEGER column).
class Database
{
public:
    enum class Kind { Sqlite, Postgresql };

    explicit Database(const Config& config);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens (or checks) this thread's connection: "cannot open database at PATH: ...".
    Result<void> open();

    Kind kind() const { return m_target.kind; }
    QString kindName() const;
    // Where the data lives, never with the password: "sqlite /var/lib/gatehouse/gatehouse.db",
    // "postgresql gatehouse@db.example:5432/gatehouse".
    QString describe() const;

    // This thread's connection, opened on first use, and opened again when the server dropped it (the statement
    // that met the dropped connection fails; the next one reconnects).
    Result<QSqlDatabase> connection();

    // Prepares and runs one statement with positional `?` values on this thread's connection. The returned
    // query is active (forward-only): iterate it with next(). Errors carry the driver's text and the statement.
    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values = {});

    // Runs work inside one transaction on this thread's connection: committed when it returns ok, rolled back
    // when it returns an error (which is passed on). SQLite takes the write lock at the start (BEGIN IMMEDIATE)
    // so concurrent writers wait for the busy timeout instead of failing on lock upgrade.
    Result<void> transaction(const std::function<Result<void>()>& work);
    // Runs reads that must see one moment of the database, whatever commits meanwhile: on PostgreSQL in a read-only
    // repeatable-read transaction; on SQLite as they are (see Database.cpp).
    Result<void> snapshot(const std::function<Result<void>()>& work);

private:
    struct Target
    {
        Kind kind = Kind::Sqlite;
        QString sqlitePath;
        QString host;
        int port = 5432;
        QString user;
        QString password;
        QString databaseName;
        QString connectOptions;
        QString error; // set when the URL could not be understood
    };
    struct Registry;

    static Target parseTarget(const Config& config);
    QString connectionName() const;
    Result<QSqlDatabase> openConnection(const QString& name);

    Target m_target;
    QString m_namePrefix;
    std::shared_ptr<Registry> m_registry;
};
