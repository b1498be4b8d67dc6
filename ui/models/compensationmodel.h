#pragma once

#include "ui/models/rowtablemodel.h"

#include <QHash>

namespace gapless {
struct Error;
}

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// Journalled ingest failures (STORE-7 `ingest_errors` rows) from the `ingest_errors` topic
/// (UI-14 compensation). retry() sends `retry_error` with a new key per click; a row is busy
/// until its retry job ends (the `jobs` topic), then shows `resolved` or the job's error
/// (D-UI-33).
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
    void rowReceived(const QJsonObject &frame);
    void retryAnswered(qint64 id, bool ok, const QJsonValue &data, const Error &error);
    void jobReceived(const QJsonObject &frame);
    void retryEnded(qint64 id, const QJsonObject &job);
    void touch(qint64 id);

    CommandSender *m_sender;
    QHash<qint64, QString> m_retrying;        ///< error id → its retry job's id (empty until answered)
    QHash<QString, QJsonObject> m_endedJobs; ///< retry_error jobs that ended before their answer came
};

} // namespace gapless::ui
