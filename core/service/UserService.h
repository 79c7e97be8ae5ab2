#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"

#include <QJsonObject>
#include <QUrlQuery>

class AuthService;

// Admin users and their roles. Reads need users:view (or users:manage), changes users:manage; only a super_admin
// may create, change, reset or delete a super_admin, or grant that role. Nobody disables or deletes themselves,
// and the last enabled super_admin stays one. Bodies are JSON objects, checked field by field (JsonInput); a
// refused request changes nothing. Users are deleted softly; their name may then be taken again.
class UserService
{
public:
    UserService(ServiceContext& context, AuthService& auth) : m_context(context), m_auth(auth) {}

    // {"items":[user...],"page","pageSize","total"}; user: {id, username, displayName, role, enabled,
    // lockedUntil, lastLoginAt, passwordChangedAt, createdAt, updatedAt}. Filters role, enabled, q (part of the
    // username or display name); sort username (default), createdAt, lastLoginAt, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);
    Result<QJsonObject> get(const Actor& actor, qint64 id);
    // {username, password, role, displayName?, enabled?}
    Result<QJsonObject> create(const Actor& actor, const QJsonObject& body);
    // Any of {username, displayName, role, enabled}.
    Result<QJsonObject> update(const Actor& actor, qint64 id, const QJsonObject& body);
    Result<void> remove(const Actor& actor, qint64 id);
    // {password}: an admin sets another user's password (one's own: AuthService::changePassword).
    Result<void> resetPassword(const Actor& actor, qint64 id, const QJsonObject& body);

    // {"items":[{id, name, description, permissions, builtin}],"total"}: what a user's role can be.
    Result<QJsonObject> roles(const Actor& actor);

private:
    struct Target
    {
        qint64 id = 0;
        QString username;
        QString role;
        bool enabled = false;
    };

    Result<Target> findLive(qint64 id);
    // The live user `id`, when the actor may manage it (users:manage and holdsRole() of its role); a denial of
    // `action` is audited.
    Result<Target> manageable(const Actor& actor, const QString& action, qint64 id);
    Result<qint64> roleId(const QString& name);
    // Whether the actor holds every right over others that the role grants, so that managing a user of that role
    // (creating one, granting it, resetting its password) cannot give the actor rights it lacks. Using the proxy
    // and the ":own" permissions concern only the user's own things and do not count. Unknown roles pass here and
    // are refused by roleId().
    Result<bool> holdsRole(const Actor& actor, const QString& role);
    Result<bool> usernameTaken(const QString& username, qint64 exceptId);
    // Whether taking `target` out of the super_admin role (or disabling, deleting it) leaves none enabled.
    Result<bool> isLastSuperAdmin(const Target& target);
    Result<QJsonObject> read(qint64 id);

    ServiceContext& m_context;
    AuthService& m_auth;
};
