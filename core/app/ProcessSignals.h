#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGTERM and SIGINT (stop) and SIGHUP (reload the configuration) into Qt signals delivered on the event loop
// (the handler only writes to a pipe).
class ProcessSignals : public QObject
{
    Q_OBJECT

public:
    explicit ProcessSignals(QObject* parent = nullptr);
    ~ProcessSignals() override;

signals:
    void stopRequested(int signalNumber);
    void reloadRequested();

private:
    QSocketNotifier* m_notifier = nullptr;
};
