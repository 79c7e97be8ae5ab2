#pragma once

#include <QByteArrayView>

// True when both hold the same bytes, in time that depends only on the lengths, never on the content (for
// signatures, MACs, token hashes). Lengths are not secret: different lengths return false after a full-length
// dummy comparison, so the first bytes are not compared early either.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
