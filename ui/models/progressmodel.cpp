#include "ui/models/progressmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/lamp.h"

#include <QDateTime>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::ui {

ProgressModel::ProgressModel(protocol::Client *client, std::function<qint64()> nowMs, QObject *parent)
    : RowTableModel({tr("Series"), tr("Reason"), tr("State"), tr("Progress"), tr("Filled"), tr("Missing"), tr("Rate"),
                     tr("ETA")},
                    parent)
    , m_nowMs(nowMs ? std::move(nowMs) : [] { return QDateTime::currentMSecsSinceEpoch(); })
{
    connect(client, &protocol::Client::progressReceived, this, &ProgressModel::applyFrame);
    client->watch(protocol::WatchTopic::Progress);
}

void ProgressModel::applyFrame(const QJsonObject &frame)
{
    const QJsonObject before = current(keyOf(frame));
    const bool sameRun = before.value("started_at_ms"_L1) == frame.value("started_at_ms"_L1);
    const qint64 previous = sameRun ? before.value("filled"_L1).toInteger() : 0;
    m_totalFilled += std::max<qint64>(0, frame.value("filled"_L1).toInteger() - previous);
    upsert(frame);
}

double ProgressModel::rate(const QJsonObject &row) const
{
    const qint64 started = row.value("started_at_ms"_L1).toInteger();
    const bool running = row.value("state"_L1).toString() == "running"_L1;
    const qint64 end = running ? m_nowMs() : row.value("updated_at_ms"_L1).toInteger();
    const double seconds = double(end - started) / 1000.0;
    if (started <= 0 || seconds < 1.0)
        return 0.0;
    return double(row.value("filled"_L1).toInteger()) / seconds;
}

qint64 ProgressModel::etaSeconds(const QJsonObject &row) const
{
    if (row.value("state"_L1).toString() != "running"_L1)
        return row.value("state"_L1).toString() == "succeeded"_L1 ? 0 : -1;
    const double perSecond = rate(row);
    const qint64 left = row.value("current_missing_candles"_L1).toInteger();
    if (left == 0)
        return 0;
    return perSecond > 0 ? qint64(std::ceil(double(left) / perSecond)) : -1;
}

QString ProgressModel::keyOf(const QJsonObject &row) const
{
    return row.value("series_id"_L1).toString();
}

QVariant ProgressModel::cell(const QJsonObject &row, int column, int role) const
{
    const double pct = row.value("progress_pct"_L1).toDouble();
    if (role == RawValueRole) {
        switch (column) {
        case SeriesColumn:
            return row.value("series_id"_L1).toString();
        case ReasonColumn:
            return row.value("reason"_L1).toString();
        case StateColumn:
            return row.value("state"_L1).toString();
        case ProgressColumn:
            return pct;
        case FilledColumn:
            return row.value("filled"_L1).toInteger();
        case MissingColumn:
            return row.value("current_missing_candles"_L1).toInteger();
        case RateColumn:
            return rate(row);
        case EtaColumn:
            return etaSeconds(row);
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && column >= ProgressColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column == StateColumn && !row.value("error"_L1).toString().isEmpty())
        return row.value("error"_L1).toString();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case SeriesColumn:
        return row.value("series_id"_L1).toString();
    case ReasonColumn:
        return lampReasonText(row.value("reason"_L1).toString());
    case StateColumn:
        return row.value("state"_L1).toString();
    case ProgressColumn:
        return u"%1 %"_s.arg(pct, 0, 'f', 1);
    case FilledColumn:
        return formatCount(row.value("filled"_L1).toInteger());
    case MissingColumn:
        return formatCount(row.value("current_missing_candles"_L1).toInteger());
    case RateColumn:
        return u"%1 bars/s"_s.arg(rate(row), 0, 'f', 1);
    case EtaColumn:
        return formatDuration(etaSeconds(row));
    default:
        return {};
    }
}

} // namespace gapless::ui
