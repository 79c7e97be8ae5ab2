#include "storage/TraceWriter.h"

#include "common/Durations.h"
#include "common/Logging.h"
#include "storage/ColumnArrays.h"
#include "storage/Database.h"
#include "storage/StatsRollup.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <sched.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace {

constexpr qint64 kPurgeIntervalMs = 60 * 60 * 1000;
constexpr quint64 kMaxRetainedRows = 200'000; // kept in memory for a retry while the database is away

QVariant idOrNull(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

// Text from providers and clients may hold a NUL, which PostgreSQL text cannot: it would fail the whole batch, and
// every batch after it that retries the row.
QString storable(QString text)
{
    text.replace(QChar(0), QChar(QChar::ReplacementCharacter));
    return text;
}

// The model as stored, in the trace and in the rollups alike: at most StatsRollup::kMaxModelChars long, no NUL, and
// exactly the text its UTF-8 reads back as (a lone surrogate, which a client can send and a cut can leave, becomes
// what the database keeps of it). Two names that store the same must be one rollup row: PostgreSQL refuses an
// upsert that meets one row twice.
QString storedModel(const QString& model)
{
    const bool plain = std::all_of(model.begin(), model.end(), [](QChar c) { return c.unicode() - 1u < 0x7fu; });
    if (plain && model.size() <= StatsRollup::kMaxModelChars)
        return model; // ASCII without NUL, as nearly every model name is: stored as it is
    QString cut = model.left(StatsRollup::kMaxModelChars);
    if (!cut.isEmpty() && cut.back().isHighSurrogate())
        cut.chop(1);
    return QString::fromUtf8(storable(cut).toUtf8());
}

QVariant textOrNull(const QString& text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(storable(text));
}

const QStringList kColumns{QStringLiteral("request_id"),
                           QStringLiteral("created_at"),
                           QStringLiteral("gateway_key_id"),
                           QStringLiteral("user_id"),
                           QStringLiteral("provider_type_id"),
                           QStringLiteral("provider_key_id"),
                           QStringLiteral("method"),
                           QStringLiteral("path"),
                           QStringLiteral("model"),
                           QStringLiteral("status"),
                           QStringLiteral("success"),
                           QStringLiteral("error_kind"),
                           QStringLiteral("error_message"),
                           QStringLiteral("prompt_tokens"),
                           QStringLiteral("completion_tokens"),
                           QStringLiteral("total_tokens"),
                           QStringLiteral("cache_read_tokens"),
                           QStringLiteral("cache_write_tokens"),
                           QStringLiteral("cost_micros"),
                           QStringLiteral("duration_ms"),
                           QStringLiteral("ttfb_ms"),
                           QStringLiteral("retries"),
                           QStringLiteral("streamed"),
                           QStringLiteral("client_address")};

using Row = std::array<QVariant, 24>; // in kColumns order
using Rows = QList<const TraceRecord*>;

Row rowOf(const TraceRecord& r)
{
    return {QString::fromLatin1(r.requestId),
            r.createdAtMs,
            idOrNull(r.gatewayKeyId),
            idOrNull(r.userId),
            idOrNull(r.providerTypeId),
            idOrNull(r.providerKeyId),
            QString::fromLatin1(r.method),
            storable(QString::fromUtf8(r.path)),
            textOrNull(r.model),
            r.status,
            int(r.success),
            textOrNull(r.errorKind),
            textOrNull(r.errorMessage),
            r.tokens.prompt,
            r.tokens.completion,
            r.tokens.total,
            r.tokens.cacheRead,
            r.tokens.cacheWrite,
            r.costMicros,
            r.durationMs,
            r.ttfbMs < 0 ? QVariant(QMetaType::fromType<int>()) : QVariant(r.ttfbMs),
            r.retries,
            int(r.streamed),
            textOrNull(r.clientAddress)};
}

// SQLite's insert of rowCount rows, every value a "?". OR FAIL: a row that breaks a constraint stops the statement
// without undoing the rows before it, which saves SQLite a statement journal (a temporary file with a copy of every
// page the statement changes, written at every insert of many rows); the writer rolls the whole batch back anyway.
QString sqliteInsert(qsizetype rowCount)
{
    const QString row = QLatin1Char('(') +
                        QStringList(kColumns.size(), QStringLiteral("?")).join(QStringLiteral(", ")) + QLatin1Char(')');
    return QStringLiteral("INSERT OR FAIL INTO traces (%1) VALUES %2")
        .arg(kColumns.join(QStringLiteral(", ")), QStringList(rowCount, row).join(QStringLiteral(", ")));
}

// PostgreSQL, through QtSql: the batch in a statement per ColumnArrays::kMaxRows rows, their values as one array per
// column. Measured with BenchTraceWriter --postgresql: statements of 100 rows with a bound value each kept the server
// busy parsing and evaluating the values (2,300 traces/s with their rollups; ~14,000/s as arrays).
Result<void> insertWithQtSql(const QSqlDatabase& connection, const Rows& rows)
{
    QSqlQuery insert(connection);
    for (qsizetype first = 0; first < rows.size(); first += ColumnArrays::kMaxRows) {
        ColumnArrays arrays(kColumns.size());
        for (qsizetype i = first; i < std::min(rows.size(), first + ColumnArrays::kMaxRows); ++i) {
            const Row values = rowOf(*rows.at(i));
            for (qsizetype column = 0; column < kColumns.size(); ++column)
                arrays.add(column, values[size_t(column)]);
        }
        if (!insert.prepare(
                QStringLiteral("INSERT INTO traces (%1) %2").arg(kColumns.join(QStringLiteral(", ")), arrays.select())))
            return Error::make(QStringLiteral("database"), insert.lastError().text());
        arrays.bindTo(insert);
        if (!insert.exec())
            return Error::make(QStringLiteral("database"), insert.lastError().text());
    }
    return {};
}

// The UTF-8 bytes stored for a text column of a record: what QString would store (invalid UTF-8 repaired, NUL as
// U+FFFD, see storable()), without the conversions when the bytes are plain ASCII, as they nearly always are.
QByteArray storedText(const QByteArray& bytes)
{
    const bool plain = std::none_of(bytes.begin(), bytes.end(), [](char c) { return c == 0 || uchar(c) >= 0x80; });
    return plain ? bytes : storable(QString::fromUtf8(bytes)).toUtf8();
}

QByteArray storedText(const QString& text)
{
    return storable(text).toUtf8();
}

// Binds the record's columns from `index` on (the statement's first is 1) and returns the index after them. The
// texts bound are appended to `texts`, which must outlive the statement's step (SQLITE_STATIC: SQLite does not copy
// them).
int bindRow(sqlite3_stmt* statement, int index, const TraceRecord& r, std::vector<QByteArray>& texts)
{
    const auto text = [&](QByteArray utf8, bool nullWhenEmpty) {
        ++index;
        if (nullWhenEmpty && utf8.isEmpty()) {
            sqlite3_bind_null(statement, index);
            return;
        }
        const QByteArray& bound = texts.emplace_back(std::move(utf8));
        sqlite3_bind_text(statement, index, bound.isNull() ? "" : bound.constData(), int(bound.size()), SQLITE_STATIC);
    };
    const auto number = [&](qint64 value) { sqlite3_bind_int64(statement, ++index, value); };
    const auto id = [&](qint64 value) {
        if (value > 0)
            sqlite3_bind_int64(statement, ++index, value);
        else
            sqlite3_bind_null(statement, ++index);
    };
    text(storedText(r.requestId), false);
    number(r.createdAtMs);
    id(r.gatewayKeyId);
    id(r.userId);
    id(r.providerTypeId);
    id(r.providerKeyId);
    text(storedText(r.method), false);
    text(storedText(r.path), false);
    text(storedText(r.model), true);
    number(r.status);
    number(r.success);
    text(storedText(r.errorKind), true);
    text(storedText(r.errorMessage), true);
    number(r.tokens.prompt);
    number(r.tokens.completion);
    number(r.tokens.total);
    number(r.tokens.cacheRead);
    number(r.tokens.cacheWrite);
    number(r.costMicros);
    number(r.durationMs);
    if (r.ttfbMs < 0)
        sqlite3_bind_null(statement, ++index);
    else
        number(r.ttfbMs);
    number(r.retries);
    number(r.streamed);
    text(storedText(r.clientAddress), true);
    return index;
}

sqlite3* sqliteHandle(const QSqlDatabase& connection)
{
    const QVariant handle = connection.driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

} // namespace

// SQLite through its C API on the handle QtSql holds (the same libsqlite3), each row bound straight from its record
// (the same values as rowOf(), which the QtSql path binds): about 3x less CPU per row than QSqlQuery. The writer
// inserts a row per proxied request, up to 16 rows per statement: SQLite opens and closes its cursors on the table
// and each index once per statement, half the cost of a one-row insert. Preparing an insert of many rows costs
// more than running it, so the statements are kept for as long as the writer's connection lives. The rollup rows of
// each batch go the same way, one upsert each.
//
// Between two statements the writer yields its CPU (sched_yield), a hint that lets a thread already waiting for that
// CPU go first. The writer wakes from a sleep with the scheduler's favour, so a proxy worker woken by its client during
// a batch would otherwise wait for the whole batch (about half a millisecond for 64 traces and their rollups, and a
// batch may hold 1,024): at one connection that was the p99 (tests/bench/run-gateway-bench.sh, 10 rounds: p99 3.67x
// nginx's without, 1.81x with; at 64 connections requests/s 0.70x without, 0.76x with). A yield is a system call, one
// per 16 rows and per 4 rollup rows (about the same work). Slices that short gave one connection's p99 1.80x nginx's
// against 2.27x with 32 rows and 16 rollup rows, and cost nothing measurable at 64 connections nor to the writer alone
// (BenchTraceWriter 120000 5: 101-108k traces/s written, 100-109k before). A yield per rollup row was too many: when
// keys are many a batch has a rollup row or more per trace, and those yields were a tenth of the writer's time
// (BenchTraceWriter --keys 2000,500).
// The batch stays one transaction, so SQLite's write lock is held across them.
class TraceWriter::SqliteInserts
{
public:
    // Outside a transaction, where SQLite honours the pragma.
    explicit SqliteInserts(sqlite3* handle) : m_handle(handle)
    {
        // A trace keeps the ids of the key, user and type it ran under; those rows are only ever soft-deleted, so
        // the foreign key checks (a b-tree lookup per reference, ~13% of an insert) could only ever refuse a whole
        // batch of traces over one row. Off for this connection, once: changing the pragma expires every prepared
        // statement of the connection.
        sqlite3_exec(handle, "PRAGMA foreign_keys=OFF", nullptr, nullptr, nullptr);
        // Each key's newest index entries and rollup rows are pages the next batch writes to again: with 2,000
        // gateway keys and 500 provider keys they outgrow SQLite's default cache of 2 MiB, and every batch read them
        // back from the file (BenchTraceWriter --keys 2000,500: 34k traces/s written with 2 MiB, 39k with 32 MiB).
        // The cache grows only as far as the pages touched.
        sqlite3_exec(handle, "PRAGMA cache_size=-32768", nullptr, nullptr, nullptr);
    }
    ~SqliteInserts()
    {
        for (sqlite3_stmt* statement : m_statements)
            sqlite3_finalize(statement);
        for (sqlite3_stmt* statement : m_upserts)
            sqlite3_finalize(statement);
    }

    sqlite3* handle() const { return m_handle; }

    Result<void> insert(const Rows& rows)
    {
        std::vector<QByteArray> texts;
        qsizetype first = 0;
        while (first < rows.size()) {
            // Runs of 16 rows, then one statement for each set bit of what is left: 8, 4, 2, 1.
            const qsizetype left = std::min(rows.size() - first, qsizetype(1) << kLargest);
            const int power = std::bit_width(quint64(left)) - 1;
            const qsizetype count = qsizetype(1) << power;
            if (first > 0)
                sched_yield();
            auto statement = prepared(power);
            if (!statement)
                return statement.error();
            int index = 0;
            for (qsizetype i = first; i < first + count; ++i)
                index = bindRow(*statement, index, *rows.at(i), texts);
            Q_ASSERT(index == int(count * kColumns.size()));
            const bool done = sqlite3_step(*statement) == SQLITE_DONE;
            sqlite3_reset(*statement);
            texts.clear();
            if (!done)
                return Error::make(QStringLiteral("database"), QString::fromUtf8(sqlite3_errmsg(m_handle)));
            first += count;
        }
        return {};
    }

    // The batch's rollup rows, one upsert each (StatsRollup::upsertStatement, for one row).
    Result<void> upsert(const StatsRollup& rollup)
    {
        Result<void> result;
        int rows = 0;
        rollup.forEach([&](const QString& table, const StatsRollup::Key& key, const StatsRollup::Values& values) {
            if (!result)
                return;
            if (rows++ % kUpsertsPerYield == 0)
                sched_yield(); // the batch's inserts came before
            sqlite3_stmt*& statement = m_upserts[table == QLatin1String("stats_hour") ? 1 : 0];
            if (!statement) {
                const QString row = QStringList(StatsRollup::columns().size(), QStringLiteral("?")).join(u", ");
                const QByteArray sql =
                    StatsRollup::upsertStatement(table, QStringLiteral("VALUES (%1)").arg(row)).toUtf8();
                if (sqlite3_prepare_v3(m_handle, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                       &statement, nullptr) != SQLITE_OK) {
                    result = Error::make(QStringLiteral("database"), QString::fromUtf8(sqlite3_errmsg(m_handle)));
                    return;
                }
            }
            const auto& [breakdown, start, user, gatewayKey, providerKey, model, kind] = key;
            const QByteArray modelText = model.toUtf8(), kindText = kind.toUtf8();
            int index = 0;
            for (const qint64 number : {qint64(breakdown), start, user, gatewayKey, providerKey})
                sqlite3_bind_int64(statement, ++index, number);
            sqlite3_bind_text(statement, ++index, modelText.constData(), int(modelText.size()), SQLITE_STATIC);
            sqlite3_bind_text(statement, ++index, kindText.constData(), int(kindText.size()), SQLITE_STATIC);
            for (const qint64 number : values)
                sqlite3_bind_int64(statement, ++index, number);
            const bool done = sqlite3_step(statement) == SQLITE_DONE;
            sqlite3_reset(statement);
            if (!done)
                result = Error::make(QStringLiteral("database"), QString::fromUtf8(sqlite3_errmsg(m_handle)));
        });
        return result;
    }

private:
    static constexpr int kLargest = 4; // 2^4 = 16 rows, 384 values
    // An upsert of a rollup row costs about what inserting three traces does (78 values, most of them added to;
    // callgrind: 52k instructions against 18k per trace).
    static constexpr int kUpsertsPerYield = 4;

    // The insert of 2^power rows.
    Result<sqlite3_stmt*> prepared(int power)
    {
        sqlite3_stmt*& statement = m_statements[size_t(power)];
        if (statement)
            return statement;
        const QByteArray sql = sqliteInsert(qsizetype(1) << power).toUtf8();
        if (sqlite3_prepare_v3(m_handle, sql.constData(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                               nullptr) != SQLITE_OK)
            return Error::make(QStringLiteral("database"), QString::fromUtf8(sqlite3_errmsg(m_handle)));
        return statement;
    }

    sqlite3* m_handle;
    std::array<sqlite3_stmt*, kLargest + 1> m_statements{};
    std::array<sqlite3_stmt*, 2> m_upserts{}; // stats_minute, stats_hour
};

TraceWriter::TraceWriter(Database& database, Options options)
    : m_database(database), m_options(options), m_retentionDays(options.retentionDays)
{
    m_thread.setObjectName(QStringLiteral("trace-writer"));
}

TraceWriter::~TraceWriter()
{
    stop();
    for (Node* list : {m_head.exchange(nullptr), std::exchange(m_retry, nullptr)}) {
        while (list)
            Node::destroy(std::exchange(list, list->next));
    }
}

void TraceWriter::start()
{
    if (m_thread.isRunning())
        return;
    m_flushTimer = std::make_unique<QTimer>();
    m_flushTimer->setInterval(m_options.flushIntervalMs);
    m_flushTimer->moveToThread(&m_thread);
    connect(m_flushTimer.get(), &QTimer::timeout, m_flushTimer.get(), [this] { flush(); });
    connect(&m_thread, &QThread::started, m_flushTimer.get(), qOverload<>(&QTimer::start));
    m_thread.start();
}

void TraceWriter::stop()
{
    if (!m_thread.isRunning())
        return;
    m_stopping = true;
    // The last flush runs on the writer thread while its event loop still runs, so the database connection it
    // uses is closed when the thread ends.
    QMetaObject::invokeMethod(
        m_flushTimer.get(),
        [this] {
            m_flushTimer->stop();
            flush();
            m_closed = true;
            m_sqliteInserts.reset(); // SQLite closes no connection with statements left
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

namespace {

// Moves a text's characters to `cursor` and makes the text a view of them. An empty text stays as it is: the writer
// tells a null text from an empty one.
template <typename Text> void moveTo(std::byte*& cursor, Text& text)
{
    if (text.isEmpty())
        return;
    const qsizetype size = text.size();
    auto* characters = reinterpret_cast<typename Text::value_type*>(cursor);
    std::memcpy(characters, text.constData(), size_t(size) * sizeof(*characters));
    cursor += size_t(size) * sizeof(*characters);
    text = Text::fromRawData(characters, size);
}

} // namespace

TraceWriter::Node* TraceWriter::Node::made(TraceRecord&& record)
{
    // UTF-16 first: the node's own alignment suits it.
    const size_t characters = size_t(record.model.size() + record.errorKind.size() + record.errorMessage.size() +
                                     record.clientAddress.size());
    const size_t bytes = size_t(record.requestId.size() + record.method.size() + record.path.size());
    static_assert(alignof(Node) >= alignof(char16_t));
    auto* block = static_cast<std::byte*>(::operator new(sizeof(Node) + characters * sizeof(char16_t) + bytes));
    Node* node = new (block) Node{std::move(record)};
    std::byte* cursor = block + sizeof(Node);
    TraceRecord& r = node->record;
    for (QString* text : {&r.model, &r.errorKind, &r.errorMessage, &r.clientAddress})
        moveTo(cursor, *text);
    for (QByteArray* text : {&r.requestId, &r.method, &r.path})
        moveTo(cursor, *text);
    return node;
}

void TraceWriter::Node::destroy(Node* node)
{
    node->~Node();
    ::operator delete(node);
}

void TraceWriter::submit(TraceRecord record)
{
    const qint64 waiting = m_queued.fetch_add(1, std::memory_order_relaxed);
    if (waiting >= m_options.maxQueued) {
        m_queued.fetch_sub(1, std::memory_order_relaxed);
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    Node* node = Node::made(std::move(record));
    node->next = m_head.load(std::memory_order_relaxed);
    while (!m_head.compare_exchange_weak(node->next, node, std::memory_order_release, std::memory_order_relaxed)) {
    }
    // The one submit that fills a batch wakes the writer (the count only passes each value once between flushes);
    // not while a refused batch waits: retries keep the timer's pace.
    if (waiting + 1 == m_options.flushRows && m_flushTimer && m_retrying.load(std::memory_order_relaxed) == 0)
        QMetaObject::invokeMethod(
            m_flushTimer.get(),
            [this] {
                if (!m_closed) // a wake-up posted while stop() wrote the last batch
                    flush();
            },
            Qt::QueuedConnection);
}

void TraceWriter::flush()
{
    // The list holds the newest first; reverse it so rows are written in submission order.
    Node* node = m_head.exchange(nullptr, std::memory_order_acquire);
    Node* oldestFirst = nullptr;
    qint64 taken = 0;
    while (node) {
        Node* next = node->next;
        node->next = oldestFirst;
        oldestFirst = node;
        node = next;
        ++taken;
    }
    m_queued.fetch_sub(taken, std::memory_order_relaxed);
    if (const quint64 dropped = m_dropped.load(std::memory_order_relaxed); dropped != m_droppedLogged) {
        qCWarning(lcStorage).noquote() << "dropped" << dropped - m_droppedLogged
                                       << "traces: the database is not keeping up, and" << m_options.maxQueued
                                       << "were waiting";
        m_droppedLogged = dropped;
    }
    // Rows that could not be written last time go first, so a database that was briefly away loses nothing.
    if (m_retry) {
        Node* tail = m_retry;
        while (tail->next)
            tail = tail->next;
        tail->next = oldestFirst;
        oldestFirst = std::exchange(m_retry, nullptr);
        m_retrying.store(0, std::memory_order_relaxed);
    }
    if (oldestFirst) {
        QElapsedTimer took;
        took.start();
        writeBatch(oldestFirst);
        const QMutexLocker lock(&m_batchMutex);
        m_batchSeconds.observe(took.nsecsElapsed() / 1e9);
    }

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const int retentionDays = m_retentionDays.load(std::memory_order_relaxed);
    if (retentionDays > 0 && now - m_lastPurgeMs >= kPurgeIntervalMs) {
        m_lastPurgeMs = now;
        purgeOlderThan(now - retentionDays * kDayMs);
    }
}

void TraceWriter::writeBatch(Node* oldestFirst)
{
    Rows rows; // oldest first
    for (Node* node = oldestFirst; node; node = node->next) {
        node->record.model = storedModel(node->record.model);
        rows.append(&node->record);
    }
    if (auto connection = m_database.connection()) {
        sqlite3* handle = sqliteHandle(*connection);
        if (handle && (!m_sqliteInserts || m_sqliteInserts->handle() != handle))
            m_sqliteInserts = std::make_unique<SqliteInserts>(handle);
    }
    auto written = m_database.transaction([&]() -> Result<void> {
        auto connection = m_database.connection();
        if (!connection)
            return connection.error();
        auto inserted = m_sqliteInserts ? m_sqliteInserts->insert(rows) : insertWithQtSql(*connection, rows);
        if (!inserted)
            return inserted;
        StatsRollup rollup;
        for (const TraceRecord* row : rows)
            rollup.add(*row, m_rollupModels.nameFor(*row));
        return m_sqliteInserts ? m_sqliteInserts->upsert(rollup) : rollup.write(*connection);
    });

    const quint64 batch = quint64(rows.size());
    if (written) {
        m_written.fetch_add(batch, std::memory_order_relaxed);
    } else if (batch <= kMaxRetainedRows && !m_stopping) {
        m_refusedBatches.fetch_add(1, std::memory_order_relaxed);
        qCWarning(lcStorage).noquote() << "cannot write" << batch
                                       << "traces yet, will retry:" << written.error().message;
        m_retry = std::exchange(oldestFirst, nullptr);
        m_retrying.store(qint64(batch), std::memory_order_relaxed);
    } else {
        m_failed.fetch_add(batch, std::memory_order_relaxed);
        qCCritical(lcStorage).noquote() << "lost" << batch << "traces: cannot write them:" << written.error().message;
    }
    while (oldestFirst)
        Node::destroy(std::exchange(oldestFirst, oldestFirst->next));
}

qint64 TraceWriter::purgeOlderThan(qint64 cutoffMs)
{
    // Cut at a whole hour, traces and rollups alike, so that what remains of both still agrees.
    const qint64 cut = cutoffMs - cutoffMs % kHourMs;
    qint64 count = 0;
    auto purged = m_database.transaction([&]() -> Result<void> {
        auto deleted = m_database.exec(QStringLiteral("DELETE FROM traces WHERE created_at < ?"), {cut});
        if (!deleted)
            return deleted.error();
        count = deleted->numRowsAffected();
        for (const QString& table : {QStringLiteral("stats_minute"), QStringLiteral("stats_hour")}) {
            if (auto rollups =
                    m_database.exec(QStringLiteral("DELETE FROM %1 WHERE bucket_start < ?").arg(table), {cut});
                !rollups)
                return rollups.error();
        }
        return {};
    });
    if (!purged) {
        qCWarning(lcStorage).noquote() << "trace purge failed:" << purged.error().message;
        return 0;
    }
    if (count > 0)
        qCInfo(lcStorage) << "purged" << count << "traces created before"
                          << QDateTime::fromMSecsSinceEpoch(cut, Qt::UTC);
    return count;
}
