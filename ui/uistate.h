#pragma once

#include <QByteArray>
#include <QString>

namespace gapless::ui {

/// What the window remembers between runs, in the `[ui]` section of its own INI file
/// (D-UI-20): geometry, dock layout, the selected series and the answer to the demo banner.
class UiState
{
public:
    /// `path` empty: nothing is read or saved; `writable` false: read, never saved.
    explicit UiState(QString path, bool writable = true);

    [[nodiscard]] QByteArray geometry() const { return m_geometry; }
    [[nodiscard]] QByteArray dockState() const { return m_dockState; }
    [[nodiscard]] QString selectedSeries() const { return m_selectedSeries; }
    [[nodiscard]] bool demoDeclined() const { return m_demoDeclined; }

    void setLayout(const QByteArray &geometry, const QByteArray &dockState);
    void setSelectedSeries(const QString &series);
    void setDemoDeclined(bool declined);

private:
    void save() const;

    QString m_path;
    bool m_writable = true;
    QByteArray m_geometry;
    QByteArray m_dockState;
    QString m_selectedSeries;
    bool m_demoDeclined = false;
};

} // namespace gapless::ui
