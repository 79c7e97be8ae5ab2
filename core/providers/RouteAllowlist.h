#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

// Which requests a provider type forwards with its pooled keys: "METHOD /path" patterns, where METHOD may be "*" and
// a "*" in the path stands for any run of characters within one segment (no '/'), e.g. "POST /v1/chat/completions",
// "GET /v1/models/*", "POST /v1beta/models/*:generateContent". Everything else of the provider (files, batches,
// fine-tunes, stored completions: data that tenants sharing a key could read or delete of each other) is out of
// reach. An allowlist that was never set allows every request (a provider type an admin defined before there were
// allowlists).
class RouteAllowlist
{
public:
    static constexpr qsizetype kMaxRoutes = 200;

    // From the provider type's JSON array; the error names the first bad entry. Null (undefined) allows all.
    static Result<RouteAllowlist> fromJson(const QJsonValue& routes);

    bool allows(QByteArrayView method, QByteArrayView path) const;
    bool allowsEverything() const { return m_everything; }
    const QStringList& patterns() const { return m_patterns; } // as given, for messages

private:
    struct Route
    {
        QByteArray method; // "*" for any
        QList<QByteArray> segments;
    };
    static bool segmentMatches(QByteArrayView pattern, QByteArrayView segment);

    bool m_everything = true;
    QList<Route> m_routes;
    QStringList m_patterns;
};
