#pragma once

#include "core/domain/result.h"

#include <QMetaType>
#include <QString>

namespace gapless {

/// A bar length in whole seconds: n minutes, hours or days, 60 s to 7 d (DOM-4).
class Timeframe
{
public:
    static constexpr qint64 kMinSeconds = 60;
    static constexpr qint64 kMaxSeconds = 604800;

    constexpr Timeframe() = default;

    /// Parses `^[1-9][0-9]{0,5}(m|h|d)$` within [60 s, 604800 s]; the error names the text.
    [[nodiscard]] static Result<Timeframe> parse(QStringView text);
    /// A timeframe of exactly `seconds`, if it is a whole number of minutes within range.
    [[nodiscard]] static Result<Timeframe> fromSeconds(qint64 seconds);

    [[nodiscard]] constexpr qint64 seconds() const { return m_seconds; }
    [[nodiscard]] constexpr bool isValid() const { return m_seconds > 0; }
    /// The canonical text: the largest unit that divides exactly (`60m` → `1h`).
    [[nodiscard]] QString toString() const;

    /// floor_tf(t) of C-1, correct for negative t.
    [[nodiscard]] constexpr qint64 floor(qint64 t) const
    {
        const qint64 q = t / m_seconds;
        return (t % m_seconds != 0 && t < 0 ? q - 1 : q) * m_seconds;
    }
    [[nodiscard]] constexpr bool isAligned(qint64 t) const { return t % m_seconds == 0; }

    friend constexpr bool operator==(Timeframe, Timeframe) = default;
    friend constexpr auto operator<=>(Timeframe, Timeframe) = default;

private:
    constexpr explicit Timeframe(qint64 seconds) : m_seconds(seconds) {}
    qint64 m_seconds = 0;
};

} // namespace gapless

Q_DECLARE_METATYPE(gapless::Timeframe)
