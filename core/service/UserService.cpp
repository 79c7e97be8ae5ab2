#include "service/UserService.h"

#include "auth/Permissions.h"
#include "auth/UserCredentials.h"
#include "common/ApiErrors.h"
#include "crypto/PasswordHasher.h"
#include "service/AuthService.h"
#include "service/JsonInput.h"
#include "service/ListQuery.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace {

const QString kSuperAdminRole = QStringLiteral("super_admin");
const QString kUserColumns = QStringLiteral(
    "u.id, u.username, u.display_name, r.name, u.enabled, u.locked_until, u.last_login_at, u.password_changed_at, "
    "u.created_at, u.updated_at");

QJsonValue isoTime(const QVariant& ms)
{
    if (ms.isNull())
        return QJsonValue::Null;
    return QDateTime::fromMSecsSinceEpoch(ms.toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject userJson(const QSqlQuery& row)
{
    const qint64 lockedUntil = row.value(5).toLongLong();
    return QJsonObject{{QStringLiteral("id"), row.value(0).toLongLong()},
                       {QStringLiteral("username"), row.value(1).toString()},
                       {QStringLiteral("displayName"), row.value(2).toString()},
                       {QStringLiteral("role"), row.value(3).toString()},
                       {QStringLiteral("enabled"), row.value(4).toInt() == 1},
                       // the latest lockout, from some address; past ones are history
                       {QStringLiteral("lockedUntil"),
                        lockedUntil > QDateTime::currentMSecsSinceEpoch() ? isoTime(lockedUntil) : QJsonValue()},
                       {QStringLiteral("lastLoginAt"), isoTime(row.value(6))},
                       {QStringLiteral("passwordChangedAt"), isoTime(row.value(7))},
                       {QStringLiteral("createdAt"), isoTime(row.value(8))},
                       {QStringLiteral("updatedAt"), isoTime(row.value(9))}};
}

bool canRead(const Actor& actor)
{
    return actor.has(Permissions::kUsersView) || actor.has(Permissions::kUsersManage);
}

// Letters, digits and . _ @ -, starting with a letter or digit: safe in logs, URLs and the GUI.
std::optional<QString> usernameField(JsonInput& in, JsonInput::Presence presence, QStringList* problems)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._@-]*$"));
    auto username = in.text(QStringLiteral("username"), presence, 1, 64);
    if (username && !pattern.match(*username).hasMatch()) {
        *problems << QStringLiteral("'username' may hold only letters, digits and . _ @ -, starting with a letter or "
                                    "digit");
        return std::nullopt;
    }
    return username;
}

} // namespace

Result<QJsonObject> UserService::read(qint64 id)
{
    auto row = m_context.database.exec(QStringLiteral("SELECT %1 FROM users u JOIN roles r ON r.id = u.role_id "
                                                      "WHERE u.id = ? AND u.deleted_at IS NULL")
                                           .arg(kUserColumns),
                                       {id});
    if (!row)
        return row.error();
    if (!row->next())
        return ApiErrors::notFound(QStringLiteral("no user with id %1").arg(id));
    return userJson(*row);
}

Result<UserService::Target> UserService::findLive(qint64 id)
{
    auto row = m_context.database.exec(QStringLiteral("SELECT u.id, u.username, r.name, u.enabled FROM users u "
                                                      "JOIN roles r ON r.id = u.role_id "
                                                      "WHERE u.id = ? AND u.deleted_at IS NULL"),
                                       {id});
    if (!row)
        return row.error();
    if (!row->next())
        return ApiErrors::notFound(QStringLiteral("no user with id %1").arg(id));
    return Target{row->value(0).toLongLong(), row->value(1).toString(), row->value(2).toString(),
                  row->value(3).toInt() == 1};
}

Result<qint64> UserService::roleId(const QString& name)
{
    auto roles = m_context.database.exec(QStringLiteral("SELECT id, name FROM roles ORDER BY name"));
    if (!roles)
        return roles.error();
    QStringList names;
    while (roles->next()) {
        if (roles->value(1).toString() == name)
            return roles->value(0).toLongLong();
        names << roles->value(1).toString();
    }
    return ApiErrors::invalid(QStringLiteral("'role' must be one of: %1").arg(names.join(QStringLiteral(", "))));
}

