#pragma once

#include "config/Config.h"

#include <QStringList>

// What `gatehoused --check` verifies without starting, creating nothing: the data directory is writable (or can be
// created), both ports can be bound, TLS files are readable, GATEHOUSE_ADMIN_PASSWORD meets the password policy, the
// database answers and its schema is not newer than this program, the master key found is the one the database's
// secrets were sealed with, Redis (when configured) answers PING. One clear line per problem; empty when all is well.
// A port that a gatehoused serving from this data directory holds, and keeps on reload, is not a problem.
namespace Preflight {
QStringList check(const Config& config);
// With a gatehoused serving from this data directory (RunningInstance): what a reload (SIGHUP, `systemctl reload`,
// or an edit of the config file) would apply now and what would wait for a restart; empty when none serves.
QStringList reloadReport(const Config& config);
} // namespace Preflight
