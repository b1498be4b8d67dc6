#include "core/protocol/seriessubscriptions.h"

#include "core/protocol/clientframe.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

SeriesSubscriptions::Entry &SeriesSubscriptions::add(const SeriesId &series, std::optional<qint64> since)
{
    Entry &entry = m_entries[series.toString()];
    entry.series = series;
    entry.since = since;
    return entry;
}

bool SeriesSubscriptions::remove(const SeriesId &series, bool connected)
{
    if (m_entries.remove(series.toString()) == 0)
        return false;
    if (connected)
        ++m_pendingUnsubscribes[series.toString()];
    return true;
}

const SeriesSubscriptions::Entry *SeriesSubscriptions::find(const QString &seriesId) const
{
    const auto it = m_entries.constFind(seriesId);
    return it == m_entries.cend() ? nullptr : &*it;
}

SeriesSubscriptions::Entry *SeriesSubscriptions::active(const QString &seriesId)
{
    if (m_pendingUnsubscribes.contains(seriesId))
        return nullptr;
    const auto it = m_entries.find(seriesId);
    return it == m_entries.end() ? nullptr : &*it;
}

QList<SeriesId> SeriesSubscriptions::ids() const
{
    QList<SeriesId> ids;
    ids.reserve(m_entries.size());
    for (const Entry &entry : m_entries)
        ids.append(entry.series);
    return ids;
}

QJsonObject SeriesSubscriptions::subscribeFrame(const QString &seriesId)
{
    Entry &entry = m_entries[seriesId];
    ++entry.pendingAcks;
    entry.caughtUp = false;
    entry.rejected = false;
    const auto newest = entry.held.newestTime();
    ClientFrame frame;
    frame.type = MessageType::Subscribe;
    frame.series = entry.series;
    frame.hasSeries = true;
    frame.since = newest ? newest : entry.since;
    frame.supportsBatch = true;
    return encodeClientFrame(frame);
}

QList<QJsonObject> SeriesSubscriptions::subscribeFrames()
{
    QList<QJsonObject> frames;
    const QStringList ids = m_entries.keys();
    for (const QString &id : ids)
        frames.append(subscribeFrame(id));
    return frames;
}

bool SeriesSubscriptions::acknowledge(const QString &seriesId)
{
    const auto it = m_entries.find(seriesId);
    if (it == m_entries.end() || m_pendingUnsubscribes.contains(seriesId))
        return false;
    it->pendingAcks = std::max(0, it->pendingAcks - 1);
    if (it->pendingAcks > 0)
        return false;
    it->caughtUp = !it->rejected;
    return it->caughtUp;
}

bool SeriesSubscriptions::acknowledgeUnsubscribe(const QString &seriesId)
{
    const auto pending = m_pendingUnsubscribes.find(seriesId);
    if (pending != m_pendingUnsubscribes.end()) {
        if (--*pending == 0)
            m_pendingUnsubscribes.erase(pending);
        return false;
    }
    return m_entries.remove(seriesId) > 0;
}

void SeriesSubscriptions::reject(const QString &seriesId)
{
    const auto pending = m_pendingUnsubscribes.find(seriesId);
    if (pending != m_pendingUnsubscribes.end()) {
        if (--*pending == 0)
            m_pendingUnsubscribes.erase(pending);
        return;
    }
    const auto it = m_entries.find(seriesId);
    if (it == m_entries.end() || it->pendingAcks == 0)
        return;
    if (--it->pendingAcks == 0) {
        it->caughtUp = false;
        it->rejected = true;
    }
}

void SeriesSubscriptions::resetForConnection()
{
    m_pendingUnsubscribes.clear();
    for (Entry &entry : m_entries) {
        entry.pendingAcks = 0;
        entry.caughtUp = false;
        entry.rejected = false;
        entry.recheckHoles = !entry.openHoles.isEmpty();
    }
}

QList<std::pair<qint64, qint64>> SeriesSubscriptions::holeRanges(Entry &entry, qint64 maxBars)
{
    entry.recheckHoles = false;
    const qint64 tf = entry.series.timeframe().seconds();
    QList<std::pair<qint64, qint64>> ranges; // (expected_next_time of the first, actual_time of the last)
    for (auto it = entry.openHoles.cbegin(); it != entry.openHoles.cend(); ++it) {
        if (!ranges.isEmpty() && (it.value() - ranges.last().first) / tf <= maxBars)
            ranges.last().second = std::max(ranges.last().second, it.value());
        else
            ranges.append({it.key(), it.value()});
    }
    return ranges;
}

bool SeriesSubscriptions::allAnswered() const
{
    return std::all_of(m_entries.cbegin(), m_entries.cend(),
                       [](const Entry &entry) { return entry.caughtUp || entry.rejected; });
}

} // namespace gapless::protocol
