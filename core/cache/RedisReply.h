#pragma once

#include <QByteArray>
#include <QList>

// One Redis reply as a plain value. Status replies ("OK", "PONG") arrive as String; an error reply is a reply too
// (the command reached Redis and Redis refused it), unlike a failure (timeout, no connection), which is an Error.
struct RedisReply
{
    enum class Type { Nil, Integer, String, Array, Error };

    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string; // String and Error
    QList<RedisReply> elements;

    bool isNil() const { return type == Type::Nil; }
    bool isError() const { return type == Type::Error; }
};
