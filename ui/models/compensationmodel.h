#pragma once

#include "ui/models/rowtablemodel.h"

#include <QSet>

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// Journalled ingest failures (STORE-7 `ingest_errors` rows) from the `ingest_errors` topic
/// (UI-14 compensation). retry() sends `retry_error` with a new key per click; a row is busy
/// until its answer comes.
class CompensationModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompensationModel)
public:
    enum Column { IdColumn, TimeColumn, SeriesColumn, SourceColumn, StepColumn, StatusColumn, MessageColumn,
                  ColumnCount };

    explicit CompensationModel(protocol::Client *client, QObject *parent = nullptr);


    /// ING-11 through the protocol; false if the row is already being retried.
    bool retry(int row);
    [[nodiscard]] bool isRetrying(int row) const;
    [[nodiscard]] bool canRetry(int row) const;

signals:
    void retryStateChanged();

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;

private:
    CommandSender *m_sender;
    QSet<qint64> m_retrying;
};

} // namespace gapless::ui
