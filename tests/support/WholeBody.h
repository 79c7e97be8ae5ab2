#pragma once

#include "http/HttpExchange.h"

#include <functional>

// Reads the whole request body of an exchange, then calls `done` with it. The exchange owns it.
class WholeBody : public HttpExchange::Listener
{
public:
    using Done = std::function<void(HttpExchange* exchange, const QByteArray& body)>;

    static void read(HttpExchange* exchange, Done done)
    {
        exchange->setListener(std::unique_ptr<WholeBody>(new WholeBody(exchange, std::move(done))));
        exchange->resumeBody();
    }

private:
    WholeBody(HttpExchange* exchange, Done done) : m_exchange(exchange), m_done(std::move(done)) {}

    void bodyData(const QByteArray& data) override { m_body += data; }
    void bodyEnd() override { m_done(m_exchange, m_body); }

    HttpExchange* m_exchange;
    Done m_done;
    QByteArray m_body;
};
