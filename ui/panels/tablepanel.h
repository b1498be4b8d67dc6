#pragma once

#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace gapless::ui {

class RowTableModel;

/// A panel's body (UI-14): a message line (the model's status, e.g. an `unavailable`
/// answer, or what an empty table means), a sortable table over the model and a row of
/// buttons. Sorting uses the model's RawValueRole.
class TablePanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TablePanel)
public:
    /// Fitting a column reads at most this many rows (UI-4: a first batch of thousands of
    /// rows must not stall the GUI thread; Qt's default is 1000 rows per column).
    static constexpr int kFitRows = 100;

    TablePanel(RowTableModel *model, const QString &emptyText, QWidget *parent = nullptr);

    [[nodiscard]] QTableView *view() const { return m_view; }
    [[nodiscard]] RowTableModel *model() const { return m_model; }
    /// The selected rows, in the model's numbering.
    [[nodiscard]] QList<int> selectedRows() const;
    /// The current row in the model's numbering, -1 if none.
    [[nodiscard]] int currentRow() const;
    /// Adds a button at the right end of the button row.
    QPushButton *addButton(const QString &text, const QString &toolTip);
    [[nodiscard]] QHBoxLayout *buttonRow() const { return m_buttons; }
    /// The column that takes the spare width (default: the last).
    void setStretchColumn(int column);
    /// Fitting the columns to their contents leaves `column` at least `width` px wide.
    void setColumnMinimumWidth(int column, int width);

signals:
    /// The selection or the rows changed: time to update the buttons.
    void selectionChanged();
    /// The current row moved to `row` (the model's numbering), by mouse or keyboard.
    void currentRowChanged(int row);

private:
    void updateMessage();
    void fitColumnsOnce();

    RowTableModel *m_model;
    QString m_emptyText;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLabel *m_message;
    QHBoxLayout *m_buttons;
    int m_stretchColumn = -1;
    QHash<int, int> m_minimumWidths;
    bool m_fitted = false;
};

} // namespace gapless::ui