Result<bool> UserService::holdsRole(const Actor& actor, const QString& role)
{
    auto row = m_context.database.exec(QStringLiteral("SELECT permissions FROM roles WHERE name = ?"), {role});
    if (!row)
        return row.error();
    if (!row->next())
        return true;
    const QJsonArray permissions = QJsonDocument::fromJson(row->value(0).toString().toUtf8()).array();
    return std::all_of(permissions.begin(), permissions.end(), [&](const QJsonValue& value) {
        const QString permission = value.toString();
        const bool ownOnly =
            permission.startsWith(QLatin1String("proxy:")) || permission.endsWith(QLatin1String(":own"));
        return ownOnly || actor.has(permission);
    });
}

Result<bool> UserService::usernameTaken(const QString& username, qint64 exceptId)
{
    auto row = m_context.database.exec(
        QStringLiteral("SELECT COUNT(*) FROM users WHERE username = ? AND deleted_at IS NULL AND id <> ?"),
        {username, exceptId});
    if (!row)
        return row.error();
    return row->next() && row->value(0).toLongLong() > 0;
}

Result<bool> UserService::isLastSuperAdmin(const Target& target)
{
    if (target.role != kSuperAdminRole || !target.enabled)
        return false;
    auto row = m_context.database.exec(QStringLiteral("SELECT COUNT(*) FROM users u JOIN roles r ON r.id = u.role_id "
                                                      "WHERE r.name = ? AND u.enabled = 1 AND u.deleted_at IS NULL"),
                                       {kSuperAdminRole});
    if (!row)
        return row.error();
    return row->next() && row->value(0).toLongLong() <= 1;
}

Result<QJsonObject> UserService::list(const Actor& actor, const QUrlQuery& query)
{
    if (!canRead(actor))
        return m_context.audit.denied(actor, QStringLiteral("user.list"), QStringLiteral("user"));
    return ListQuery::page(m_context.database, query,
                           {.columns = kUserColumns,
                            .from = QStringLiteral("users u JOIN roles r ON r.id = u.role_id"),
                            .where = {QStringLiteral("u.deleted_at IS NULL")},
                            .toJson = userJson,
                            .sortColumns = {{QStringLiteral("id"), QStringLiteral("u.id")},
                                            {QStringLiteral("username"), QStringLiteral("u.username")},
                                            {QStringLiteral("createdAt"), QStringLiteral("u.created_at")},
                                            {QStringLiteral("lastLoginAt"), QStringLiteral("u.last_login_at")}},
                            .defaultSort = QStringLiteral("username"),
                            .idColumn = QStringLiteral("u.id"),
                            .flagFilters = {{QStringLiteral("enabled"), QStringLiteral("u.enabled")}},
                            .textFilters = {{QStringLiteral("role"), QStringLiteral("r.name")}},
                            .searchColumn = QStringLiteral("u.username || ' ' || u.display_name")});
}

Result<QJsonObject> UserService::get(const Actor& actor, qint64 id)
{
    if (!canRead(actor))
        return m_context.audit.denied(actor, QStringLiteral("user.read"), QStringLiteral("user"), QString::number(id));
    return read(id);
}

Result<UserService::Target> UserService::manageable(const Actor& actor, const QString& action, qint64 id)
{
    if (!actor.has(Permissions::kUsersManage))
        return m_context.audit.denied(actor, action, QStringLiteral("user"), QString::number(id));
    auto target = findLive(id);
    if (!target)
        return target.error();
    auto holds = holdsRole(actor, target->role);
    if (!holds)
        return holds.error();
    if (!*holds)
        return m_context.audit.denied(actor, action, QStringLiteral("user"), QString::number(id));
    return target;
}

