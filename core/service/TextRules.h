#pragma once

#include <QJsonObject>
#include <QString>

// Checks of admin input that ends up in HTTP messages the gateway sends upstream.
namespace TextRules {

// Letters, digits, '-' and '_', 1 to maxLength of them: header and parameter names.
bool isToken(const QString& text, int maxLength);

// No control characters: the value ends up in an HTTP header line.
bool isHeaderValue(const QString& text);

// A JSON object of at most 50 headers, names as isToken(100), string values as isHeaderValue of at most 1000
// characters. Empty when it is one, else the problem, naming `field`.
QString checkHeaders(const QString& field, const QJsonObject& headers);

} // namespace TextRules
