#pragma once

#include "ui/models/rowtablemodel.h"

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// Per-series health (HLT-5) from the `health` topic, seeded by the `health` command on
/// every connect (UI-14 health panel).
class HealthModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HealthModel)
public:
    enum Column { LampColumn, SeriesColumn, ReasonColumn, LagColumn, HeadColumn, ErrorsColumn, ColumnCount };

    explicit HealthModel(protocol::Client *client, QObject *parent = nullptr);

    /// Asks the core for every series' health again.
    void refresh();

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;

private:
    CommandSender *m_sender;
};

/// The cell of a lamp (HLT-3) for any model: glyph + reason text, icon, colour, tooltip.
[[nodiscard]] QVariant lampCell(const QJsonObject &health, int role);

} // namespace gapless::ui
