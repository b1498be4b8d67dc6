#pragma once

namespace gapless::sources {

class ReplayClock;
class ReplayFaults;
class ReplayFeed;
class ReplayWeights;
struct ReplayCounters;

/// What the REST routes and the streams of one replay exchange share; the exchange owns it all.
struct ReplayContext
{
    const ReplayClock &clock;
    const ReplayFeed &feed;
    ReplayFaults &faults;
    ReplayWeights &weights;
    ReplayCounters &counters;
};

} // namespace gapless::sources
