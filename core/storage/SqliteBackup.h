#pragma once

#include "common/Result.h"

#include <QString>

// A consistent copy of a SQLite database while it is in use, through SQLite's online backup API: the copy is the
// database as of one moment, writers on the source go on meanwhile (WAL), and the file is checked with
// `PRAGMA integrity_check` before it is called done. The copy holds what the database holds (sealed provider keys,
// password hashes): it is created owner-only (0600), and never over an existing file.
namespace SqliteBackup {

// Returns the size of the copy in bytes.
Result<qint64> copy(const QString& sourcePath, const QString& destinationPath);

} // namespace SqliteBackup
