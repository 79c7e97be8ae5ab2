#pragma once

#include <QLatin1String>
#include <QList>
#include <QString>
#include <QStringList>

// The canonical permission strings. Roles store them as a JSON array; the built-in roles below are seeded by
// sql/002_seed.sql and a test checks that seed and code agree.
//
// `<area>:view` / `<area>:manage` apply to every user's objects; `<area>:own` to the caller's own objects only.
// `super_admin` allows everything, `proxy:*` every provider type, `proxy:<type>` one (by provider_types.name).
namespace Permissions {

inline constexpr QLatin1String kProxyAll("proxy:*");
inline constexpr QLatin1String kProxyOpenAI("proxy:openai");
inline constexpr QLatin1String kProxyAnthropic("proxy:anthropic");
inline constexpr QLatin1String kProxyGemini("proxy:gemini");
inline constexpr QLatin1String kUsersView("users:view");
inline constexpr QLatin1String kUsersManage("users:manage");
inline constexpr QLatin1String kProviderKeysView("provider_keys:view");
inline constexpr QLatin1String kProviderKeysManage("provider_keys:manage");
inline constexpr QLatin1String kGatewayKeysOwn("gateway_keys:own");
inline constexpr QLatin1String kGatewayKeysView("gateway_keys:view");
inline constexpr QLatin1String kGatewayKeysManage("gateway_keys:manage");
inline constexpr QLatin1String kStatsOwn("stats:own");
inline constexpr QLatin1String kStatsView("stats:view");
inline constexpr QLatin1String kStatsManage("stats:manage");
inline constexpr QLatin1String kLogsOwn("logs:own");
inline constexpr QLatin1String kLogsView("logs:view");
inline constexpr QLatin1String kLogsManage("logs:manage");
inline constexpr QLatin1String kHealthView("health:view");
inline constexpr QLatin1String kProvidersManage("providers:manage");
inline constexpr QLatin1String kServerManage("server:manage");
inline constexpr QLatin1String kSuperAdmin("super_admin");

// The permission to use the proxy for one provider type.
inline QString proxy(const QString& providerType)
{
    return QLatin1String("proxy:") + providerType;
}

// Every fixed permission (the per-type proxy permissions of the built-in provider types included).
inline QStringList all()
{
    return {kProxyAll,         kProxyOpenAI,        kProxyAnthropic, kProxyGemini,     kUsersView,         kUsersManage,
            kProviderKeysView, kProviderKeysManage, kGatewayKeysOwn, kGatewayKeysView, kGatewayKeysManage, kStatsOwn,
            kStatsView,        kStatsManage,        kLogsOwn,        kLogsView,        kLogsManage,        kHealthView,
            kProvidersManage,  kServerManage,       kSuperAdmin};
}

struct BuiltinRole
{
    QString name;
    QStringList permissions;
};

inline QList<BuiltinRole> builtinRoles()
{
    const QStringList views{kUsersView, kProviderKeysView, kGatewayKeysView, kStatsView, kLogsView, kHealthView};
    return {
        {QStringLiteral("super_admin"), {kSuperAdmin}},
        {QStringLiteral("admin"),
         {kProxyAll, kUsersView, kUsersManage, kProviderKeysView, kProviderKeysManage, kGatewayKeysOwn,
          kGatewayKeysView, kGatewayKeysManage, kStatsOwn, kStatsView, kStatsManage, kLogsOwn, kLogsView, kLogsManage,
          kHealthView, kProvidersManage, kServerManage}},
        {QStringLiteral("user_admin"), QStringList{kUsersManage} + views},
        {QStringLiteral("user"), {kProxyAll, kGatewayKeysOwn, kStatsOwn, kLogsOwn}},
        {QStringLiteral("read_only"), views},
        {QStringLiteral("api_only"), {kProxyAll}},
    };
}

} // namespace Permissions
