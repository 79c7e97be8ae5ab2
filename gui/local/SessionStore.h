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
    explicit SessionStore(const QString& account, QObject* parent = nullptr);

    // Whose session load() and save() mean from now on (one per gateway and user).
    void setAccount(const QString& account) { m_account = account; }

    void load(std::function<void(const QString& refreshToken)> done); // empty when none is kept
    void save(const QString& refreshToken);                           // empty: forget it

private:
    QString m_account;
};
