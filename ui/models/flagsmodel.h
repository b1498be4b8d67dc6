#pragma once

#include "ui/models/rowtablemodel.h"

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CommandSender;

/// The core's settings (`flags_get`) for the flags dialog (UI-14): the value of a
/// runtime-safe key (`rt`, CFG-4) is editable and sent as `flags_set` with a new key.
class FlagsModel final : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlagsModel)
public:
    enum Column { KeyColumn, ValueColumn, DefaultColumn, SourceColumn, ColumnCount };

    explicit FlagsModel(protocol::Client *client, QObject *parent = nullptr);

    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    /// Asks `flags_get`; before a connection this waits for its `hello`.
    void refresh();

protected:
    [[nodiscard]] QString keyOf(const QJsonObject &row) const override;
    [[nodiscard]] QVariant cell(const QJsonObject &row, int column, int role) const override;

private:
    CommandSender *m_sender;
};

} // namespace gapless::ui
