#pragma once

class ApiRouter;
class UserService;

// /api/roles: the roles a user can have, with their permissions (built-in roles only, for now).
class RolesController
{
public:
    explicit RolesController(UserService& users) : m_users(users) {}
    void addRoutes(ApiRouter& router);

private:
    UserService& m_users;
};
