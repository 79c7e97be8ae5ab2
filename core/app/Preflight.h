#pragma once

#include "config/Config.h"

#include <QStringList>

// What `gatehoused --check` verifies without starting: the data directory is writable, both ports can be bound,
// TLS files are readable, the database is reachable. One clear line per problem; empty when all is well.
namespace Preflight {
QStringList check(const Config& config);
}
