#pragma once

#include <QElapsedTimer>
#include <QString>

namespace gapless::app {

/// A one-line progress bar on stderr (CLI-4): only on a terminal and without --no-progress,
/// redrawn at most 10 times a second, with rate and ETA.
class ProgressBar
{
public:
    ProgressBar(const QString &verb, const QString &unit, bool enabled);
    ~ProgressBar();
    Q_DISABLE_COPY_MOVE(ProgressBar)

    /// Whether stderr is a terminal and progress was not switched off.
    [[nodiscard]] static bool wanted(bool noProgress);

    void update(qint64 done, qint64 total);
    /// Draws the final state and ends the line.
    void finish();

private:
    void draw(bool force);

    QString m_verb;
    QString m_unit;
    bool m_enabled;
    bool m_drawn = false;
    qint64 m_done = 0;
    qint64 m_total = 0;
    qint64 m_lastDrawMs = -1000;
    QElapsedTimer m_clock;
};

} // namespace gapless::app
