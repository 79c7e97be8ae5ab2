#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"
#include "service/TraceFilter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

#include <optional>

// Reads the traces the proxy wrote: filtered listings, newest first, and single traces. logs:view sees every
// trace, logs:own only the caller's own (user_id = caller); other traces answer not_found.
//
// Listings are paged by a keyset cursor on (created_at, id), not by page numbers: the next page starts right
// below the last row seen, so it costs one index seek however deep it is (OFFSET walks every skipped row), and
// rows the proxy writes meanwhile do not shift pages (no duplicates, no gaps).
class TraceService
{
public:
    static constexpr int kDefaultPageSize = 50;
    static constexpr int kMaxPageSize = 500;

    // The position of a row in the newest-first order, as clients see it: "<created_at ms>_<id>".
    struct Cursor
    {
        qint64 createdAtMs = 0;
        qint64 id = 0;

        static std::optional<Cursor> parse(const QString& text);
        QString toString() const;
    };

    struct Page
    {
        QJsonArray items;
        qint64 total = 0;   // rows matching the filter, on every page
        QString nextCursor; // empty on the last page
    };

    explicit TraceService(ServiceContext& context) : m_context(context) {}

    Result<Page> list(const Actor& actor, TraceFilter filter, std::optional<Cursor> before, int pageSize);
    Result<QJsonObject> get(const Actor& actor, qint64 id);

    void setStatementObserver(TraceStatementObserver observer) { m_observer = std::move(observer); }

private:
    // The filter narrowed to what the actor may see, or forbidden (audited) when it may see no trace at all.
    Result<TraceFilter> scoped(const Actor& actor, TraceFilter filter, const QString& action);
    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values);

    ServiceContext& m_context;
    TraceStatementObserver m_observer;
};