Result<QJsonObject> UserService::create(const Actor& actor, const QJsonObject& body)
{
    if (!actor.has(Permissions::kUsersManage))
        return m_context.audit.denied(actor, QStringLiteral("user.create"), QStringLiteral("user"));
    JsonInput in(body);
    QStringList problems;
    const auto username = usernameField(in, JsonInput::Required, &problems);
    const auto displayName = in.text(QStringLiteral("displayName"), JsonInput::Optional, 0, 200);
    const auto password = in.text(QStringLiteral("password"), JsonInput::Required, 1, PasswordHasher::kMaxLength);
    const auto role = in.text(QStringLiteral("role"), JsonInput::Required, 1, 64);
    const auto enabled = in.boolean(QStringLiteral("enabled"), JsonInput::Optional);
    if (password) {
        if (auto policy = PasswordHasher::checkPolicy(*password); !policy)
            problems << QStringLiteral("'password' %1").arg(policy.error().message);
    }
    if (auto error = in.error())
        problems.prepend(error->message);
    if (!problems.isEmpty())
        return ApiErrors::invalid(problems.join(QStringLiteral("; ")));

    auto allowed = holdsRole(actor, *role);
    if (!allowed)
        return allowed.error();
    if (!*allowed)
        return m_context.audit.denied(actor, QStringLiteral("user.create"), QStringLiteral("user"));
    auto roleKey = roleId(*role);
    if (!roleKey)
        return roleKey.error();

    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            auto taken = usernameTaken(*username, 0);
            if (!taken)
                return taken.error();
            if (*taken)
                return ApiErrors::conflict(QStringLiteral("a user named '%1' already exists").arg(*username));
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            auto inserted = m_context.database.exec(
                QStringLiteral("INSERT INTO users (username, display_name, password_hash, role_id, enabled, "
                               "password_changed_at, created_at, updated_at) "
                               "VALUES (?, COALESCE(?, ''), ?, ?, ?, ?, ?, ?) RETURNING id"),
                {*username, displayName.value_or(QString()), m_context.passwords.hash(*password), *roleKey,
                 enabled.value_or(true) ? 1 : 0, now, now, now});
            if (!inserted)
                return inserted.error();
            if (!inserted->next())
                return Error::make(QStringLiteral("internal"), QStringLiteral("INSERT INTO users returned no id"));
            const qint64 id = inserted->value(0).toLongLong();
            inserted->finish();
            return AuditEntry{QStringLiteral("user.create"),
                              QStringLiteral("user"),
                              id,
                              {{QStringLiteral("username"), *username},
                               {QStringLiteral("role"), *role},
                               {QStringLiteral("enabled"), enabled.value_or(true)}}};
        },
        [this](qint64 created) { return read(created); });
}

Result<QJsonObject> UserService::update(const Actor& actor, qint64 id, const QJsonObject& body)
{
    const QString action = QStringLiteral("user.update");
    auto target = manageable(actor, action, id);
    if (!target)
        return target.error();
    JsonInput in(body);
    QStringList problems;
    const auto username = usernameField(in, JsonInput::Optional, &problems);
    const auto displayName = in.text(QStringLiteral("displayName"), JsonInput::Optional, 0, 200);
    const auto role = in.text(QStringLiteral("role"), JsonInput::Optional, 1, 64);
    const auto enabled = in.boolean(QStringLiteral("enabled"), JsonInput::Optional);
    if (auto error = in.error())
        problems.prepend(error->message);
    if (problems.isEmpty() && body.isEmpty())
        problems << QStringLiteral("give at least one of 'username', 'displayName', 'role', 'enabled'");
    if (!problems.isEmpty())
        return ApiErrors::invalid(problems.join(QStringLiteral("; ")));

    if (role) {
        auto holdsNew = holdsRole(actor, *role);
        if (!holdsNew)
            return holdsNew.error();
        if (!*holdsNew)
            return m_context.audit.denied(actor, action, QStringLiteral("user"), QString::number(id));
    }
    if (id == actor.userId && enabled == false)
        return ApiErrors::conflict(QStringLiteral("you cannot disable yourself"));
    if ((role && *role != kSuperAdminRole) || enabled == false) {
        auto last = isLastSuperAdmin(*target);
        if (!last)
            return last.error();
        if (*last)
            return ApiErrors::conflict(QStringLiteral("'%1' is the last enabled super_admin").arg(target->username));
    }
    std::optional<qint64> newRoleId;
    if (role) {
        auto found = roleId(*role);
        if (!found)
            return found.error();
        newRoleId = *found;
    }

    QStringList assignments{QStringLiteral("updated_at = ?")};
    QVariantList values{QDateTime::currentMSecsSinceEpoch()};
    QJsonObject changes;
    if (username) {
        assignments << QStringLiteral("username = ?");
        values << *username;
        changes.insert(QStringLiteral("username"), *username);
    }
    if (displayName) {
        assignments << QStringLiteral("display_name = COALESCE(?, '')"); // an empty QString binds as NULL
        values << *displayName;
        changes.insert(QStringLiteral("displayName"), *displayName);
    }
    if (newRoleId) {
        assignments << QStringLiteral("role_id = ?");
        values << *newRoleId;
        changes.insert(QStringLiteral("role"), *role);
    }
    if (enabled) {
        assignments << QStringLiteral("enabled = ?");
        values << (*enabled ? 1 : 0);
        changes.insert(QStringLiteral("enabled"), *enabled);
    }
    // The user's gateway keys follow their rights and status at once: the commit rebuilds the routing snapshot.
    return m_context.commitAndRead(
        actor,
        [&]() -> Result<AuditEntry> {
            if (username) {
                auto taken = usernameTaken(*username, id);
                if (!taken)
                    return taken.error();
                if (*taken)
                    return ApiErrors::conflict(QStringLiteral("a user named '%1' already exists").arg(*username));
            }
            auto updated = m_context.database.exec(
                QStringLiteral("UPDATE users SET %1 WHERE id = ?").arg(assignments.join(QStringLiteral(", "))),
                values << id);
            if (!updated)
                return updated.error();
            if (enabled == false) {
                if (auto revoked =
                        UserCredentials::endSessions(m_context.database, id, QDateTime::currentMSecsSinceEpoch());
                    !revoked)
                    return revoked.error();
            }
            return AuditEntry{action, QStringLiteral("user"), id, changes};
        },
        [this](qint64 changed) { return read(changed); });
}

