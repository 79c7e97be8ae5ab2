#include "http/Graveyard.h"

#include "http/HttpExchange.h"

#include <QCoreApplication>
#include <QEvent>

Graveyard::Graveyard(QObject* parent) : QObject(parent) {}

Graveyard::~Graveyard() = default;

void Graveyard::bury(std::unique_ptr<HttpExchange> exchange)
{
    m_buried.push_back(std::move(exchange));
    if (!std::exchange(m_sweepPosted, true))
        QCoreApplication::postEvent(this, new QEvent(QEvent::User));
}

void Graveyard::customEvent(QEvent* event)
{
    if (event->type() != QEvent::User)
        return;
    m_sweepPosted = false;
    // Deleting an exchange deletes its handler objects, which may end and bury others: those wait for the next sweep.
    std::vector<std::unique_ptr<HttpExchange>> buried;
    buried.swap(m_buried);
    buried.clear();
    if (m_buried.empty())
        m_buried.swap(buried); // its room serves the next pass
}
