#pragma once

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace gapless::test {

/// UI-4: a 50 ms timer on the GUI thread; the longest interval between two of its ticks is how
/// long the thread stalled while the work under test ran.
class StallMeter final
{
public:
    StallMeter()
    {
        m_timer.setInterval(50);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 now = m_clock.elapsed();
            m_worst = std::max(m_worst, now - m_last);
            m_last = now;
            ++m_ticks;
        });
    }
    Q_DISABLE_COPY_MOVE(StallMeter)

    void start()
    {
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    /// Milliseconds since start().
    [[nodiscard]] qint64 elapsed() const { return m_clock.elapsed(); }
    [[nodiscard]] qint64 worst() const { return m_worst; }
    [[nodiscard]] int ticks() const { return m_ticks; }

private:
    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_last = 0;
    qint64 m_worst = 0;
    int m_ticks = 0;
};

} // namespace gapless::test
