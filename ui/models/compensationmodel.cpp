#include "ui/models/compensationmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/models/commandsender.h"

#include <QColor>

using namespace Qt::StringLiterals;

namespace gapless::ui {

CompensationModel::CompensationModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Id"), tr("When (UTC)"), tr("Series"), tr("Source"), tr("Step"), tr("Status"), tr("Message")},
                    parent)
    , m_sender(new CommandSender(client, this))
{
    connect(client, &protocol::Client::ingestErrorReceived, this, [this](const QJsonObject &frame) { upsert(frame); });
    client->watch(protocol::WatchTopic::IngestErrors);
}

bool CompensationModel::retry(int row)
{
    if (!canRetry(row))
        return false;
    const qint64 id = rowObject(row).value("id"_L1).toInteger();
    m_retrying.insert(id);
    emit retryStateChanged();
    m_sender->send(
        u"retry_error"_s, QJsonObject{{u"id"_s, id}},
        [this, id](bool ok, const QJsonValue &data, const Error &error) {
            m_retrying.remove(id);
            if (ok)
                setStatusMessage(tr("Retry of error %1 queued as job %2")
                                     .arg(id)
                                     .arg(data.toObject().value("job_id"_L1).toString()));
            else
                setStatusMessage(tr("Retry of error %1 failed: %2 (%3)").arg(id).arg(error.message, error.codeName()));
            emit retryStateChanged();
            const int at = rowOfKey(QString::number(id));
            if (at >= 0)
                emit dataChanged(index(at, 0), index(at, ColumnCount - 1));
        },
        CommandSender::newIdempotencyKey());
    const int at = rowOfKey(QString::number(id));
    emit dataChanged(index(at, 0), index(at, ColumnCount - 1));
    return true;
}

bool CompensationModel::isRetrying(int row) const
{
    return m_retrying.contains(rowObject(row).value("id"_L1).toInteger());
}

bool CompensationModel::canRetry(int row) const
{
    return row >= 0 && row < rowCount() && !isRetrying(row)
           && rowObject(row).value("status"_L1).toString() != "resolved"_L1;
}

QString CompensationModel::keyOf(const QJsonObject &row) const
{
    return QString::number(row.value("id"_L1).toInteger());
}

QVariant CompensationModel::cell(const QJsonObject &row, int column, int role) const
{
    const QString status = m_retrying.contains(row.value("id"_L1).toInteger()) ? u"retrying…"_s
                                                                                 : row.value("status"_L1).toString();
    if (role == RawValueRole) {
        switch (column) {
        case IdColumn:
            return row.value("id"_L1).toInteger();
        case TimeColumn:
            return row.value("at_ms"_L1).toInteger();
        case StatusColumn:
            return status;
        default:
            break;
        }
    }
    if (role == Qt::ForegroundRole && column == StatusColumn && status == "open"_L1)
        return QColor(0xe0, 0x30, 0x30);
    if (role == Qt::ToolTipRole && column == MessageColumn) {
        const QString compensation = row.value("compensation_error"_L1).toString();
        return compensation.isEmpty() ? row.value("message"_L1).toString()
                                      : row.value("message"_L1).toString() + u"\ncompensation: "_s + compensation;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != RawValueRole)
        return {};
    switch (column) {
    case IdColumn:
        return row.value("id"_L1).toInteger();
    case TimeColumn:
        return formatWallMs(row.value("at_ms"_L1).toInteger());
    case SeriesColumn:
        return row.value("series_id"_L1).toString();
    case SourceColumn:
        return row.value("source"_L1).toString();
    case StepColumn:
        return row.value("step"_L1).toString();
    case StatusColumn:
        return status;
    case MessageColumn:
        return row.value("message"_L1).toString();
    default:
        return {};
    }
}

} // namespace gapless::ui
