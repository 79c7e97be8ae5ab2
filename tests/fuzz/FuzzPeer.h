#pragma once

// What both fuzz targets do around the code under test: an application for the event loop, and the far end of a
// socket that sends the input in two pieces (so that state carried between reads is exercised too) and reads away
// whatever comes back.
#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstddef>
#include <cstdint>

#include <sys/socket.h>

namespace FuzzPeer {

inline void ensureApplication()
{
    static int argc = 1;
    static char name[] = "fuzz";
    static char* argv[] = {name, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("gatehouse.*.debug=false\ngatehouse.*.info=false"));
}

inline void drain(int fd)
{
    char sink[4096];
    while (::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
}

// Sends data through fd in two pieces; after each, runs the event loop a little (until done() says so) and drains fd.
template <typename Done> void sendInTwoPieces(int fd, const uint8_t* data, size_t size, Done done)
{
    const size_t split = size / 2;
    const char* bytes = reinterpret_cast<const char*>(data);
    for (const auto& [offset, length] : {std::pair{size_t(0), split}, std::pair{split, size - split}}) {
        size_t sent = 0;
        while (sent < length) {
            const ssize_t n = ::send(fd, bytes + offset + sent, length - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n <= 0)
                break;
            sent += size_t(n);
        }
        for (int i = 0; i < 4 && !done(); ++i) {
            QCoreApplication::processEvents();
            drain(fd);
        }
    }
}

} // namespace FuzzPeer
