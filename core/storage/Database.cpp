#include "storage/Database.h"

#include "common/Logging.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHash>
#include <QMutex>
#include <QSqlError>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <atomic>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

// The connections this Database opened, by name, each with its thread's cleanup hook; shared with that hook, which
// may run after the Database is gone. Whoever takes a name out (the finishing thread or the destructor) removes
// that connection.
struct Database::Registry
{
    QMutex mutex;
    QHash<QString, QMetaObject::Connection> threadHooks;

    void add(const QString& name, const QMetaObject::Connection& hook)
    {
        QMutexLocker locker(&mutex);
        threadHooks.insert(name, hook);
    }
    std::optional<QMetaObject::Connection> take(const QString& name)
    {
        QMutexLocker locker(&mutex);
        if (!threadHooks.contains(name))
            return std::nullopt;
        return threadHooks.take(name);
    }
    QHash<QString, QMetaObject::Connection> takeAll()
    {
        QMutexLocker locker(&mutex);
        return std::exchange(threadHooks, {});
    }
};

namespace {

constexpr int kSqliteBusyTimeoutMs = 5000; // how long a statement waits for another connection's lock

std::atomic<int> g_nextDatabaseId{1};
std::atomic<quint64> g_nextThreadSerial{1};

// Names this thread for its connections. Not the thread id: the system hands a finished thread's id to the next
// thread, which would then find a connection that belongs to a thread that is gone.
quint64 threadSerial()
{
    thread_local const quint64 serial = g_nextThreadSerial.fetch_add(1, std::memory_order_relaxed);
    return serial;
}

Error databaseError(const QString& message)
{
    return Error::make(QStringLiteral("database"), message);
}

// Only from the thread that opened the connection.
void closeOwnConnection(const QString& name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

QString shortened(const QString& sql)
{
    const QString simple = sql.simplified();
    return simple.size() > 200 ? simple.left(200) + QStringLiteral("…") : simple;
}

} // namespace

Database::Database(const Config& config)
    : m_target(parseTarget(config)),
      m_namePrefix(QStringLiteral("gatehouse-db%1-thread").arg(g_nextDatabaseId.fetch_add(1))),
      m_registry(std::make_shared<Registry>())
{}

Database::~Database()
{
    const QString own = connectionName();
    const auto connections = m_registry->takeAll();
    for (auto it = connections.begin(); it != connections.end(); ++it) {
        QObject::disconnect(it.value());
        if (it.key() == own)
            closeOwnConnection(it.key());
        else
            QSqlDatabase::removeDatabase(it.key()); // the driver closes the handle when it is deleted
    }
}

Database::Target Database::parseTarget(const Config& config)
{
    Target target;
    if (config.databaseUrl.isEmpty()) {
        target.sqlitePath = config.sqlitePath();
        return target;
    }
    target.kind = Kind::Postgresql;
    const QUrl url(config.databaseUrl, QUrl::StrictMode);
    const QString shown = url.toString(QUrl::RemovePassword);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres"))) {
        target.error = QStringLiteral("invalid database URL '%1': expected postgresql://user:password@host:port/db")
                           .arg(url.isValid() ? shown : QStringLiteral("(unparsable)"));
        return target;
    }
    target.host = url.host();
    target.port = url.port(5432);
    target.user = url.userName();
    target.password = url.password();
    target.databaseName = url.path().mid(1);
    if (target.host.isEmpty() || target.databaseName.isEmpty() || target.databaseName.contains(u'/')) {
        target.error = QStringLiteral("invalid database URL '%1': it needs a host and a database name").arg(shown);
        return target;
    }
    QStringList options;
    const QUrlQuery query(url);
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded))
        options << key + u'=' + value;
    // A server that stops answering must not hold the main thread for long (the admin API, /readyz, systemd's
    // watchdog): connects give up after 5 s, and a connection whose sent data goes unacknowledged for 15 s is dropped
    // (then reopened at the next use). Parameters in the URL win.
    const QStringList defaults{QStringLiteral("connect_timeout=5"), QStringLiteral("tcp_user_timeout=15000")};
    for (const QString& option : defaults) {
        if (!query.hasQueryItem(option.section(u'=', 0, 0)))
            options << option;
    }
    target.connectOptions = options.join(u';');
    return target;
}

