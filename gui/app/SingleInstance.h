#pragma once

#include <QLocalServer>
#include <QObject>

// One desktop app per user: the first instance listens on a local socket; a later one finds it there, asks it to
// show its window, and leaves.
class SingleInstance : public QObject
{
    Q_OBJECT

public:
    explicit SingleInstance(const QString& name, QObject* parent = nullptr);

    // True when this is the first instance (it now listens); false when another one answered and was asked to show.
    bool claim();

signals:
    void activationRequested(); // a later instance was started

private:
    QString m_name;
    QLocalServer m_server;
};
