#include "ui/models/serieslistmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/lamp.h"
#include "ui/models/commandsender.h"
#include "ui/models/healthmodel.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::ui {

SeriesListModel::SeriesListModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Health"), tr("Series"), tr("Lag")}, parent)
    , m_sender(new CommandSender(client, this))
{
    connect(client, &protocol::Client::healthReceived, this, &SeriesListModel::mergeHealth);
    connect(client, &protocol::Client::helloReceived, this, &SeriesListModel::refresh);
    client->watch(protocol::WatchTopic::Health);
}

void SeriesListModel::refresh()
{
    m_sender->send(u"series_list"_s, {}, [this](bool ok, const QJsonValue &data, const Error &error) {
        if (!ok) {
            setStatusMessage(u"series_list: %1"_s.arg(error.message));
            emit listFailed(error.message);
            return;
        }
        setStatusMessage({});
        QStringList ids;
        for (const QJsonValue &item : data.toObject().value("series"_L1).toArray()) {
            QJsonObject row = current(item.toObject().value("series_id"_L1).toString());
            const QJsonObject info = item.toObject();
            for (auto it = info.begin(); it != info.end(); ++it)
                row.insert(it.key(), it.value());
            ids << row.value("series_id"_L1).toString();
            upsert(row);
        }
        ids.sort();
        m_ids = ids;
        m_listed = true;
        flush();
        emit seriesListed(ids);
    });
    m_sender->send(u"health"_s, {}, [this](bool ok, const QJsonValue &data, const Error &) {
        if (!ok)
            return;
        for (const QJsonValue &item : data.toObject().value("series"_L1).toArray())
            mergeHealth(item.toObject());
    });
}

void SeriesListModel::mergeHealth(const QJsonObject &health)
{
    const QString key = health.value("series_id"_L1).toString();
    QJsonObject row = current(key);
    if (row.isEmpty() && !m_ids.contains(key))
        m_ids.append(key);
    for (auto it = health.begin(); it != health.end(); ++it)
        row.insert(it.key(), it.value());
    upsert(row);
}

QString SeriesListModel::keyOf(const QJsonObject &row) const
{
    return row.value("series_id"_L1).toString();
}

QVariant SeriesListModel::cell(const QJsonObject &row, int column, int role) const
{
    const QJsonValue lag = row.value("lag_seconds"_L1);
    switch (column) {
    case LampColumn:
        return lampCell(row, role);
    case SeriesColumn:
        if (role == Qt::DisplayRole || role == RawValueRole)
            return row.value("series_id"_L1).toString();
        if (role == Qt::ToolTipRole) {
            const QJsonValue head = row.value("head_time"_L1);
            return u"%1\n%2 bars, head %3"_s.arg(row.value("series_id"_L1).toString(),
                                                 formatCount(row.value("count"_L1).toInteger()),
                                                 head.isDouble() ? formatTime(head.toInteger()) : u"none"_s);
        }
        return {};
    case LagColumn:
        if (role == RawValueRole)
            return lag.isDouble() ? lag.toInteger() : -1;
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return lag.isDouble() ? formatDuration(lag.toInteger()) : u"—"_s;
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

} // namespace gapless::ui
