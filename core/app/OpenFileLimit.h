#pragma once

#include <QtGlobal>

// The process's limit on open files. Every proxied request holds two descriptors while it runs (the client's
// connection and the provider's), so a shell's usual soft limit of 1024 would cap the gateway at about 500 streams,
// far below limits.max_connections. Like nginx (worker_rlimit_nofile) and Go's runtime, the gateway raises the soft
// limit to the hard one at start; the hard one is the operator's (LimitNOFILE= in the unit, ulimit -Hn).
namespace OpenFileLimit {

struct Limits
{
    quint64 before = 0; // the soft limit the process started with
    quint64 now = 0;    // the soft limit after raise()
    quint64 hard = 0;
};

// {} when the limit cannot be read.
Limits raise();

// Descriptors the gateway may need with `maxConnections` per listener: on the proxy each connection proxied to a
// provider (two each), on the admin listener one each, and the database, log and threads' own.
constexpr quint64 needed(int maxConnections)
{
    return 3 * quint64(maxConnections) + 256;
}

// Logs a warning when the limit `raise()` left is below what `maxConnections` needs.
void warnIfBelowNeeds(const Limits& limits, int maxConnections);

} // namespace OpenFileLimit
