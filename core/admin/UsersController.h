#pragma once

class ApiRouter;
class UserService;

// /api/users: list, read, create, change, delete users; reset another user's password.
class UsersController
{
public:
    explicit UsersController(UserService& users) : m_users(users) {}
    void addRoutes(ApiRouter& router);

private:
    UserService& m_users;
};
