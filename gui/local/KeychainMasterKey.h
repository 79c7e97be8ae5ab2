#pragma once

#include <QObject>
#include <QString>

#include <functional>

// The desktop's master key in the OS keychain, read or created on the GUI thread, asynchronously. QtKeychain answers
// through the main thread's GLib context, so the gateway's own thread must never use it: with no keychain on the
// session bus, a job run there crashed the app. The key text goes to the gateway's configuration instead.
//
// `done` gets the key (base64, as MasterKey::parse reads it) and true when it is in the keychain; an empty key when
// the gateway should use its key file: one exists already, no keychain answered, or the keychain holds no key
// while the data folder already holds a database (a new key could not read it: the gateway then says so).
class KeychainMasterKey : public QObject
{
    Q_OBJECT

public:
    explicit KeychainMasterKey(QObject* parent = nullptr) : QObject(parent) {}

    void fetch(const QString& dataDir, std::function<void(const QString& key, bool inKeychain)> done);

private:
    void create(std::function<void(const QString&, bool)> done);
};
