#pragma once

#include <QList>
#include <QPair>
#include <QString>

// Ready-to-paste code that calls the gateway with a gateway key, for the SDKs of the key's API format
// ("openai", "anthropic", "gemini"): pairs of (title, code). `baseUrl` is the gateway's proxy URL.
namespace Snippets {

QList<QPair<QString, QString>> forKey(const QString& apiFormat, const QString& baseUrl, const QString& key);

} // namespace Snippets
