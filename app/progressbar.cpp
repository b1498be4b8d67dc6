#include "app/progressbar.h"

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

constexpr int kWidth = 30;
constexpr qint64 kMinRedrawMs = 100; // ≤ 10 Hz

QString humanRate(double perSecond)
{
    if (perSecond >= 1e6)
        return QString::number(perSecond / 1e6, 'f', 1) + u"M"_s;
    if (perSecond >= 1e3)
        return QString::number(perSecond / 1e3, 'f', 1) + u"k"_s;
    return QString::number(perSecond, 'f', 0);
}

QString duration(qint64 seconds)
{
    if (seconds >= 3600)
        return u"%1h%2m"_s.arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QChar(u'0'));
    if (seconds >= 60)
        return u"%1m%2s"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
    return u"%1s"_s.arg(seconds);
}

} // namespace

ProgressBar::ProgressBar(const QString &verb, const QString &unit, bool enabled)
    : m_verb(verb)
    , m_unit(unit)
    , m_enabled(enabled)
{
    m_clock.start();
}

ProgressBar::~ProgressBar()
{
    if (m_drawn)
        finish();
}

bool ProgressBar::wanted(bool noProgress)
{
    return !noProgress && ::isatty(fileno(stderr)) == 1;
}

void ProgressBar::update(qint64 done, qint64 total)
{
    m_done = done;
    m_total = total;
    draw(false);
}

void ProgressBar::finish()
{
    if (!m_enabled)
        return;
    draw(true);
    std::fputc('\n', stderr);
    std::fflush(stderr);
    m_drawn = false;
    m_enabled = false;
}

void ProgressBar::draw(bool force)
{
    if (!m_enabled)
        return;
    const qint64 now = m_clock.elapsed();
    if (!force && now - m_lastDrawMs < kMinRedrawMs)
        return;
    m_lastDrawMs = now;
    const double fraction = m_total > 0 ? std::clamp(double(m_done) / double(m_total), 0.0, 1.0) : 0.0;
    const int filled = int(fraction * kWidth);
    const double rate = now > 0 ? double(m_done) * 1000.0 / double(now) : 0;
    const QString eta = rate > 0 && m_total > m_done ? duration(qint64(double(m_total - m_done) / rate)) : u"-"_s;
    const QString text = u"\r%1 [%2%3] %4% %5/%6 %7 %8 %7/s ETA %9\x1b[K"_s.arg(
        m_verb, QString(filled, u'#'), QString(kWidth - filled, u'.'), QString::number(qRound(fraction * 100)),
        QString::number(m_done), QString::number(m_total), m_unit, humanRate(rate), eta);
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
    m_drawn = true;
}

} // namespace gapless::app
