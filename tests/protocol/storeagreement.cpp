#include "storeagreement.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::test {

namespace {

QString describe(const Candle &c)
{
    return u"{time %1, o %2, h %3, l %4, c %5, v %6}"_s.arg(c.time)
        .arg(c.open, 0, 'g', 17)
        .arg(c.high, 0, 'g', 17)
        .arg(c.low, 0, 'g', 17)
        .arg(c.close, 0, 'g', 17)
        .arg(c.volume, 0, 'g', 17);
}

// Whether the hole between held candles p and n lies inside a gap announced unhealed.
bool announced(const QList<AnnouncedGap> &gaps, qint64 p, qint64 n, qint64 tf)
{
    return std::any_of(gaps.cbegin(), gaps.cend(), [&](const AnnouncedGap &g) {
        return !g.healed && g.expectedNextTime <= p + tf && g.actualTime >= n;
    });
}

} // namespace

void ClientLog::follow(protocol::Client &client)
{
    using protocol::Client;
    QObject::connect(&client, &Client::gapReceived, &client,
                     [this](const SeriesId &series, qint64 expected, qint64 actual, qint64 missing, bool healed) {
                         gaps[series.toString()].append({expected, actual, missing, healed, drops});
                         if (healed)
                             ++fetchesStarted;
                     });
    QObject::connect(&client, &Client::systemEvent, &client, [this](const QString &event) {
        if (event == "history_rewritten"_L1)
            ++fetchesStarted;
    });
    QObject::connect(&client, &Client::rangeMerged, &client, [this] { ++rangesMerged; });
    QObject::connect(&client, &Client::reconnectScheduled, &client, [this] { ++drops; });
}

StoreAgreement compareWithStore(const CandleList &held, const CandleList &stored, const QList<AnnouncedGap> &gaps,
                                qint64 tf)
{
    StoreAgreement out;
    if (held.isEmpty() || stored.isEmpty()) {
        out.mismatch = u"client holds %1 candles, the store %2; expected both to hold some"_s.arg(held.size())
                           .arg(stored.size());
        return out;
    }
    if (held.constLast().time != stored.constLast().time) {
        out.mismatch = u"newest held candle %1; expected the store's head %2"_s.arg(held.constLast().time)
                           .arg(stored.constLast().time);
        return out;
    }
    for (qsizetype i = 1; i < held.size(); ++i) {
        const qint64 p = held.at(i - 1).time;
        const qint64 n = held.at(i).time;
        if (n - p > tf && !announced(gaps, p, n, tf)) {
            out.mismatch = u"held candles %1 and %2: a hole that no gap announced"_s.arg(p).arg(n);
            return out;
        }
    }
    auto s = std::lower_bound(stored.cbegin(), stored.cend(), held.constFirst().time,
                              [](const Candle &c, qint64 t) { return c.time < t; });
    for (qsizetype i = 0; i < held.size();) {
        const Candle &h = held.at(i);
        if (s == stored.cend() || s->time > h.time) {
            out.mismatch = u"held %1 is not in the store"_s.arg(describe(h));
            return out;
        }
        if (s->time == h.time) {
            if (!(*s == h)) {
                out.mismatch = u"held %1; stored %2"_s.arg(describe(h), describe(*s));
                return out;
            }
            ++s;
            ++i;
            continue;
        }
        // A stored candle the client lacks: i > 0, since the walk starts at the first held time.
        if (!announced(gaps, held.at(i - 1).time, h.time, tf)) {
            out.mismatch = u"stored %1 is missing between held %2 and %3, in no announced hole"_s
                               .arg(describe(*s))
                               .arg(held.at(i - 1).time)
                               .arg(h.time);
            return out;
        }
        out.unseen.append(*s);
        ++s;
    }
    return out;
}

CandleList between(const CandleList &candles, qint64 lo, qint64 hi)
{
    CandleList out;
    for (const Candle &c : candles) {
        if (c.time >= lo && c.time <= hi)
            out.append(c);
    }
    return out;
}

} // namespace gapless::test
