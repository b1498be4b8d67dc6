#include "ui/panels/flagsdialog.h"

#include "ui/models/flagsmodel.h"
#include "ui/panels/tablepanel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace gapless::ui {

FlagsDialog::FlagsDialog(FlagsModel *model, QWidget *parent)
    : QDialog(parent)
    , m_model(model)
    , m_panel(new TablePanel(model, tr("Asking the core for its settings…"), this))
{
    setObjectName(QStringLiteral("flags"));
    setWindowTitle(tr("Flags — core settings"));
    setAccessibleName(windowTitle());
    m_panel->view()->setAccessibleName(tr("Settings table: key, value, default, source"));
    m_panel->view()->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_panel->setStretchColumn(FlagsModel::DefaultColumn);
    m_panel->setColumnMinimumWidth(FlagsModel::KeyColumn, 290);
    m_panel->setColumnMinimumWidth(FlagsModel::ValueColumn, 170);
    m_panel->view()->sortByColumn(FlagsModel::KeyColumn, Qt::AscendingOrder);
    auto *reload = m_panel->addButton(tr("&Reload"), tr("Read the settings from the core again (flags_get)"));
    connect(reload, &QPushButton::clicked, model, &FlagsModel::refresh);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_panel, 1);
    layout->addWidget(buttons);
    resize(860, 560);
}

void FlagsDialog::showEvent(QShowEvent *event)
{
    m_model->refresh();
    QDialog::showEvent(event);
}

} // namespace gapless::ui
