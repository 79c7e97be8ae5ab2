#pragma once

#include <QStringList>

// Who the window is signed in as (GET /api/auth/me), so that it offers only what the role may do. The server still
// decides every call; this only spares the user buttons that would answer 403.
struct SignedInUser
{
    QString username;
    QString role;
    QStringList permissions;

    // True when the user holds any of `permissions` (a super_admin holds them all).
    bool mayAny(const QStringList& wanted) const;
};
