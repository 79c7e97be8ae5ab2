#pragma once

class ApiRouter;
class AuthService;

// /api/auth: log in, refresh, log out, change one's password, who am I. Also installs the router's authenticator
// (Authorization: Bearer <access token>).
class AuthController
{
public:
    explicit AuthController(AuthService& auth) : m_auth(auth) {}
    void addRoutes(ApiRouter& router);

private:
    AuthService& m_auth;
};
