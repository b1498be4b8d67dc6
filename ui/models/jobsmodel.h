#pragma once

#include "ui/models/rowtablemodel.h"

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// Jobs (JOB-5, JOB-11) from the `jobs` topic, seeded by `jobs_list` on every connect
/// (UI-14 jobs). cancel() sends `job_cancel` (JOB-10).
class JobsModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsModel)
public:
    enum Column { IdColumn, KindColumn, SeriesColumn, StateColumn, ProgressColumn, NoteColumn, ErrorColumn,
                  ColumnCount };

    explicit JobsModel(protocol::Client *client, QObject *parent = nullptr);


    void refresh();
    void cancel(int row);
    [[nodiscard]] bool canCancel(int row) const;
    /// Jobs queued or running.
    [[nodiscard]] int activeCount() const;

signals:
    void activeCountChanged(int count);

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;

private:
    CommandSender *m_sender;
};

} // namespace gapless::ui
