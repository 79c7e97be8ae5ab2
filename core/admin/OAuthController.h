#pragma once

class ApiRouter;
class OAuthConfigService;
class OAuthSessionService;

// /api/oauth: configurations (a resource), connecting an account (authorize, then exchange, which answers once the
// provider's token endpoint has), and the sessions. Thin HTTP translation of the two services.
class OAuthController
{
public:
    OAuthController(OAuthConfigService& configs, OAuthSessionService& sessions)
        : m_configs(configs), m_sessions(sessions)
    {}
    void addRoutes(ApiRouter& router);

private:
    OAuthConfigService& m_configs;
    OAuthSessionService& m_sessions;
};
