#pragma once

#include "ui/models/rowtablemodel.h"

#include <QStringList>

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// The series of the core (`series_list`) with their health lamp and lag from the `health`
/// topic (UI-1). Asked again on every connect and by refresh().
class SeriesListModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SeriesListModel)
public:
    enum Column { LampColumn, SeriesColumn, LagColumn, ColumnCount };

    explicit SeriesListModel(protocol::Client *client, QObject *parent = nullptr);

    void refresh();
    /// Whether a `series_list` answer has arrived.
    [[nodiscard]] bool isListed() const { return m_listed; }
    /// The listed ids, sorted.
    [[nodiscard]] QStringList seriesIds() const { return m_ids; }

signals:
    /// A `series_list` answer arrived with these ids, sorted (empty: an empty database).
    void seriesListed(const QStringList &ids);
    void listFailed(const QString &message);

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;

private:
    void mergeHealth(const QJsonObject &health);

    CommandSender *m_sender;
    bool m_listed = false;
    QStringList m_ids;
};

} // namespace gapless::ui
