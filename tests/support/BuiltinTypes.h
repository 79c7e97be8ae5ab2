#pragma once

#include "providers/ProviderProfile.h"

#include <QJsonObject>
#include <QString>

// The built-in provider types as the gateway serves them, without a database: the defaults of their API format
// (ApiFormat::typeDefaults), named after it, at the provider's own base URL unless the test gives another.
namespace BuiltinTypes {

QJsonObject type(const QString& format, const QString& baseUrl = {});
ProviderProfile profile(const QString& format, const QString& baseUrl = {});

} // namespace BuiltinTypes
