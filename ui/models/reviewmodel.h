#pragma once

#include "ui/models/rowtablemodel.h"

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// Open review items (REP-9) from `review_list` (UI-14 review): local beside source per OHLCV
/// field, differing fields marked. resolve() sends `review_resolve` (REP-10) with a new key.
class ReviewModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewModel)
public:
    enum Column { IdColumn, SeriesColumn, TimeColumn, OpenColumn, HighColumn, LowColumn, CloseColumn, VolumeColumn,
                  ColumnCount };
    /// Whether the cell's field differs between local and source.
    enum ReviewRole { DiffersRole = RowTableModel::KeyRole + 1 };

    explicit ReviewModel(protocol::Client *client, QObject *parent = nullptr);


    void refresh();
    /// `accept_source` or `keep_local` for these rows, all or none (REP-10).
    void resolve(const QList<int> &rows, const QString &action);

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;
    [[nodiscard]] bool keeps(const QJsonObject &row) const override;

private:
    CommandSender *m_sender;
};

} // namespace gapless::ui
