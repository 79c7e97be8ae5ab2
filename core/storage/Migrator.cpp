#include "storage/Migrator.h"

#include "common/Logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

// The resource lives in the static library; make sure it is linked and registered in every executable.
static void initMigrationResources()
{
    Q_INIT_RESOURCE(migrations);
}

namespace {

// Any constant: serialises migrations of several gateway instances sharing one PostgreSQL database.
constexpr qint64 kMigrationLockId = 0x6761746568;

Error migrationError(const QString& message)
{
    return Error::make(QStringLiteral("migration"), message);
}

} // namespace

Migrator::Migrator(Database& database, QString sourceDir) : m_database(database), m_sourceDir(std::move(sourceDir))
{
    initMigrationResources();
}

QStringList Migrator::statements(const QString& sql, Database::Kind kind, qint64 nowMs)
{
    const bool sqlite = kind == Database::Kind::Sqlite;
    QString text = sql;
    text.replace(QLatin1String("{{ID}}"), sqlite ? QLatin1String("INTEGER PRIMARY KEY AUTOINCREMENT")
                                                 : QLatin1String("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"));
    text.replace(QLatin1String("{{BLOB}}"), sqlite ? QLatin1String("BLOB") : QLatin1String("BYTEA"));
    text.replace(QLatin1String("{{NOW}}"), QString::number(nowMs));
    text.replace(QLatin1String("{{WITHOUT_ROWID}}"), sqlite ? QLatin1String(" WITHOUT ROWID") : QLatin1String(""));

    // "-- @sqlite" or "-- @postgresql" on a line of its own: the next statement is for that engine only.
    const QString thisEngine = sqlite ? QStringLiteral("-- @sqlite") : QStringLiteral("-- @postgresql");
    QStringList result;
    QStringList current;
    QString onlyFor;
    const auto finish = [&] {
        QString statement = current.join(u'\n').trimmed();
        if (statement.endsWith(u';'))
            statement.chop(1);
        if (onlyFor.isEmpty() || onlyFor == thisEngine)
            result << statement;
        current.clear();
        onlyFor.clear();
    };
    for (const QString& line : text.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (trimmed == QLatin1String("-- @sqlite") || trimmed == QLatin1String("-- @postgresql")) {
            onlyFor = trimmed;
            continue;
        }
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1String("--")))
            continue;
        current << line;
        if (trimmed.endsWith(u';'))
            finish();
    }
    if (!current.isEmpty())
        finish(); // a last statement without ';'
    return result;
}

Result<QList<Migrator::Migration>> Migrator::migrations() const
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{3})_([a-z0-9_]+)\\.sql$"));
    const QDir dir(m_sourceDir);
    if (!dir.exists())
        return migrationError(QStringLiteral("migration directory %1 does not exist").arg(m_sourceDir));
    QList<Migration> found;
    for (const QString& file : dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name)) {
        const auto match = pattern.match(file);
        if (!match.hasMatch())
            return migrationError(QStringLiteral("migration file %1 is not named NNN_name.sql").arg(file));
        const int version = match.captured(1).toInt();
        if (version != found.size() + 1)
            return migrationError(
                QStringLiteral("migration %1 is out of sequence: expected number %2").arg(file).arg(found.size() + 1));
        QFile source(dir.filePath(file));
        if (!source.open(QIODevice::ReadOnly))
            return migrationError(QStringLiteral("cannot read migration %1: %2").arg(file, source.errorString()));
        found.append({version, match.captured(2), QString::fromUtf8(source.readAll())});
    }
    if (found.isEmpty())
        return migrationError(QStringLiteral("no migrations found in %1").arg(m_sourceDir));
    return found;
}

Result<void> Migrator::lockAgainstOtherInstances()
{
    if (m_database.kind() == Database::Kind::Sqlite)
        return {}; // BEGIN IMMEDIATE already holds the write lock
    auto locked = m_database.exec(QStringLiteral("SELECT pg_advisory_xact_lock(?)"), {kMigrationLockId});
    if (!locked)
        return locked.error();
    return {};
}

Result<void> Migrator::ensureVersionTable()
{
    return m_database.transaction([this]() -> Result<void> {
        if (auto locked = lockAgainstOtherInstances(); !locked)
            return locked;
        auto created = m_database.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                                      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                                      "applied_at BIGINT NOT NULL)"));
        if (!created)
            return created.error();
        return {};
    });
}

Result<int> Migrator::currentVersion()
{
    auto query = m_database.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    if (!query)
        return query.error();
    if (!query->next())
        return migrationError(QStringLiteral("cannot read the schema version"));
    return query->value(0).toInt();
}

Result<void> Migrator::apply(const Migration& migration)
{
    return m_database.transaction([&]() -> Result<void> {
        if (auto locked = lockAgainstOtherInstances(); !locked)
            return locked;
        // Checked again under the lock: another instance may have applied it meanwhile.
        auto version = currentVersion();
        if (!version)
            return version.error();
        if (*version >= migration.version)
            return {};
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const QString& statement : statements(migration.sql, m_database.kind(), now)) {
            if (auto done = m_database.exec(statement); !done)
                return migrationError(QStringLiteral("migration %1_%2 failed: %3")
                                          .arg(migration.version, 3, 10, QLatin1Char('0'))
                                          .arg(migration.name, done.error().message));
        }
        auto recorded =
            m_database.exec(QStringLiteral("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)"),
                            {migration.version, migration.name, now});
        if (!recorded)
            return recorded.error();
        qCInfo(lcStorage).noquote() << "applied migration" << migration.version << migration.name;
        return {};
    });
}

Result<int> Migrator::migrate()
{
    auto available = migrations();
    if (!available)
        return available.error();
    const int known = available->size();
    if (auto table = ensureVersionTable(); !table)
        return table.error();
    auto version = currentVersion();
    if (!version)
        return version.error();
    if (*version > known)
        return migrationError(QStringLiteral("database schema version %1 is newer than this gatehouse (knows up to "
                                             "%2); upgrade gatehouse")
                                  .arg(*version)
                                  .arg(known));
    for (const Migration& migration : *available) {
        if (migration.version <= *version)
            continue;
        if (auto applied = apply(migration); !applied)
            return applied.error();
    }
    return currentVersion();
}
