#pragma once

#include "common/Histogram.h"
#include "storage/RollupModels.h"
#include "storage/TraceRecord.h"

#include <QMutex>

#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

class Database;

// Writes traces in batches on its own thread and its own database connection: one transaction per batch is about
// ten times faster than one per row (docs/architecture.md). submit() is lock-free (a CAS push onto a list the writer
// takes whole), so the proxy workers never wait for SQL. stop() writes everything queued before it returns, so a
// graceful shutdown loses no trace. Each batch also adds its traffic to the statistics rollups (StatsRollup), in the
// same transaction. It purges traces and rollups older than the retention period, hourly. The queue is
// bounded (Options::maxQueued): when the database cannot keep up, further traces are dropped and counted, rather
// than the memory growing or a worker waiting.
class TraceWriter : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int flushIntervalMs = 100;
        // A batch is also written as soon as this many traces wait (0: by time only), which bounds a batch's memory
        // and its burst of CPU at high rates. Not fewer: each batch adds to the rollup rows of every key and model it
        // holds, so the rollups cost per batch, not per trace, and with many tenants they are most of the writer's
        // work (BenchTraceWriter 5000 with its 50 users, 20 provider keys and 8 models: 84-95 us of the writer's CPU
        // per trace at 64 rows, 38-42 at 1024, where batches go by time). A proxy worker sharing a core with the
        // writer does not wait for the batch, only for a slice of it (on SQLite, SqliteInserts yields): at one
        // connection run-gateway-bench's p99 was the same at 64 and at 1024 (10 interleaved rounds: 1.47x and 1.55x
        // nginx's). A writer that falls behind takes everything waiting at its next flush, so batches grow under
        // saturation.
        qint64 flushRows = 1024;
        int retentionDays = 30; // 0 keeps traces forever
        qint64 maxQueued = 200'000;
    };

    TraceWriter(Database& database, Options options);
    ~TraceWriter() override;

    void start();
    void stop(); // drains the queue, then joins the thread; idempotent

    void submit(TraceRecord record);
    // A reload: the next purge keeps this many days (0: all).
    void setRetentionDays(int days) { m_retentionDays.store(days, std::memory_order_relaxed); }

    quint64 written() const { return m_written.load(std::memory_order_relaxed); }
    quint64 failed() const { return m_failed.load(std::memory_order_relaxed); }
    // Traces refused because maxQueued were waiting already.
    quint64 dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    // Batches the database refused; their rows were kept for the next flush (up to 200,000 rows).
    quint64 refusedBatches() const { return m_refusedBatches.load(std::memory_order_relaxed); }
    // Traces submitted and not yet written: waiting for the writer, or kept after the database refused their batch.
    qint64 queued() const
    {
        return m_queued.load(std::memory_order_relaxed) + m_retrying.load(std::memory_order_relaxed);
    }
    // How long writing each batch took.
    Histogram batchSeconds() const
    {
        const QMutexLocker lock(&m_batchMutex);
        return m_batchSeconds;
    }

    // Deletes the traces and rollups before the whole hour at or before the cut-off; returns how many traces. Public
    // for tests.
    qint64 purgeOlderThan(qint64 cutoffMs);

private:
    class SqliteInserts;
    // A queued trace, in one allocation: its record's texts are views (fromRawData) into bytes that follow the node.
    // The writer then reads a trace from one block its worker wrote, and frees one block, instead of following and
    // releasing the record's separate strings, which other CPUs allocated and last touched (made() and destroy()).
    // Whatever the writer keeps of a text beyond the batch must be a deep copy.
    struct Node
    {
        TraceRecord record;
        Node* next = nullptr;

        static Node* made(TraceRecord&& record);
        static void destroy(Node* node);
    };

    void flush();
    void writeBatch(Node* oldestFirst);

    Database& m_database;
    Options m_options;
    std::atomic<int> m_retentionDays;
    QThread m_thread;
    // Lives on m_thread; kept until the writer is destroyed, so that a batch's wake-up posted by a submit racing
    // stop() lands on an object that still exists (and is dropped with it).
    std::unique_ptr<QTimer> m_flushTimer;
    bool m_closed = false; // on the writer thread: stop() wrote the last batch
    std::atomic<Node*> m_head{nullptr};
    std::atomic<qint64> m_queued{0};                // nodes in the m_head list
    std::atomic<qint64> m_retrying{0};              // nodes in m_retry
    Node* m_retry = nullptr;                        // writer thread only: a batch the database refused, oldest first
    std::unique_ptr<SqliteInserts> m_sqliteInserts; // writer thread only
    RollupModels m_rollupModels;                    // writer thread only
    std::atomic<bool> m_stopping{false};
    std::atomic<quint64> m_written{0};
    std::atomic<quint64> m_failed{0};
    std::atomic<quint64> m_refusedBatches{0};
    std::atomic<quint64> m_dropped{0};
    quint64 m_droppedLogged = 0; // writer thread only
    qint64 m_lastPurgeMs = 0;
    mutable QMutex m_batchMutex;
    Histogram m_batchSeconds;
};
