#pragma once

#include "core/domain/candle.h"
#include "core/protocol/client.h"

#include <QHash>
#include <QList>
#include <QString>

namespace gapless::test {

/// One `gap` frame as protocol::Client::gapReceived reports it.
struct AnnouncedGap
{
    qint64 expectedNextTime = 0;
    qint64 actualTime = 0;
    qint64 missingBars = 0;
    bool healed = false;
    int drops = 0; ///< ClientLog::drops when it arrived: the connection it came on
};

/// What one protocol::Client reported while a test ran, kept by ClientLog.
struct ClientLog
{
    QHash<QString, QList<AnnouncedGap>> gaps; ///< by series_id, in arrival order
    int drops = 0;                            ///< connections or attempts that ended
    int fetchesStarted = 0;                   ///< `gap healed:true` and `history_rewritten` seen
    int rangesMerged = 0;

    /// Records the client's signals into this log for as long as the client lives.
    void follow(protocol::Client &client);
    /// Every range fetch the client started has been merged (PROTO-31 "idle").
    [[nodiscard]] bool fetchesDone() const { return rangesMerged == fetchesStarted; }
};

/// How a client's held candles of one series compare with the store (PROTO-32).
struct StoreAgreement
{
    QString mismatch;  ///< empty if they agree: the first difference otherwise, with times and values
    CandleList unseen; ///< stored candles inside a hole announced to the client that it does not hold
};

/// Compares `held` with `stored` from the first held candle to the store's head: every held
/// candle is stored with the same values, the newest held is the head, every hole in `held` is
/// inside an announced unhealed gap, and every stored candle missing from `held` lies in such
/// a hole (it is then listed in `unseen`; anywhere else it is a mismatch).
[[nodiscard]] StoreAgreement compareWithStore(const CandleList &held, const CandleList &stored,
                                              const QList<AnnouncedGap> &gaps, qint64 tf);

/// The candles of `candles` with lo <= time <= hi.
[[nodiscard]] CandleList between(const CandleList &candles, qint64 lo, qint64 hi);

} // namespace gapless::test
