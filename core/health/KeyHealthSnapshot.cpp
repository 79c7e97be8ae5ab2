#include "health/KeyHealthSnapshot.h"

QString KeyHealthSnapshot::statusName(Status status)
{
    switch (status) {
    case Status::Healthy:
        return QStringLiteral("healthy");
    case Status::CoolingDown:
        return QStringLiteral("cooling_down");
    case Status::Ejected:
        return QStringLiteral("ejected");
    case Status::Invalid:
        return QStringLiteral("invalid");
    }
    return QString();
}
