#pragma once

#include "common/Result.h"

#include <QString>

// Where a Redis server is: redis://[:password@]host[:port][/db].
struct RedisUrl
{
    QString host;
    int port = 6379;
    QString password; // empty = no AUTH
    int db = 0;       // SELECTed after connecting when not 0

    static Result<RedisUrl> parse(const QString& text);
    QString toDisplayString() const; // for logs: the password never appears
};
