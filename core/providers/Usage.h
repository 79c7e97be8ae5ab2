#pragma once

#include <QString>

// Model and token counts of one response. promptTokens counts every input token, cached ones included.
struct Usage
{
    QString model;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;
    qint64 cacheReadTokens = 0;
    qint64 cacheWriteTokens = 0;
    bool sawUsage = false; // any token count was found
};
