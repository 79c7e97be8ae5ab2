#pragma once

#include <QStringList>

// Every log line of the test process from start() on (the trace writer's thread's too), still printed as usual, to
// check that no secret reaches the log.
//     RecordedLog::start();                          // in initTestCase
//     QVERIFY(!RecordedLog::text().contains(token));
namespace RecordedLog {

void start();
void stop(); // in cleanupTestCase
QStringList lines();
QString text(); // the lines joined

} // namespace RecordedLog
