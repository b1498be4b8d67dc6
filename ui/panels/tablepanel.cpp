#include "ui/panels/tablepanel.h"

#include "ui/models/rowtablemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace gapless::ui {

TablePanel::TablePanel(RowTableModel *model, const QString &emptyText, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_emptyText(emptyText)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_message(new QLabel(this))
    , m_buttons(new QHBoxLayout)
{
    m_proxy->setSourceModel(model);
    m_proxy->setSortRole(RowTableModel::RawValueRole);
    m_view->setModel(m_proxy);
    // Unsorted (the model's order) until the user clicks a header.
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setResizeContentsPrecision(kFitRows);
    m_view->setTabKeyNavigation(false);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setContentsMargins(6, 2, 6, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);
    m_buttons->addStretch(1);
    layout->addLayout(m_buttons);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TablePanel::selectionChanged);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                emit selectionChanged();
                if (current.isValid())
                    emit currentRowChanged(m_proxy->mapToSource(current).row());
            });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(model, signal, this, [this] {
            updateMessage();
            fitColumnsOnce();
            emit selectionChanged();
        });
    }
    connect(model, &QAbstractItemModel::dataChanged, this, &TablePanel::selectionChanged);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        updateMessage();
        fitColumnsOnce();
        emit selectionChanged();
    });
    connect(model, &RowTableModel::statusMessageChanged, this, &TablePanel::updateMessage);
    updateMessage();
}

QList<int> TablePanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(m_proxy->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

int TablePanel::currentRow() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? m_proxy->mapToSource(current).row() : -1;
}

QPushButton *TablePanel::addButton(const QString &text, const QString &toolTip)
{
    auto *button = new QPushButton(text, this);
    button->setToolTip(toolTip);
    button->setAccessibleName(QString(text).remove(u'&'));
    m_buttons->addWidget(button);
    return button;
}

void TablePanel::setStretchColumn(int column)
{
    m_stretchColumn = column;
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(column, QHeaderView::Stretch);
}

void TablePanel::setColumnMinimumWidth(int column, int width)
{
    m_minimumWidths.insert(column, width);
    m_view->horizontalHeader()->resizeSection(column, width);
}

void TablePanel::fitColumnsOnce()
{
    // Once, with the first rows: later updates keep the widths the user may have dragged.
    if (m_fitted || m_model->rowCount() == 0)
        return;
    m_fitted = true;
    QHeaderView *header = m_view->horizontalHeader();
    for (int column = 0; column < m_model->columnCount(); ++column) {
        if (column == m_stretchColumn)
            continue;
        m_view->resizeColumnToContents(column);
        const int fitted = std::min(header->sectionSize(column) + 16, 420);
        header->resizeSection(column, std::max(fitted, m_minimumWidths.value(column)));
    }
}

void TablePanel::updateMessage()
{
    const QString status = m_model->statusMessage();
    const QString text = !status.isEmpty() ? status : (m_model->rowCount() == 0 ? m_emptyText : QString());
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setAccessibleName(text);
}

} // namespace gapless::ui
