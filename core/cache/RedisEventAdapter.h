#pragma once

#include <QObject>

struct redisAsyncContext;
class QSocketNotifier;

// Drives one hiredis async context from the Qt event loop of the current thread, replacing hiredis/adapters/qt.h,
// which touches the context after hiredis has freed it. hiredis calls cleanup() just before it frees the context
// (disconnect, failed connect, redisAsyncFree); from then on the adapter forgets the context and its notifiers are
// off, so nothing here can reach freed memory. Delete the adapter only outside hiredis calls.
class RedisEventAdapter : public QObject
{
    Q_OBJECT

public:
    explicit RedisEventAdapter(redisAsyncContext* context, QObject* parent = nullptr);
    ~RedisEventAdapter() override;

    bool attached() const { return m_context != nullptr; }

private:
    static void addRead(void* self);
    static void delRead(void* self);
    static void addWrite(void* self);
    static void delWrite(void* self);
    static void cleanup(void* self);

    void handleReadable();
    void handleWritable();

    redisAsyncContext* m_context;
    QSocketNotifier* m_read;
    QSocketNotifier* m_write;
};
