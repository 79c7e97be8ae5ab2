#pragma once

#include <chrono>

// The monotonic time as of the current pass of this thread's event loop, for the many times a proxied request
// takes (its timeouts, its duration, its key's cooldowns): the clock is read when the loop wakes, not at each of them,
// as nginx's cached time and Envoy's approximate time do. A request read the clock 20 times (23 ns a read on this VM);
// without those reads gatehoused's CPU per request fell 4% (29.9 to 28.6 us, 12 interleaved pairs at 64 connections).
// EpollEventDispatcher reads it again every 16 events of a pass and before its timers, so a timeout that a handler
// starts fires early by what at most 16 handlers did before it: well under a millisecond, unless one of them worked
// through a request body of many megabytes.
// On a thread whose event dispatcher marks no passes (Qt's: the main thread, the desktop app's gateway thread), now()
// reads the clock.
class LoopClock
{
public:
    using Clock = std::chrono::steady_clock;

    static Clock::time_point now() { return t_pass != Clock::time_point{} ? t_pass : Clock::now(); }

    // From an event dispatcher on its own thread: a pass begins (its wait ended), or its loop is gone.
    static void beginPass() { t_pass = Clock::now(); }
    static void endPasses() { t_pass = {}; }

private:
    static inline thread_local constinit Clock::time_point t_pass{};
};
