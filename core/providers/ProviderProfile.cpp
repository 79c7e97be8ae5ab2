#include "providers/ProviderProfile.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

Error invalid(const QString& message)
{
    return Error::make(QStringLiteral("invalid_argument"), message);
}

// The type's usage and model paths as UsagePaths reads them. The paths apply at the data root and under every
// stream event root (e.g. Anthropic's message_start keeps usage under "message").
QJsonObject usageJson(const QJsonObject& type)
{
    QStringList roots{QString()};
    for (const QJsonValue& root : type.value(QLatin1String("streamEventRoots")).toObject()) {
        if (!roots.contains(root.toString()))
            roots << root.toString();
    }
    const auto rooted = [&](const QJsonValue& paths) -> QJsonValue {
        if (!paths.isArray())
            return paths; // absent stays absent; anything else UsagePaths refuses
        QJsonArray out;
        for (const QString& root : roots) {
            for (const QJsonValue& path : paths.toArray())
                out.append(root.isEmpty() ? path.toString() : root + QLatin1Char('.') + path.toString());
        }
        return out;
    };

    const QJsonObject usagePaths = type.value(QLatin1String("usagePaths")).toObject();
    const QJsonObject modelPaths = type.value(QLatin1String("modelPaths")).toObject();
    QJsonObject usage;
    for (const char* field :
         {"prompt_tokens", "completion_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens"})
        usage.insert(QLatin1String(field), rooted(usagePaths.value(QLatin1String(field))));
    usage.insert(QStringLiteral("model"), rooted(modelPaths.value(QLatin1String("response"))));
    QString fromPath = modelPaths.value(QLatin1String("url")).toString();
    if (!fromPath.isEmpty() && !fromPath.startsWith(QLatin1Char('/')))
        fromPath.prepend(QLatin1Char('/'));
    usage.insert(QStringLiteral("model_from_path"), fromPath);
    // Anthropic counts cached input apart from input_tokens.
    usage.insert(QStringLiteral("prompt_excludes_cache"),
                 type.value(QLatin1String("apiFormat")).toString() == QLatin1String("anthropic"));
    return usage;
}

} // namespace

Result<ProviderProfile> ProviderProfile::fromType(const QJsonObject& type)
{
    ProviderProfile profile;
    profile.name = type.value(QLatin1String("name")).toString();
    if (profile.name.isEmpty())
        return invalid(QStringLiteral("a provider type needs a name"));

    profile.baseUrl = QUrl(type.value(QLatin1String("baseUrl")).toString(), QUrl::StrictMode);
    const QString scheme = profile.baseUrl.scheme();
    if (!profile.baseUrl.isValid() || profile.baseUrl.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return invalid(QStringLiteral("'baseUrl' must be an http or https URL"));
    profile.origin = UpstreamOrigin::fromUrl(profile.baseUrl);
    profile.basePath = profile.baseUrl.path(QUrl::FullyEncoded).toLatin1();
    while (profile.basePath.endsWith('/'))
        profile.basePath.chop(1);

    profile.authHeader = type.value(QLatin1String("authHeader")).toString().toLatin1().toLower();
    profile.authTemplate = type.value(QLatin1String("authTemplate")).toString().toLatin1();
    if (profile.authHeader.isEmpty() || !profile.authTemplate.contains("{key}"))
        return invalid(QStringLiteral("'authHeader' is required and 'authTemplate' must contain {key}"));

    const QJsonObject defaults = type.value(QLatin1String("defaultHeaders")).toObject();
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        profile.defaultHeaders.append({it.key().toLatin1().toLower(), it.value().toString().toLatin1()});

    // Clients send their gateway key where the provider's clients send theirs, or as a Bearer token.
    profile.clientKeyHeaders.append(profile.authHeader);
    if (profile.authHeader != "authorization")
        profile.clientKeyHeaders.append("authorization");
    profile.clientKeyQuery = type.value(QLatin1String("keyQueryParam")).toString().toLatin1();

    const auto format = ProviderErrors::formatFromName(type.value(QLatin1String("apiFormat")).toString());
    if (!format)
        return invalid(QStringLiteral("'apiFormat' must be openai, anthropic or gemini"));
    profile.errorFormat = *format;

    auto routes = RouteAllowlist::fromJson(type.value(QLatin1String("allowedRoutes")));
    if (!routes)
        return routes.error();
    profile.allowedRoutes = std::move(routes).value();

    auto usage = UsagePaths::fromJson(usageJson(type));
    if (!usage)
        return usage.error();
    profile.usage = std::move(usage).value();
    profile.usageMatcher = std::make_shared<const UsageMatcher>(profile.usage);
    return profile;
}
