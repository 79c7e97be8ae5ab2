#pragma once

#include "config/Config.h"

#include <QStringList>

// What `gatehoused --check` verifies without starting, creating nothing: the data directory is writable (or can be
// created), both ports can be bound, TLS files are readable, GATEHOUSE_ADMIN_PASSWORD meets the password policy, the
// database answers and its schema is not newer than this program, the master key found is the one the database's
// secrets were sealed with, Redis (when configured) answers PING. One clear line per problem; empty when all is well.
namespace Preflight {
QStringList check(const Config& config);
}
