#include "ui/models/healthmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/lamp.h"
#include "ui/models/commandsender.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::ui {

QVariant lampCell(const QJsonObject &health, int role)
{
    const Lamp lamp = lampFromName(health.value("lamp"_L1).toString());
    const QString reason = lampReasonText(health.value("reason"_L1).toString());
    switch (role) {
    case Qt::DisplayRole:
        return reason;
    case Qt::DecorationRole:
        return lampIcon(lamp);
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole:
        return u"%1 %2 lamp: %3"_s.arg(lampGlyph(lamp), health.value("lamp"_L1).toString(u"gray"_s), reason);
    case RowTableModel::RawValueRole:
        return static_cast<int>(lamp);
    default:
        return {};
    }
}

HealthModel::HealthModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Lamp"), tr("Series"), tr("Reason"), tr("Lag"), tr("Head (UTC)"), tr("Open errors")}, parent)
    , m_sender(new CommandSender(client, this))
{
    connect(client, &protocol::Client::healthReceived, this, [this](const QJsonObject &frame) { upsert(frame); });
    connect(client, &protocol::Client::helloReceived, this, &HealthModel::refresh);
    client->watch(protocol::WatchTopic::Health);
}

void HealthModel::refresh()
{
    m_sender->send(u"health"_s, {}, [this](bool ok, const QJsonValue &data, const Error &error) {
        if (!ok) {
            setStatusMessage(u"health: %1 (%2)"_s.arg(error.message, error.codeName()));
            return;
        }
        setStatusMessage({});
        const QJsonArray series = data.toObject().value("series"_L1).toArray();
        for (const QJsonValue &item : series)
            upsert(item.toObject());
    });
}

QString HealthModel::keyOf(const QJsonObject &row) const
{
    return row.value("series_id"_L1).toString();
}

QVariant HealthModel::cell(const QJsonObject &row, int column, int role) const
{
    if (column == LampColumn) {
        if (role == Qt::DisplayRole)
            return row.value("lamp"_L1).toString(u"gray"_s);
        return lampCell(row, role);
    }
    const QJsonValue head = row.value("head_time"_L1);
    const QJsonValue lag = row.value("lag_seconds"_L1);
    if (role == RawValueRole) {
        switch (column) {
        case SeriesColumn:
            return row.value("series_id"_L1).toString();
        case ReasonColumn:
            return row.value("reason"_L1).toString();
        case LagColumn:
            return lag.isDouble() ? lag.toInteger() : -1;
        case HeadColumn:
            return head.isDouble() ? head.toInteger() : -1;
        case ErrorsColumn:
            return row.value("open_errors"_L1).toInteger();
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && column >= LagColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case SeriesColumn:
        return row.value("series_id"_L1).toString();
    case ReasonColumn:
        return lampReasonText(row.value("reason"_L1).toString());
    case LagColumn:
        return lag.isDouble() ? formatDuration(lag.toInteger()) : u"—"_s;
    case HeadColumn:
        return head.isDouble() ? formatTime(head.toInteger()) : u"no data"_s;
    case ErrorsColumn:
        return row.value("open_errors"_L1).toInteger();
    default:
        return {};
    }
}

} // namespace gapless::ui
