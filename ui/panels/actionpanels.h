#pragma once

#include "ui/panels/tablepanel.h"

class QPushButton;

namespace gapless::ui {

class CompensationModel;
class JobsModel;
class ReviewModel;

/// Ingest failures with Retry (UI-14 compensation): one `retry_error` per click with a new
/// key; the button stays disabled while that retry is in flight.
class CompensationPanel final : public TablePanel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompensationPanel)
public:
    explicit CompensationPanel(CompensationModel *model, QWidget *parent = nullptr);
    [[nodiscard]] QPushButton *retryButton() const { return m_retry; }

private:
    CompensationModel *m_model;
    QPushButton *m_retry;
};

/// Jobs with Cancel (UI-14 jobs, JOB-10).
class JobsPanel final : public TablePanel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPanel)
public:
    explicit JobsPanel(JobsModel *model, QWidget *parent = nullptr);
    [[nodiscard]] QPushButton *cancelButton() const { return m_cancel; }

private:
    JobsModel *m_model;
    QPushButton *m_cancel;
};

/// Open review items with Accept source / Keep local (UI-14 review, REP-10).
class ReviewPanel final : public TablePanel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewPanel)
public:
    explicit ReviewPanel(ReviewModel *model, QWidget *parent = nullptr);

private:
    ReviewModel *m_model;
    QPushButton *m_accept;
    QPushButton *m_keep;
};

} // namespace gapless::ui
