#pragma once

#include <QString>

// Whether the desktop starts the app when the user logs in: an XDG autostart entry
// (~/.config/autostart/gatehouse.desktop) that starts it in the tray.
namespace StartAtLogin {

bool isOn();
// False when the entry could not be written or removed; `error` says why.
bool set(bool on, QString* error = nullptr);
QString entryFile();
// The entry's Exec line for `program`, quoted as the Desktop Entry specification wants it.
QString execLine(const QString& program);

} // namespace StartAtLogin