QString Database::kindName() const
{
    return m_target.kind == Kind::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

QString Database::describe() const
{
    if (m_target.kind == Kind::Sqlite)
        return QStringLiteral("sqlite %1").arg(m_target.sqlitePath);
    const QString user = m_target.user.isEmpty() ? QString() : m_target.user + u'@';
    return QStringLiteral("postgresql %1%2:%3/%4")
        .arg(user, m_target.host)
        .arg(m_target.port)
        .arg(m_target.databaseName);
}

QString Database::connectionName() const
{
    return m_namePrefix + QString::number(threadSerial());
}

Result<void> Database::open()
{
    auto db = connection();
    if (!db)
        return db.error();
    return {};
}

Result<QSqlDatabase> Database::connection()
{
    const QString name = connectionName();
    if (!QSqlDatabase::contains(name))
        return openConnection(name);
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (db.isOpen())
        return db;
    // The PostgreSQL server went away (restart, failover, terminated backend): open a fresh connection.
    qCWarning(lcStorage).noquote() << "connection to" << describe() << "lost, reconnecting";
    db = QSqlDatabase();
    if (const auto hook = m_registry->take(name))
        QObject::disconnect(*hook);
    closeOwnConnection(name);
    return openConnection(name);
}

Result<QSqlDatabase> Database::openConnection(const QString& name)
{
    if (!m_target.error.isEmpty())
        return databaseError(m_target.error);

    const bool sqlite = m_target.kind == Kind::Sqlite;
    const QString where = sqlite ? m_target.sqlitePath : describe();
    QString failure;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
        if (sqlite) {
            // SQLite would create the file with the umask's mode, and its -wal and -shm files copy that mode: made
            // here first, for the owner only.
            if (const int fd = ::open(QFile::encodeName(m_target.sqlitePath).constData(),
                                      O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
                fd >= 0)
                ::close(fd);
            db.setDatabaseName(m_target.sqlitePath);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kSqliteBusyTimeoutMs));
        } else {
            db.setHostName(m_target.host);
            db.setPort(m_target.port);
            db.setUserName(m_target.user);
            db.setPassword(m_target.password);
            db.setDatabaseName(m_target.databaseName);
            db.setConnectOptions(m_target.connectOptions);
        }
        if (!db.isValid())
            failure = QStringLiteral("the Qt SQL driver for %1 is not installed").arg(kindName());
        else if (!db.open())
            failure = db.lastError().text();
        if (failure.isEmpty()) {
            QSqlQuery setup(db);
            const auto run = [&] {
                return sqlite ? setup.exec(QStringLiteral("PRAGMA journal_mode=WAL")) &&
                                    setup.exec(QStringLiteral("PRAGMA foreign_keys=ON"))
                              // libpq prints NOTICEs (e.g. "already exists, skipping") straight to stderr
                              : setup.exec(QStringLiteral("SET client_min_messages TO WARNING"));
            };
            // Switching a file to WAL takes an exclusive lock, and SQLite does not wait for a lock where waiting
            // could deadlock (another connection upgrading its own): instances opening a new file at once are told
            // "database is locked" at once. Try again for as long as the busy timeout would have waited.
            const QDeadlineTimer deadline(kSqliteBusyTimeoutMs);
            bool done = run();
            while (!done && sqlite && setup.lastError().nativeErrorCode() == QLatin1String("5") &&
                   !deadline.hasExpired()) {
                QThread::msleep(20);
                done = run();
            }
            if (!done)
                failure = setup.lastError().text();
        }
        if (!failure.isEmpty())
            db.close();
    }
    if (!failure.isEmpty()) {
        QSqlDatabase::removeDatabase(name);
        return databaseError(QStringLiteral("cannot open database at %1: %2").arg(where, failure.trimmed()));
    }

    QThread* thread = QThread::currentThread();
    const auto hook = QObject::connect(
        thread, &QThread::finished, thread,
        [registry = std::weak_ptr<Registry>(m_registry), name] {
            const auto alive = registry.lock();
            if (const auto hook = alive ? alive->take(name) : std::nullopt) {
                QObject::disconnect(*hook);
                closeOwnConnection(name);
            }
        },
        Qt::DirectConnection);
    m_registry->add(name, hook);
    qCDebug(lcStorage) << "opened connection" << name << "to" << describe();
    return QSqlDatabase::database(name, false);
}

Result<QSqlQuery> Database::exec(const QString& sql, const QVariantList& values)
{
    auto db = connection();
    if (!db)
        return db.error();
    QSqlQuery query(*db);
    query.setForwardOnly(true);
    bool ok;
    if (values.isEmpty()) {
        ok = query.exec(sql); // unprepared: PostgreSQL cannot PREPARE DDL or transaction control
    } else {
        ok = query.prepare(sql);
        for (const QVariant& value : values)
            query.addBindValue(value);
        ok = ok && query.exec();
    }
    if (!ok)
        return databaseError(
            QStringLiteral("SQL error: %1 (in: %2)").arg(query.lastError().text().trimmed(), shortened(sql)));
    return query;
}

Result<void> Database::snapshot(const std::function<Result<void>()>& work)
{
    // SQLite: one file, statements microseconds apart; and an explicit transaction could not end while a caller up
    // the stack still holds a SELECT it has not finished ("SQL statements in progress"), as admin use cases do when
    // their commit rebuilds the routing snapshot. PostgreSQL, where every statement sees its own moment a round trip
    // apart, reads in one read-only repeatable-read transaction (its results are fetched whole, so nothing pends).
    if (m_target.kind == Kind::Sqlite)
        return work();
    if (auto begin = exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")); !begin)
        return begin.error();
    Result<void> result = work();
    if (auto end = exec(QStringLiteral("COMMIT")); !end && result)
        result = end.error();
    return result;
}

Result<void> Database::transaction(const std::function<Result<void>()>& work)
{
    if (auto begin = exec(m_target.kind == Kind::Sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
        !begin)
        return begin.error();
    Result<void> result = work();
    if (result) {
        auto commit = exec(QStringLiteral("COMMIT"));
        if (commit)
            return {};
        result = commit.error();
    }
    if (auto rollback = exec(QStringLiteral("ROLLBACK")); !rollback)
        qCWarning(lcStorage) << "rollback failed:" << rollback.error().message;
    return result;
}
