#include "ui/models/reviewmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/models/commandsender.h"

#include <QColor>
#include <QFont>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

QString fieldOf(int column)
{
    switch (column) {
    case ReviewModel::OpenColumn:
        return u"open"_s;
    case ReviewModel::HighColumn:
        return u"high"_s;
    case ReviewModel::LowColumn:
        return u"low"_s;
    case ReviewModel::CloseColumn:
        return u"close"_s;
    case ReviewModel::VolumeColumn:
        return u"volume"_s;
    default:
        return {};
    }
}

QString number(const QJsonValue &value)
{
    return value.isDouble() ? QString::number(value.toDouble(), 'g', 12) : u"—"_s;
}

} // namespace

ReviewModel::ReviewModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Id"), tr("Series"), tr("Bar (UTC)"), tr("Open"), tr("High"), tr("Low"), tr("Close"),
                     tr("Volume")},
                    parent)
    , m_sender(new CommandSender(client, this))
{
    connect(client, &protocol::Client::helloReceived, this, &ReviewModel::refresh);
    const auto refreshAfterRepair = [this](const QJsonObject &job) {
        const QString kind = job.value("kind"_L1).toString();
        if ((kind == "repair"_L1 || kind == "review_resolve"_L1) && job.value("state"_L1).toString() == "succeeded"_L1)
            refresh();
    };
    connect(client, &protocol::Client::jobReceived, this, refreshAfterRepair);
}

void ReviewModel::refresh()
{
    m_sender->send(u"review_list"_s, QJsonObject{{u"state"_s, u"open"_s}, {u"limit"_s, 1000}},
                   [this](bool ok, const QJsonValue &data, const Error &error) {
                       if (!ok) {
                           setStatusMessage(tr("Review queue: %1 (%2)").arg(error.message, error.codeName()));
                           return;
                       }
                       setStatusMessage({});
                       QList<QJsonObject> rows;
                       for (const QJsonValue &item : data.toObject().value("items"_L1).toArray())
                           rows.append(item.toObject());
                       resetRows(rows);
                   });
}

void ReviewModel::resolve(const QList<int> &rows, const QString &action)
{
    QJsonArray ids;
    for (const int row : rows)
        ids.append(rowObject(row).value("id"_L1).toInteger());
    if (ids.isEmpty())
        return;
    const QJsonObject args{{u"ids"_s, ids}, {u"action"_s, action}};
    m_sender->send(
        u"review_resolve"_s, args,
        [this, ids, action](bool ok, const QJsonValue &, const Error &error) {
            if (!ok) {
                setStatusMessage(tr("%1 failed: %2 (%3)").arg(action, error.message, error.codeName()));
                return;
            }
            setStatusMessage(tr("%1: %n item(s) resolved", nullptr, int(ids.size())).arg(action));
            for (const QJsonValue &id : ids)
                remove(QString::number(id.toInteger()));
        },
        CommandSender::newIdempotencyKey());
}

QString ReviewModel::keyOf(const QJsonObject &row) const
{
    return QString::number(row.value("id"_L1).toInteger());
}

bool ReviewModel::keeps(const QJsonObject &row) const
{
    return row.value("state"_L1).toString(u"open"_s) == "open"_L1;
}

QVariant ReviewModel::cell(const QJsonObject &row, int column, int role) const
{
    const QString field = fieldOf(column);
    const QJsonValue local = row.value("local_json"_L1).toObject().value(field);
    const QJsonValue source = row.value("source_json"_L1).toObject().value(field);
    const bool differs = !field.isEmpty() && local != source;
    if (role == DiffersRole)
        return differs;
    if (differs && role == Qt::BackgroundRole)
        return QColor(0xf0, 0xb4, 0x00, 90);
    if (differs && role == Qt::FontRole) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == RawValueRole) {
        if (column == IdColumn)
            return row.value("id"_L1).toInteger();
        if (column == TimeColumn)
            return row.value("candle_time"_L1).toInteger();
        return field.isEmpty() ? QVariant(row.value("series_id"_L1).toString()) : QVariant(source.toDouble());
    }
    if (role == Qt::ToolTipRole && !field.isEmpty())
        return differs ? tr("%1 differs: local %2, source %3").arg(field, number(local), number(source))
                       : tr("%1 equal: %2").arg(field, number(local));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case IdColumn:
        return row.value("id"_L1).toInteger();
    case SeriesColumn:
        return row.value("series_id"_L1).toString();
    case TimeColumn:
        return formatTime(row.value("candle_time"_L1).toInteger());
    default:
        return differs ? u"%1 → %2"_s.arg(number(local), number(source)) : number(local);
    }
}

} // namespace gapless::ui
