#include "ui/models/gapsmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/models/commandsender.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

constexpr int kGapsLimit = 10000; // the command's default (PROTO gaps)

qint64 timeframeOf(const QString &seriesId)
{
    auto id = SeriesId::parse(seriesId);
    return id ? id->timeframe().seconds() : 60;
}

bool isFinished(const QJsonObject &frame)
{
    const QString state = frame.value("state"_L1).toString();
    return state == "succeeded"_L1 || state == "failed"_L1;
}

} // namespace

GapsModel::GapsModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Series"), tr("First missing (UTC)"), tr("Last missing (UTC)"), tr("Missing bars")}, parent)
    , m_sender(new CommandSender(client, this))
{
    connect(client, &protocol::Client::gapReceived, this, &GapsModel::applyGapFrame);
    const auto refreshFinished = [this](const QJsonObject &frame) {
        if (!isFinished(frame))
            return;
        if (auto id = SeriesId::parse(frame.value("series_id"_L1).toString()))
            requestGaps(*id);
    };
    connect(client, &protocol::Client::progressReceived, this, refreshFinished);
    connect(client, &protocol::Client::jobReceived, this, refreshFinished);
}

void GapsModel::requestGaps(const SeriesId &series)
{
    const QJsonObject args{{u"series_id"_s, series.toString()}, {u"limit"_s, kGapsLimit}};
    m_sender->send(u"gaps"_s, args, [this, series](bool ok, const QJsonValue &data, const Error &error) {
        if (!ok) {
            setStatusMessage(u"gaps of %1: %2"_s.arg(series.toString(), error.message));
            return;
        }
        setStatusMessage({});
        const QString id = series.toString();
        QStringList keys;
        for (const QJsonValue &item : data.toObject().value("gaps"_L1).toArray()) {
            QJsonObject row = item.toObject();
            row.insert(u"series_id"_s, id);
            keys << keyOf(row);
            upsert(row);
        }
        for (const QString &old : m_keysBySeries.value(id)) {
            if (!keys.contains(old))
                remove(old);
        }
        m_keysBySeries.insert(id, keys);
    });
}

void GapsModel::applyGapFrame(const SeriesId &series, qint64 expectedNext, qint64 actual, qint64 missing,
                              bool healed)
{
    const qint64 tf = series.timeframe().seconds();
    QJsonObject row{{u"series_id"_s, series.toString()},
                    {u"prev_time"_s, expectedNext - tf},
                    {u"next_time"_s, actual},
                    {u"missing_bars"_s, missing}};
    const QString key = keyOf(row);
    if (healed && current(key).isEmpty())
        return;
    if (!healed)
        m_keysBySeries[series.toString()].append(key);
    upsert(row);
}

qint64 GapsModel::firstMissingTime(int row) const
{
    const QJsonObject &gap = rowObject(row);
    return gap.value("prev_time"_L1).toInteger() + timeframeOf(gap.value("series_id"_L1).toString());
}

QString GapsModel::seriesOf(int row) const
{
    return rowObject(row).value("series_id"_L1).toString();
}

QString GapsModel::keyOf(const QJsonObject &row) const
{
    return row.value("series_id"_L1).toString() + u'|' + QString::number(row.value("prev_time"_L1).toInteger());
}

bool GapsModel::keeps(const QJsonObject &row) const
{
    return row.value("missing_bars"_L1).toInteger() > 0;
}

QVariant GapsModel::cell(const QJsonObject &row, int column, int role) const
{
    const qint64 tf = timeframeOf(row.value("series_id"_L1).toString());
    const qint64 first = row.value("prev_time"_L1).toInteger() + tf;
    const qint64 last = row.value("next_time"_L1).toInteger() - tf;
    if (role == RawValueRole) {
        switch (column) {
        case SeriesColumn:
            return row.value("series_id"_L1).toString();
        case FromColumn:
            return first;
        case ToColumn:
            return last;
        case MissingColumn:
            return row.value("missing_bars"_L1).toInteger();
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && column == MissingColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case SeriesColumn:
        return row.value("series_id"_L1).toString();
    case FromColumn:
        return formatTime(first);
    case ToColumn:
        return formatTime(last);
    case MissingColumn:
        return formatCount(row.value("missing_bars"_L1).toInteger());
    default:
        return {};
    }
}

} // namespace gapless::ui
