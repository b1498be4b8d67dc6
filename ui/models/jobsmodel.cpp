#include "ui/models/jobsmodel.h"

#include "core/protocol/client.h"
#include "ui/format.h"
#include "ui/models/commandsender.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

bool isActive(const QJsonObject &job)
{
    const QString state = job.value("state"_L1).toString();
    return state == "queued"_L1 || state == "running"_L1;
}

} // namespace

JobsModel::JobsModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Job"), tr("Kind"), tr("Series"), tr("State"), tr("Progress"), tr("Phase"), tr("Error")},
                    parent)
    , m_sender(new CommandSender(client, this))
{
    connect(client, &protocol::Client::jobReceived, this, [this](const QJsonObject &frame) { upsert(frame); });
    connect(client, &protocol::Client::helloReceived, this, &JobsModel::refresh);
    const auto count = [this] { emit activeCountChanged(activeCount()); };
    connect(this, &QAbstractItemModel::rowsInserted, this, count);
    connect(this, &QAbstractItemModel::rowsRemoved, this, count);
    connect(this, &QAbstractItemModel::dataChanged, this, count);
    connect(this, &QAbstractItemModel::modelReset, this, count);
    client->watch(protocol::WatchTopic::Jobs);
}

void JobsModel::refresh()
{
    m_sender->send(u"jobs_list"_s, QJsonObject{{u"limit"_s, 200}},
                   [this](bool ok, const QJsonValue &data, const Error &error) {
                       if (!ok) {
                           setStatusMessage(tr("Job history: %1 (%2)").arg(error.message, error.codeName()));
                           return;
                       }
                       setStatusMessage({});
                       for (const QJsonValue &item : data.toObject().value("items"_L1).toArray())
                           upsert(item.toObject());
                   });
}

void JobsModel::cancel(int row)
{
    if (!canCancel(row))
        return;
    const QString id = keyOf(rowObject(row));
    m_sender->send(u"job_cancel"_s, QJsonObject{{u"job_id"_s, id}}, [this, id](bool ok, const QJsonValue &, const Error &e) {
        setStatusMessage(ok ? tr("Job %1: cancel requested").arg(id)
                            : tr("Cancel of job %1 failed: %2 (%3)").arg(id, e.message, e.codeName()));
    });
}

bool JobsModel::canCancel(int row) const
{
    return row >= 0 && row < rowCount() && isActive(rowObject(row));
}

int JobsModel::activeCount() const
{
    int n = 0;
    for (int row = 0; row < rowCount(); ++row)
        n += isActive(rowObject(row)) ? 1 : 0;
    return n;
}

QString JobsModel::keyOf(const QJsonObject &row) const
{
    const QJsonValue id = row.value("job_id"_L1);
    return id.isString() ? id.toString() : QString::number(id.toInteger());
}

QVariant JobsModel::cell(const QJsonObject &row, int column, int role) const
{
    const QJsonObject progress = row.value("progress"_L1).toObject();
    const qint64 done = progress.value("done"_L1).toInteger();
    const QJsonValue total = progress.value("total"_L1);
    if (role == RawValueRole && column == ProgressColumn)
        return total.isDouble() && total.toInteger() > 0 ? 100.0 * double(done) / double(total.toInteger()) : -1.0;
    if (role == RawValueRole && column == IdColumn)
        return keyOf(row).toLongLong();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != RawValueRole)
        return {};
    switch (column) {
    case IdColumn:
        return keyOf(row);
    case KindColumn:
        return row.value("kind"_L1).toString();
    case SeriesColumn:
        return row.value("series_id"_L1).toString();
    case StateColumn:
        return row.value("state"_L1).toString();
    case ProgressColumn: {
        const QString unit = progress.value("unit"_L1).toString();
        if (total.isDouble())
            return u"%1 / %2 %3"_s.arg(formatCount(done), formatCount(total.toInteger()), unit);
        return u"%1 %2"_s.arg(formatCount(done), unit);
    }
    case NoteColumn:
        return progress.value("note"_L1).toString();
    case ErrorColumn: {
        const QJsonObject error = row.value("error"_L1).toObject();
        return error.isEmpty() ? QString() : u"%1: %2"_s.arg(error.value("code"_L1).toString(),
                                                              error.value("message"_L1).toString());
    }
    default:
        return {};
    }
}

} // namespace gapless::ui
