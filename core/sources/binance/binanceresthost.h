#pragma once

#include "core/sources/binance/binancerestclient.h"

#include <QStringList>

class QTimer;

namespace gapless::sources {

/// The state BinanceRestClient keeps per host (spot, futures), shared by its two sources.
struct BinanceRestClient::Host
{
    Host(bool isFutures, QString baseUrl, int limit, int pct)
        : futures(isFutures), base(std::move(baseUrl)), budget(limit, pct)
    {
    }

    bool futures;
    QString base;
    ExchangeClock clock;
    WeightBudget budget;
    QQueue<RestWindow> queue;
    int inflight = 0;
    qint64 pausedUntilMs = 0;
    qint64 bannedUntilMs = 0; ///< SRC-6: the end of the last 418 ban
    bool pauseJournalled = false;
    bool timeKnown = false;     ///< the first /time reply came, or its attempts ran out
    bool timeRequested = false;
    int timeAttempts = 0;
    qint64 lastSyncMs = 0;
    QTimer *timer = nullptr;
};

struct BinanceRestClient::Range
{
    int windows = 0;
    int delivered = 0;
    QMap<int, RestWindowResult> done;
    QStringList errors;
};

} // namespace gapless::sources
