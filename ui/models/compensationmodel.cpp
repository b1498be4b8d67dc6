#include "ui/models/compensationmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/models/commandsender.h"

#include <QColor>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

bool hasEnded(const QJsonObject &job)
{
    const QString state = job.value("state"_L1).toString();
    return state == "succeeded"_L1 || state == "failed"_L1 || state == "cancelled"_L1;
}

} // namespace

CompensationModel::CompensationModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Id"), tr("When (UTC)"), tr("Series"), tr("Source"), tr("Step"), tr("Status"), tr("Message")},
                    parent)
    , m_sender(new CommandSender(client, this))
{
    connect(client, &protocol::Client::ingestErrorReceived, this, &CompensationModel::rowReceived);
    connect(client, &protocol::Client::jobReceived, this, &CompensationModel::jobReceived);
    client->watch(protocol::WatchTopic::IngestErrors);
    client->watch(protocol::WatchTopic::Jobs);
}

void CompensationModel::rowReceived(const QJsonObject &frame)
{
    upsert(frame);
    // ING-11: a row that names the one it retried means that one is `retried` now; the topic
    // sends new rows only, so the panel marks the old one itself (D-UI-33).
    const QJsonValue retryOf = frame.value("retry_of"_L1);
    if (!retryOf.isDouble())
        return;
    QJsonObject retried = current(QString::number(retryOf.toInteger()));
    if (retried.isEmpty() || retried.value("status"_L1).toString() == "resolved"_L1)
        return;
    retried.insert(u"status"_s, u"retried"_s);
    upsert(retried);
}

bool CompensationModel::retry(int row)
{
    if (!canRetry(row))
        return false;
    const qint64 id = rowObject(row).value("id"_L1).toInteger();
    m_retrying.insert(id, QString());
    emit retryStateChanged();
    m_sender->send(
        u"retry_error"_s, QJsonObject{{u"id"_s, id}},
        [this, id](bool ok, const QJsonValue &data, const Error &error) { retryAnswered(id, ok, data, error); },
        CommandSender::newIdempotencyKey());
    touch(id);
    return true;
}

void CompensationModel::retryAnswered(qint64 id, bool ok, const QJsonValue &data, const Error &error)
{
    if (!ok) {
        m_retrying.remove(id);
        setStatusMessage(tr("Retry of error %1 failed: %2 (%3)").arg(id).arg(error.message, error.codeName()));
        emit retryStateChanged();
        touch(id);
        return;
    }
    const QString job = data.toObject().value("job_id"_L1).toString();
    if (const auto ended = m_endedJobs.constFind(job); ended != m_endedJobs.constEnd()) {
        retryEnded(id, *ended);
        m_endedJobs.clear();
        return;
    }
    m_retrying.insert(id, job);
    setStatusMessage(tr("Retry of error %1 running as job %2").arg(id).arg(job));
}

void CompensationModel::jobReceived(const QJsonObject &frame)
{
    if (frame.value("kind"_L1).toString() != "retry_error"_L1 || !hasEnded(frame))
        return;
    const QString job = frame.value("job_id"_L1).toString();
    for (auto it = m_retrying.constBegin(); it != m_retrying.constEnd(); ++it) {
        if (it.value() == job) {
            retryEnded(it.key(), frame);
            return;
        }
    }
    // The job may end before its command's answer arrives; keep it until then, if one is pending.
    if (std::any_of(m_retrying.cbegin(), m_retrying.cend(), [](const QString &j) { return j.isEmpty(); }))
        m_endedJobs.insert(job, frame);
}

void CompensationModel::retryEnded(qint64 id, const QJsonObject &job)
{
    m_retrying.remove(id);
    const QString jobId = job.value("job_id"_L1).toString();
    const QString state = job.value("state"_L1).toString();
    if (state == "succeeded"_L1) {
        // The core resolved the row; the topic sends new rows only, so the panel says so itself.
        QJsonObject row = current(QString::number(id));
        if (!row.isEmpty()) {
            row.insert(u"status"_s, u"resolved"_s);
            upsert(row);
            flush(); // Retry goes disabled with the row, not a tick later
        }
        setStatusMessage(tr("Error %1 resolved by job %2").arg(id).arg(jobId));
    } else {
        const QJsonObject error = job.value("error"_L1).toObject();
        setStatusMessage(tr("Retry of error %1 failed (job %2, %3): %4 (%5)")
                             .arg(id)
                             .arg(jobId, state, error.value("message"_L1).toString(),
                                  error.value("code"_L1).toString()));
    }
    emit retryStateChanged();
    touch(id);
}

void CompensationModel::touch(qint64 id)
{
    const int at = rowOfKey(QString::number(id));
    if (at >= 0)
        emit dataChanged(index(at, 0), index(at, ColumnCount - 1));
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
