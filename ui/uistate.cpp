#include "ui/uistate.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace gapless::ui {

UiState::UiState(QString path, bool writable)
    : m_path(std::move(path))
    , m_writable(writable)
{
    if (m_path.isEmpty())
        return;
    QSettings ini(m_path, QSettings::IniFormat);
    ini.beginGroup(u"ui"_s);
    m_geometry = QByteArray::fromBase64(ini.value(u"geometry"_s).toByteArray());
    m_dockState = QByteArray::fromBase64(ini.value(u"dock_state"_s).toByteArray());
    m_selectedSeries = ini.value(u"series"_s).toString();
    m_demoDeclined = ini.value(u"demo_declined"_s, false).toBool();
}

void UiState::setLayout(const QByteArray &geometry, const QByteArray &dockState)
{
    m_geometry = geometry;
    m_dockState = dockState;
    save();
}

void UiState::setSelectedSeries(const QString &series)
{
    m_selectedSeries = series;
    save();
}

void UiState::setDemoDeclined(bool declined)
{
    m_demoDeclined = declined;
    save();
}

void UiState::save() const
{
    if (m_path.isEmpty() || !m_writable)
        return;
    QSettings ini(m_path, QSettings::IniFormat);
    ini.beginGroup(u"ui"_s);
    // Base64 keeps the INI readable and free of @ByteArray escapes.
    ini.setValue(u"geometry"_s, QString::fromLatin1(m_geometry.toBase64()));
    ini.setValue(u"dock_state"_s, QString::fromLatin1(m_dockState.toBase64()));
    ini.setValue(u"series"_s, m_selectedSeries);
    ini.setValue(u"demo_declined"_s, m_demoDeclined);
}

} // namespace gapless::ui
