#pragma once

#include <QStyledItemDelegate>

namespace gapless::ui {

/// Draws a percentage (the cell's RawValueRole, 0..100) as a progress bar with its text.
class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressDelegate)
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace gapless::ui