Result<void> UserService::remove(const Actor& actor, qint64 id)
{
    auto target = manageable(actor, QStringLiteral("user.delete"), id);
    if (!target)
        return target.error();
    if (id == actor.userId)
        return ApiErrors::conflict(QStringLiteral("you cannot delete yourself"));
    auto last = isLastSuperAdmin(*target);
    if (!last)
        return last.error();
    if (*last)
        return ApiErrors::conflict(QStringLiteral("'%1' is the last enabled super_admin").arg(target->username));

    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto deleted = m_context.database.exec(
            QStringLiteral("UPDATE users SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL"),
            {now, now, id});
        if (!deleted)
            return deleted.error();
        if (auto revoked = UserCredentials::endSessions(m_context.database, id, now); !revoked)
            return revoked.error();
        return AuditEntry{QStringLiteral("user.delete"),
                          QStringLiteral("user"),
                          id,
                          {{QStringLiteral("username"), target->username}}};
    });
    if (!done)
        return done.error();
    return {};
}

Result<void> UserService::resetPassword(const Actor& actor, qint64 id, const QJsonObject& body)
{
    auto target = manageable(actor, QStringLiteral("user.password_reset"), id);
    if (!target)
        return target.error();
    if (id == actor.userId)
        return ApiErrors::invalid(
            QStringLiteral("change your own password with POST /api/auth/password (it asks for the current one)"));
    JsonInput in(body);
    const auto password = in.text(QStringLiteral("password"), JsonInput::Required, 1, PasswordHasher::kMaxLength);
    if (auto error = in.error())
        return *error;
    auto done = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        if (auto stored = m_auth.setPassword(id, *password); !stored)
            return stored.error();
        return AuditEntry{QStringLiteral("user.password_reset"), QStringLiteral("user"), id, {}};
    });
    if (!done)
        return done.error();
    return {};
}

Result<QJsonObject> UserService::roles(const Actor& actor)
{
    if (!canRead(actor))
        return m_context.audit.denied(actor, QStringLiteral("role.list"), QStringLiteral("role"));
    auto rows = m_context.database.exec(
        QStringLiteral("SELECT id, name, description, permissions, builtin FROM roles ORDER BY id"));
    if (!rows)
        return rows.error();
    QJsonArray items;
    while (rows->next()) {
        items.append(QJsonObject{
            {QStringLiteral("id"), rows->value(0).toLongLong()},
            {QStringLiteral("name"), rows->value(1).toString()},
            {QStringLiteral("description"), rows->value(2).toString()},
            {QStringLiteral("permissions"), QJsonDocument::fromJson(rows->value(3).toString().toUtf8()).array()},
            {QStringLiteral("builtin"), rows->value(4).toInt() == 1},
        });
    }
    return QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), items.size()}};
}
