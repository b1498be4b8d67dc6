#pragma once

#include "core/domain/seriesid.h"
#include "ui/panels/tablepanel.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;
class GapsModel;

/// The gap inspector (UI-14 gaps): every hole per series; selecting one moves the chart to
/// it; Backfill and Repair send the job commands for the hole's range with a new key each and
/// follow the job live (progress and job frames) until it ends and the gap leaves.
class GapsPanel final : public TablePanel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GapsPanel)
public:
    GapsPanel(GapsModel *model, protocol::Client *client, QWidget *parent = nullptr);

    [[nodiscard]] QPushButton *backfillButton() const { return m_backfill; }
    [[nodiscard]] QPushButton *repairButton() const { return m_repair; }
    [[nodiscard]] QLabel *jobLabel() const { return m_jobLabel; }

signals:
    /// A gap was selected: show `series` at its first missing bar.
    void gapSelected(const gapless::SeriesId &series, qint64 time);

private:
    void startJob(const QString &command);
    void showProgress(const QJsonObject &frame);
    void showJob(const QJsonObject &frame);

    GapsModel *m_model;
    CommandSender *m_sender;
    QPushButton *m_backfill;
    QPushButton *m_repair;
    QLabel *m_jobLabel;
    QProgressBar *m_bar;
    QString m_jobSeries;
    QString m_jobId;
};

} // namespace gapless::ui
