#include "cache/RedisEventAdapter.h"

#include <QSocketNotifier>

#include <hiredis/async.h>

RedisEventAdapter::RedisEventAdapter(redisAsyncContext* context, QObject* parent)
    : QObject(parent), m_context(context), m_read(new QSocketNotifier(context->c.fd, QSocketNotifier::Read, this)),
      m_write(new QSocketNotifier(context->c.fd, QSocketNotifier::Write, this))
{
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, &RedisEventAdapter::handleReadable);
    connect(m_write, &QSocketNotifier::activated, this, &RedisEventAdapter::handleWritable);
    context->ev.data = this;
    context->ev.addRead = &RedisEventAdapter::addRead;
    context->ev.delRead = &RedisEventAdapter::delRead;
    context->ev.addWrite = &RedisEventAdapter::addWrite;
    context->ev.delWrite = &RedisEventAdapter::delWrite;
    context->ev.cleanup = &RedisEventAdapter::cleanup;
}

RedisEventAdapter::~RedisEventAdapter()
{
    if (m_context) // the context outlives us: make sure hiredis never calls back into freed memory
        m_context->ev = {};
}

void RedisEventAdapter::addRead(void* self)
{
    static_cast<RedisEventAdapter*>(self)->m_read->setEnabled(true);
}

void RedisEventAdapter::delRead(void* self)
{
    static_cast<RedisEventAdapter*>(self)->m_read->setEnabled(false);
}

void RedisEventAdapter::addWrite(void* self)
{
    static_cast<RedisEventAdapter*>(self)->m_write->setEnabled(true);
}

void RedisEventAdapter::delWrite(void* self)
{
    static_cast<RedisEventAdapter*>(self)->m_write->setEnabled(false);
}

void RedisEventAdapter::cleanup(void* self)
{
    auto* adapter = static_cast<RedisEventAdapter*>(self);
    adapter->m_read->setEnabled(false);
    adapter->m_write->setEnabled(false);
    adapter->m_context = nullptr;
}

// hiredis may free the context inside these calls (cleanup() then clears m_context): touch nothing afterwards.
void RedisEventAdapter::handleReadable()
{
    if (m_context)
        redisAsyncHandleRead(m_context);
}

void RedisEventAdapter::handleWritable()
{
    if (m_context)
        redisAsyncHandleWrite(m_context);
}
