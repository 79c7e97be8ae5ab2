#pragma once

#include "http/HttpExchange.h"

#include <functional>

// Reads the whole request body of an exchange, then calls `done` with it. Lives as a child of the exchange.
class WholeBody : public QObject, private HttpExchange::Listener
{
public:
    using Done = std::function<void(HttpExchange* exchange, const QByteArray& body)>;

    static void read(HttpExchange* exchange, Done done) { new WholeBody(exchange, std::move(done)); }

private:
    WholeBody(HttpExchange* exchange, Done done) : QObject(exchange), m_exchange(exchange), m_done(std::move(done))
    {
        exchange->setListener(this);
        exchange->resumeBody();
    }

    void bodyData(const QByteArray& data) override { m_body += data; }
    void bodyEnd() override { m_done(m_exchange, m_body); }

    HttpExchange* m_exchange;
    Done m_done;
    QByteArray m_body;
};
