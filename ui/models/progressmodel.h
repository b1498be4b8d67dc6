#pragma once

#include "ui/models/rowtablemodel.h"

#include <functional>

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

/// Backfill progress per series (BF-14..18) from the `progress` topic (UI-14 progress): the
/// percentage for a bar, the fill rate and the time left.
class ProgressModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressModel)
public:
    enum Column {
        SeriesColumn,
        ReasonColumn,
        StateColumn,
        ProgressColumn,
        FilledColumn,
        MissingColumn,
        RateColumn,
        EtaColumn,
        ColumnCount
    };

    /// `nowMs` gives the wall clock (rate and ETA); tests pass a fixed one.
    explicit ProgressModel(protocol::Client *client, std::function<qint64()> nowMs = {}, QObject *parent = nullptr);


    /// Candles filled by every backfill since this model started: the throughput line's source.
    [[nodiscard]] qint64 totalFilled() const { return m_totalFilled; }
    /// Candles per second of a row's run (filled ÷ elapsed), 0 before a second has passed.
    [[nodiscard]] double rate(const QJsonObject &row) const;
    /// Seconds left at that rate; -1 if unknown.
    [[nodiscard]] qint64 etaSeconds(const QJsonObject &row) const;

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;

private:
    void applyFrame(const QJsonObject &frame);

    std::function<qint64()> m_nowMs;
    qint64 m_totalFilled = 0;
};

} // namespace gapless::ui
