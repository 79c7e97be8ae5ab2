#include "app/OpenFileLimit.h"

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
