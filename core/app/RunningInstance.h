#pragma once

#include "config/ConfigLoader.h"

#include <optional>

// What a serving gateway leaves in its data directory (gatehoused.running, 0600, removed on a clean stop): its
// process id and the fingerprint of the configuration it runs with (digests only, never a value). `gatehoused
// --check` reads it to tell what a reload would apply, what would wait for a restart, and which ports the gateway
// itself holds.
namespace RunningInstance {

struct Found
{
    qint64 pid = 0;
    ConfigLoader::Fingerprint fingerprint;
};

QString path(const Config& config);
void write(const Config& config);
void remove(const Config& config);
// The gateway that wrote the file, when its process still runs.
std::optional<Found> find(const Config& config);

} // namespace RunningInstance
