#pragma once

#include "core/domain/seriesid.h"
#include "ui/models/rowtablemodel.h"

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// The holes of the core's series (UI-14 gaps): the `gaps` command per series, then `gap`
/// frames; a healed gap leaves, a partly healed one shows what is still missing. A finished
/// backfill or repair asks for the series' gaps again.
class GapsModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GapsModel)
public:
    enum Column { SeriesColumn, FromColumn, ToColumn, MissingColumn, ColumnCount };

    explicit GapsModel(protocol::Client *client, QObject *parent = nullptr);


    /// Asks for every hole of `series` (replacing what is shown for it).
    void requestGaps(const SeriesId &series);
    /// The first missing bar of the row's hole (prev_time + tf).
    [[nodiscard]] qint64 firstMissingTime(int row) const;
    [[nodiscard]] QString seriesOf(int row) const;

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;
    [[nodiscard]] bool keeps(const QJsonObject &row) const override;

private:
    void applyGapFrame(const SeriesId &series, qint64 expectedNext, qint64 actual, qint64 missing, bool healed);

    CommandSender *m_sender;
    QHash<QString, QStringList> m_keysBySeries;
};

} // namespace gapless::ui
