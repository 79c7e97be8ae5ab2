#include "app/OpenFileLimit.h"

#include "common/Logging.h"

#include <sys/resource.h>

OpenFileLimit::Limits OpenFileLimit::raise()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    Limits limits{limit.rlim_cur, limit.rlim_cur, limit.rlim_max};
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
            limits.now = limit.rlim_cur;
    }
    return limits;
}

void OpenFileLimit::warnIfBelowNeeds(const Limits& limits, int maxConnections)
{
    if (limits.now == 0 || limits.now >= needed(maxConnections))
        return;
    LogLine(lcApp(), QtWarningMsg, u"open-file limit below what limits.max_connections needs")
        .field("limit", qint64(limits.now))
        .field("needed", qint64(needed(maxConnections)))
        .field("fix", "raise the hard limit (LimitNOFILE= in the systemd unit, ulimit -Hn in a shell) or lower "
                      "limits.max_connections");
}
