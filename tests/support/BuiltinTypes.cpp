#include "BuiltinTypes.h"

#include "providers/ApiFormat.h"

#include <QTest>

namespace BuiltinTypes {

QJsonObject type(const QString& format, const QString& baseUrl)
{
    QJsonObject type = ApiFormat::typeDefaults(format);
    type.insert(QStringLiteral("name"), format);
    type.insert(QStringLiteral("apiFormat"), format);
    const QString official = format == QLatin1String("anthropic") ? QStringLiteral("https://api.anthropic.com")
                             : format == QLatin1String("gemini")
                                 ? QStringLiteral("https://generativelanguage.googleapis.com")
                                 : QStringLiteral("https://api.openai.com");
    type.insert(QStringLiteral("baseUrl"), baseUrl.isEmpty() ? official : baseUrl);
    return type;
}

ProviderProfile profile(const QString& format, const QString& baseUrl)
{
    auto profile = ProviderProfile::fromType(type(format, baseUrl));
    if (!profile) {
        QTest::qFail(qPrintable(profile.error().message), __FILE__, __LINE__);
        return {};
    }
    return std::move(profile).value();
}

} // namespace BuiltinTypes
