#pragma once

#include <QObject>
#include <QString>

#include <functional>

// Keeps a gateway's refresh token in the OS keychain (never in the settings file), so that the app signs in by
// itself at the next start. Where no keychain answers, the session lives only as long as the app: the user signs in
// with the password.
class SessionStore : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // `account` names one gateway and user (RemoteConnection::sessionAccount, or the local gateway's).
    void load(const QString& account, std::function<void(const QString& refreshToken)> done); // empty: none kept
    void save(const QString& account, const QString& refreshToken);                           // empty: forget it
};
