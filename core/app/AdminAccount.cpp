#include "app/AdminAccount.h"

#include "auth/UserCredentials.h"
#include "common/Logging.h"
#include "crypto/PasswordHasher.h"
#include "crypto/Random.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/Migrator.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonObject>

#include <unistd.h>

namespace AdminAccount {
namespace {

constexpr int kGeneratedLength = 20;

Result<qint64> insertSuperAdmin(Database& database, const PasswordHasher& passwords, const QString& username,
                                const QString& password)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto created = database.exec(
        QStringLiteral("INSERT INTO users (username, display_name, password_hash, role_id, enabled, "
                       "password_changed_at, created_at, updated_at) SELECT ?, 'Administrator', ?, id, 1, ?, ?, ? "
                       "FROM roles WHERE name = 'super_admin' RETURNING id"),
        {username, passwords.hash(password), now, now, now});
    if (!created)
        return created.error();
    if (!created->next())
        return Error::make(QStringLiteral("no_role"), QStringLiteral("the super_admin role is missing"));
    return created->value(0).toLongLong();
}

// The password to set: the configured one when it meets the policy, else a generated one.
Result<QString> choosePassword(const QString& configured, QString* generated)
{
    if (configured.isEmpty()) {
        *generated = Random::base62(kGeneratedLength);
        return *generated;
    }
    if (auto policy = PasswordHasher::checkPolicy(configured); !policy)
        return Error::make(policy.error().code,
                           QStringLiteral("GATEHOUSE_ADMIN_PASSWORD %1").arg(policy.error().message));
    return configured;
}

// A SQLite file opened by another system user gets journal files it owns, which the server's user cannot open.
Result<void> checkOwner(const Config& config)
{
    if (config.usesPostgres())
        return {};
    const QFileInfo file(config.sqlitePath());
    if (!file.exists())
        return Error::make(QStringLiteral("no_database"),
                           QStringLiteral("no database at %1: check --data-dir, or start gatehoused once (the first "
                                          "start creates the admin user and prints its password)")
                               .arg(file.absoluteFilePath()));
    if (file.ownerId() != ::geteuid())
        return Error::make(QStringLiteral("wrong_user"),
                           QStringLiteral("%1 belongs to the user %2: run this command as that user (sudo -u %2 ...)")
                               .arg(file.absoluteFilePath(), file.owner()));
    return {};
}

} // namespace

Result<QString> createIfNoUsers(Database& database, const PasswordHasher& passwords, const QString& password)
{
    auto users = database.exec(QStringLiteral("SELECT COUNT(*) FROM users"));
    if (!users)
        return users.error();
    const bool any = users->next() && users->value(0).toLongLong() > 0;
    users->finish();
    if (any) {
        if (!password.isEmpty())
            qCWarning(lcAuth) << "GATEHOUSE_ADMIN_PASSWORD is ignored: the database has users already (to set the "
                                 "admin's password, run: gatehoused reset-admin-password)";
        return QString();
    }
    QString generated;
    auto chosen = choosePassword(password, &generated);
    if (!chosen)
        return chosen.error();
    if (auto created = insertSuperAdmin(database, passwords, QLatin1String(kDefaultUsername), *chosen); !created)
        return created.error();
    qCInfo(lcAuth) << "created the first admin user 'admin'";
    return generated;
}

Result<Reset> resetPassword(const Config& config, const QString& username)
{
    if (auto owned = checkOwner(config); !owned)
        return owned.error();
    Database database(config);
    if (auto opened = database.open(); !opened)
        return opened.error();
    if (auto migrated = Migrator(database).migrate(); !migrated)
        return migrated.error();

    Reset reset;
    auto chosen = choosePassword(config.initialAdminPassword, &reset.generatedPassword);
    if (!chosen)
        return chosen.error();
    const PasswordHasher passwords(config.passwordHashLogN);
    const QString hash = passwords.hash(*chosen);

    auto done = database.transaction([&]() -> Result<void> {
        auto found =
            database.exec(QStringLiteral("SELECT id FROM users WHERE username = ? AND deleted_at IS NULL"), {username});
        if (!found)
            return found.error();
        if (found->next()) {
            reset.userId = found->value(0).toLongLong();
            found->finish();
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            auto enabled = database.exec(QStringLiteral("UPDATE users SET enabled = 1 WHERE id = ?"), {reset.userId});
            if (!enabled)
                return enabled.error();
            auto stored = UserCredentials::storePassword(database, reset.userId, hash, now);
            return stored ? Result<void>() : Result<void>(stored.error());
        }
        found->finish();

        auto admins =
            database.exec(QStringLiteral("SELECT u.username FROM users u JOIN roles r ON r.id = u.role_id "
                                         "WHERE r.name = 'super_admin' AND u.deleted_at IS NULL ORDER BY u.username"));
        if (!admins)
            return admins.error();
        QStringList names;
        while (admins->next())
            names << admins->value(0).toString();
        if (!names.isEmpty())
            return Error::make(QStringLiteral("no_user"),
                               QStringLiteral("there is no user '%1'; the super admins are: %2 (name one with --user)")
                                   .arg(username, names.join(QLatin1String(", "))));
        auto created = insertSuperAdmin(database, passwords, username, *chosen);
        if (!created)
            return created.error();
        reset.userId = *created;
        reset.created = true;
        return {};
    });
    if (!done)
        return done.error();

    Actor commandLine;
    commandLine.username = QStringLiteral("gatehoused reset-admin-password");
    commandLine.clientAddress = QStringLiteral("local");
    (void)AuditLog(database).record(
        commandLine, reset.created ? QStringLiteral("user.create") : QStringLiteral("user.password_reset"),
        QStringLiteral("user"), QString::number(reset.userId),
        QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("via"), QStringLiteral("command line")}});
    return reset;
}

} // namespace AdminAccount
