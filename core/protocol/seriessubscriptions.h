#pragma once

#include "core/domain/seriesid.h"
#include "core/protocol/heldcandles.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>

#include <optional>

namespace gapless::protocol {

/// The series a Client subscribes to, their held candles, and where each stands on the
/// current connection: subscribes sent and not yet answered, caught up, rejected
/// (PROTO-6, PROTO-29..31). Builds frames and never sees a socket.
class SeriesSubscriptions
{
public:
    struct Entry
    {
        SeriesId series;
        std::optional<qint64> since; ///< as given to Client::subscribe()
        HeldCandles held;
        int pendingAcks = 0;         ///< subscribes sent on this connection and not yet answered
        bool caughtUp = false;       ///< the answer to the last subscribe sent was `caught_up`
        bool rejected = false;       ///< the answer to the last subscribe sent was an `error`
        /// Holes announced unhealed (expected_next_time → actual_time): what a reconnect
        /// fetches again, since rows may have filled them while the client was away.
        QMap<qint64, qint64> openHoles;
        bool recheckHoles = false;   ///< a connection ended since the holes were last fetched
    };

    /// Adds `series`, or replaces the original `since` of a held one; its candles stay.
    Entry &add(const SeriesId &series, std::optional<qint64> since);
    /// Forgets `series` and its candles; false if it was not held. `connected`: an unsubscribe
    /// goes out, and frames of the series are stale until its `unsubscribed` (PROTO-24).
    bool remove(const SeriesId &series, bool connected);

    [[nodiscard]] const Entry *find(const QString &seriesId) const;
    /// The entry that frames naming `seriesId` feed: none while an unsubscribe of it awaits
    /// its ack, since until then they belong to the old subscription.
    [[nodiscard]] Entry *active(const QString &seriesId);
    [[nodiscard]] QList<SeriesId> ids() const;

    /// The subscribe frame for `series` (PROTO-30): since = the newest held closed time, else
    /// the original since; supports_batch true. Counts it as awaiting its answer.
    [[nodiscard]] QJsonObject subscribeFrame(const QString &seriesId);
    /// subscribeFrame() of every series, for a new connection.
    [[nodiscard]] QList<QJsonObject> subscribeFrames();

    /// `caught_up`: true if it answers the last subscribe sent, so the series is caught up.
    bool acknowledge(const QString &seriesId);
    /// `unsubscribed`: true if it was unasked for and the series is now forgotten.
    bool acknowledgeUnsubscribe(const QString &seriesId);
    /// An `error` naming the series: the answer to its oldest unanswered frame.
    void reject(const QString &seriesId);
    /// The connection ended: nothing sent on it will be answered.
    void resetForConnection();
    /// The ranges to fetch for `entry`'s open holes after a reconnect: nearby holes share a
    /// range of at most `maxBars` bars. Clears recheckHoles.
    [[nodiscard]] static QList<std::pair<qint64, qint64>> holeRanges(Entry &entry, qint64 maxBars);
    /// Whether every series' last subscribe has been answered (PROTO-29 live).
    [[nodiscard]] bool allAnswered() const;

private:
    QMap<QString, Entry> m_entries;
    QHash<QString, int> m_pendingUnsubscribes;
};

} // namespace gapless::protocol
