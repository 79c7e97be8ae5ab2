#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

// A provider key's health (an entry of GET /api/health) in words, for the pages that show it.
class KeyHealthText
{
    Q_DECLARE_TR_FUNCTIONS(KeyHealthText)

public:
    // "Healthy", "Cooling down until 14:02:10", "Invalid: the provider refused the key"...
    static QString status(const QJsonObject& health);
    // The last probe: "OK at 14:02:10 (120 ms)", "Failed at 14:02:10: HTTP 401", or a dash when never probed.
    static QString lastProbe(const QJsonObject& health);
};
