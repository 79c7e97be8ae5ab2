#pragma once

#include <QtGlobal>

// The token counts of one response, as usage reports them and traces keep them.
struct TokenCounts
{
    qint64 prompt = 0; // every input token, cached ones included
    qint64 completion = 0;
    qint64 total = 0;
    qint64 cacheRead = 0;
    qint64 cacheWrite = 0;
};
