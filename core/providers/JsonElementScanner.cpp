#include "providers/JsonElementScanner.h"

#include <cstring>

JsonElementScanner::JsonElementScanner(qsizetype maxMemberBytes, qsizetype maxObjectBytes)
    : m_maxMemberBytes(maxMemberBytes), m_maxObjectBytes(maxObjectBytes)
{}

namespace {

bool isSpecial(char c)
{
    return c == '"' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':';
}

} // namespace

void JsonElementScanner::feed(QByteArrayView bytes, const Handler& onObject)
{
    const char* p = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        if (m_shape == Shape::Other)
            return;
        if (m_inString) {
            // Runs of string bytes are copied in one go: only the backslash and the closing quote matter.
            qsizetype j = i;
            if (m_escape) {
                m_escape = false;
                ++j;
            }
            while (j < n && p[j] != '"' && p[j] != '\\')
                ++j;
            if (j < n) {
                if (p[j] == '\\')
                    m_escape = true;
                else
                    m_inString = false;
                ++j;
            }
            append(p + i, j - i);
            i = j;
            continue;
        }
        const char c = p[i];
        if (c == '"') {
            if (m_shape == Shape::Unknown)
                m_shape = Shape::Other;
            m_inString = true;
            append(p + i, 1);
        } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':') {
            structural(p + i, onObject);
        } else if (m_shape == Shape::Unknown && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            m_shape = Shape::Other;
        } else { // a run of numbers, literals and white space: copied in one go
            qsizetype j = i + 1;
            while (j < n && !isSpecial(p[j]))
                ++j;
            append(p + i, j - i);
            i = j;
            continue;
        }
        ++i;
    }
    keepPending(); // the caller's buffer is gone after this returns
}

void JsonElementScanner::structural(const char* at, const Handler& onObject)
{
    const char c = *at;
    if (m_shape == Shape::Unknown) {
        m_shape = c == '{' ? Shape::Object : c == '[' ? Shape::Array : Shape::Other;
        m_objectDepth = m_shape == Shape::Object ? 0 : 1;
    }
    const int memberDepth = m_objectDepth + 1;
    if (c == '{' || c == '[') {
        if (c == '{' && m_depth == m_objectDepth) {
            m_collecting = true;
            m_dropObject = false;
            m_skippingMember = false;
            m_memberStart = -1;
            m_object.resize(0);
            m_pending = nullptr;
            m_pendingSize = 0;
        }
        ++m_depth;
        append(at, 1);
        return;
    }
    if (c == ':' || c == ',') {
        if (m_depth == memberDepth && m_skippingMember && c == ',')
            m_skippingMember = false;
        append(at, 1);
        if (m_depth == memberDepth)
            m_memberStart = c == ':' ? m_object.size() + m_pendingSize : -1;
        return;
    }
    // '}' or ']'
    --m_depth;
    if (m_depth == m_objectDepth && m_skippingMember)
        m_skippingMember = false;
    append(at, 1);
    if (m_depth == m_objectDepth && m_collecting && c == '}') {
        m_collecting = false;
        if (!m_dropObject) {
            if (m_object.isEmpty()) {
                onObject(QByteArrayView(m_pending, m_pendingSize));
            } else {
                keepPending();
                onObject(m_object);
            }
        }
        m_object.resize(0);
        m_pending = nullptr;
        m_pendingSize = 0;
    }
    if (m_depth < 0)
        m_shape = Shape::Other; // unbalanced: not JSON we can follow
}

void JsonElementScanner::append(const char* from, qsizetype size)
{
    if (!m_collecting || m_dropObject || m_skippingMember)
        return;
    if (m_pending && m_pending + m_pendingSize == from) {
        m_pendingSize += size;
    } else {
        keepPending();
        m_pending = from;
        m_pendingSize = size;
    }
    if (m_memberStart >= 0 && m_object.size() + m_pendingSize - m_memberStart > m_maxMemberBytes) {
        keepPending();
        m_object.truncate(m_memberStart);
        m_object.append("null");
        m_skippingMember = true;
        m_memberStart = -1;
    }
    if (m_object.size() + m_pendingSize > m_maxObjectBytes) {
        m_dropObject = true;
        m_object.clear();
        m_pending = nullptr;
        m_pendingSize = 0;
    }
}

void JsonElementScanner::keepPending()
{
    if (m_pendingSize > 0)
        m_object.append(m_pending, m_pendingSize);
    m_pending = nullptr;
    m_pendingSize = 0;
}
