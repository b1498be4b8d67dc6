#include "ui/panels/actionpanels.h"

#include "ui/models/compensationmodel.h"
#include "ui/models/jobsmodel.h"
#include "ui/models/reviewmodel.h"

#include <QPushButton>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace gapless::ui {

CompensationPanel::CompensationPanel(CompensationModel *model, QWidget *parent)
    : TablePanel(model, tr("No ingest failures journalled: every run so far committed or compensated cleanly."),
                 parent)
    , m_model(model)
    , m_retry(addButton(tr("&Retry"), tr("Run the failed step again (retry_error, ING-11)")))
{
    const auto update = [this] { m_retry->setEnabled(m_model->canRetry(currentRow())); };
    connect(this, &TablePanel::selectionChanged, this, update);
    connect(model, &CompensationModel::retryStateChanged, this, update);
    connect(m_retry, &QPushButton::clicked, this, [this] { m_model->retry(currentRow()); });
    update();
}

JobsPanel::JobsPanel(JobsModel *model, QWidget *parent)
    : TablePanel(model, tr("No jobs in the last hour. Backfill, repair and retry start one."), parent)
    , m_model(model)
    , m_cancel(addButton(tr("&Cancel job"), tr("Stop the job at its next batch boundary (job_cancel)")))
{
    const auto update = [this] { m_cancel->setEnabled(m_model->canCancel(currentRow())); };
    connect(this, &TablePanel::selectionChanged, this, update);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_model->cancel(currentRow()); });
    update();
}

ReviewPanel::ReviewPanel(ReviewModel *model, QWidget *parent)
    : TablePanel(model, tr("No open review items: repairs with the manual_review policy put differing bars here."),
                 parent)
    , m_model(model)
    , m_accept(addButton(tr("&Accept source"), tr("Overwrite the local bars with the source's (accept_source)")))
    , m_keep(addButton(tr("&Keep local"), tr("Keep the local bars and close the items (keep_local)")))
{
    setStretchColumn(ReviewModel::SeriesColumn);
    view()->setSelectionMode(QAbstractItemView::ExtendedSelection);
    const auto update = [this] {
        const bool any = !selectedRows().isEmpty();
        m_accept->setEnabled(any);
        m_keep->setEnabled(any);
    };
    connect(this, &TablePanel::selectionChanged, this, update);
    connect(m_accept, &QPushButton::clicked, this, [this] { m_model->resolve(selectedRows(), u"accept_source"_s); });
    connect(m_keep, &QPushButton::clicked, this, [this] { m_model->resolve(selectedRows(), u"keep_local"_s); });
    update();
}

} // namespace gapless::ui
