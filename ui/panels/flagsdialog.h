#pragma once

#include <QDialog>

namespace gapless::ui {

class FlagsModel;
class TablePanel;

/// The flags dialog (UI-14): every setting of the core; runtime-safe values are editable.
class FlagsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlagsDialog)
public:
    explicit FlagsDialog(FlagsModel *model, QWidget *parent = nullptr);
    [[nodiscard]] TablePanel *panel() const { return m_panel; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    FlagsModel *m_model;
    TablePanel *m_panel;
};

} // namespace gapless::ui
