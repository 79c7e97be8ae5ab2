#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

// Finds the JSON objects a response body is made of while it streams by, holding only the current one: the whole
// body when it is an object, each top-level element when it is an array (Gemini's streamGenerateContent without
// alt=sse sends one array whose elements arrive one by one). A member of an object whose value grows past
// maxMemberBytes is replaced by null instead of being held (an embeddings "data" array can be tens of MiB while
// "usage" sits after it); an object still larger than maxObjectBytes is dropped.
class JsonElementScanner
{
public:
    static constexpr qsizetype kDefaultMaxMemberBytes = 256 * 1024;
    static constexpr qsizetype kDefaultMaxObjectBytes = 8 * 1024 * 1024;

    using Handler = std::function<void(QByteArrayView object)>;

    explicit JsonElementScanner(qsizetype maxMemberBytes = kDefaultMaxMemberBytes,
                                qsizetype maxObjectBytes = kDefaultMaxObjectBytes);

    void feed(QByteArrayView bytes, const Handler& onObject);

private:
    enum class Shape { Unknown, Object, Array, Other };

    void structural(const char* at, const Handler& onObject);
    void append(const char* from, qsizetype size);
    void keepPending();

    qsizetype m_maxMemberBytes;
    qsizetype m_maxObjectBytes;
    Shape m_shape = Shape::Unknown;
    int m_depth = 0;       // open { and [ outside strings
    int m_objectDepth = 0; // m_depth just before the '{' of the objects we collect
    bool m_inString = false;
    bool m_escape = false;
    bool m_collecting = false;
    bool m_skippingMember = false;
    bool m_dropObject = false;
    qsizetype m_memberStart = -1; // offset in the object where the current member's value starts
    // The object collected so far: m_object, then m_pendingSize bytes at m_pending in the buffer being fed. An object
    // that starts and ends within one feed() is handed out from that buffer, without a copy.
    QByteArray m_object;
    const char* m_pending = nullptr;
    qsizetype m_pendingSize = 0;
};
