#include "ui/panels/gapspanel.h"

#include "core/protocol/client.h"
#include "ui/models/commandsender.h"
#include "ui/models/gapsmodel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace gapless::ui {

GapsPanel::GapsPanel(GapsModel *model, protocol::Client *client, QWidget *parent)
    : TablePanel(model, tr("No holes: every stored series is contiguous."), parent)
    , m_model(model)
    , m_sender(new CommandSender(client, this))
    , m_backfill(addButton(tr("&Backfill"), tr("Fill the selected hole from files, the 1m roll-up and REST")))
    , m_repair(addButton(tr("Re&pair"), tr("Verify the selected range against the source and repair it")))
    , m_jobLabel(new QLabel(this))
    , m_bar(new QProgressBar(this))
{
    m_bar->setRange(0, 1000);
    m_bar->setMaximumWidth(160);
    m_bar->setAccessibleName(tr("Progress of the gap job"));
    m_bar->hide();
    m_jobLabel->setAccessibleName(tr("Gap job state"));
    buttonRow()->insertWidget(0, m_jobLabel);
    buttonRow()->insertWidget(1, m_bar);

    const auto update = [this] {
        const bool one = currentRow() >= 0;
        m_backfill->setEnabled(one);
        m_repair->setEnabled(one);
    };
    connect(this, &TablePanel::selectionChanged, this, update);
    connect(this, &TablePanel::currentRowChanged, this, [this](int row) {
        if (auto id = SeriesId::parse(m_model->seriesOf(row)))
            emit gapSelected(*id, m_model->firstMissingTime(row));
    });
    connect(m_backfill, &QPushButton::clicked, this, [this] { startJob(u"backfill"_s); });
    connect(m_repair, &QPushButton::clicked, this, [this] { startJob(u"repair"_s); });
    connect(client, &protocol::Client::progressReceived, this, &GapsPanel::showProgress);
    connect(client, &protocol::Client::jobReceived, this, &GapsPanel::showJob);
    // Followed live even when no jobs or progress panel watches these topics.
    client->watch(protocol::WatchTopic::Progress);
    client->watch(protocol::WatchTopic::Jobs);
    update();
}

void GapsPanel::startJob(const QString &command)
{
    const int row = currentRow();
    if (row < 0)
        return;
    const QString series = m_model->seriesOf(row);
    const qint64 from = m_model->firstMissingTime(row);
    const QJsonObject gap = m_model->rowObject(row);
    const qint64 next = gap.value("next_time"_L1).toInteger();
    const qint64 tf = from - gap.value("prev_time"_L1).toInteger();
    // backfill's `to` is the last slot (BF-22); repair's range is [from, to) (REP-1).
    const qint64 to = command == "backfill"_L1 ? next - tf : next;
    m_jobSeries = series;
    m_jobId.clear();
    m_jobLabel->setText(tr("%1 %2: sending…").arg(command, series));
    m_bar->setValue(0);
    m_bar->show();
    m_sender->send(
        command, QJsonObject{{u"series_id"_s, series}, {u"from"_s, from}, {u"to"_s, to}},
        [this, command](bool ok, const QJsonValue &data, const Error &error) {
            if (!ok) {
                m_bar->hide();
                m_jobLabel->setText(tr("%1 refused: %2 (%3)").arg(command, error.message, error.codeName()));
                return;
            }
            m_jobId = data.toObject().value("job_id"_L1).toString();
            m_jobLabel->setText(tr("%1 job %2 queued").arg(command, m_jobId));
        },
        CommandSender::newIdempotencyKey());
}

void GapsPanel::showProgress(const QJsonObject &frame)
{
    if (m_jobSeries.isEmpty() || frame.value("series_id"_L1).toString() != m_jobSeries)
        return;
    m_bar->show();
    m_bar->setValue(qRound(frame.value("progress_pct"_L1).toDouble() * 10.0));
    m_bar->setFormat(u"%1 %"_s.arg(frame.value("progress_pct"_L1).toDouble(), 0, 'f', 1));
    const QString state = frame.value("state"_L1).toString();
    m_jobLabel->setText(tr("%1: %2, %3 filled, %4 missing")
                            .arg(m_jobSeries, state)
                            .arg(frame.value("filled"_L1).toInteger())
                            .arg(frame.value("current_missing_candles"_L1).toInteger()));
}

void GapsPanel::showJob(const QJsonObject &frame)
{
    if (m_jobId.isEmpty() || frame.value("job_id"_L1).toString() != m_jobId)
        return;
    const QJsonObject progress = frame.value("progress"_L1).toObject();
    const qint64 total = progress.value("total"_L1).toInteger();
    if (total > 0)
        m_bar->setValue(int(1000 * progress.value("done"_L1).toInteger() / total));
    const QString state = frame.value("state"_L1).toString();
    m_jobLabel->setText(tr("job %1: %2 %3").arg(m_jobId, state, progress.value("note"_L1).toString()));
    if (state == "succeeded"_L1 || state == "failed"_L1 || state == "cancelled"_L1)
        m_bar->setValue(state == "succeeded"_L1 ? 1000 : m_bar->value());
}

} // namespace gapless::ui
