#pragma once

#include "core/domain/candle.h"
#include "core/domain/timeframe.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <bit>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <optional>

namespace gapless {

/// The anomaly kinds of DOM-7, in its order: the six reject kinds, then the five keep kinds.
/// Reports list a row's kinds in this order (CLI-11).
enum class AnomalyKind : quint8 {
    HighBelowLow,
    NegativeVolume,
    NonpositivePrice,
    TimeNotAligned,
    DuplicateTime,
    TimeNotIncreasing,
    OpenAboveHigh,
    OpenBelowLow,
    CloseAboveHigh,
    CloseBelowLow,
    ZeroVolume,
};

inline constexpr int kAnomalyKindCount = 11;

/// The SPEC name, e.g. `high_below_low`.
[[nodiscard]] QString anomalyKindName(AnomalyKind kind);
[[nodiscard]] bool anomalyKindFromName(QStringView name, AnomalyKind *kind);

/// Reject kinds are never stored; keep kinds are stored and reported (DOM-8).
[[nodiscard]] constexpr bool isRejectKind(AnomalyKind kind)
{
    return kind <= AnomalyKind::TimeNotIncreasing;
}

/// What is wrong with `candle`, as `<problem>; expected <what>` (DOM-13) without the input and
/// position, which the caller prepends: `high 10 is below low 11; expected high >= low`.
/// `previousTime` is the preceding row's time; time_not_increasing names it when given.
[[nodiscard]] QString anomalyDetail(AnomalyKind kind, const Candle &candle, Timeframe timeframe,
                                    std::optional<qint64> previousTime = std::nullopt);

/// A set of anomaly kinds; iterates in DOM-7 order.
class AnomalySet
{
public:
    class const_iterator
    {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = AnomalyKind;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = AnomalyKind;

        constexpr const_iterator() = default;
        constexpr AnomalyKind operator*() const { return static_cast<AnomalyKind>(std::countr_zero(m_rest)); }
        constexpr const_iterator &operator++()
        {
            m_rest &= m_rest - 1; // drop the lowest set bit
            return *this;
        }
        constexpr const_iterator operator++(int)
        {
            const_iterator old = *this;
            ++*this;
            return old;
        }
        friend constexpr bool operator==(const_iterator, const_iterator) = default;

    private:
        friend class AnomalySet;
        constexpr explicit const_iterator(quint16 rest) : m_rest(rest) {}
        quint16 m_rest = 0;
    };

    constexpr AnomalySet() = default;
    constexpr AnomalySet(std::initializer_list<AnomalyKind> kinds)
    {
        for (const AnomalyKind kind : kinds)
            insert(kind);
    }

    constexpr void insert(AnomalyKind kind) { m_bits |= bit(kind); }
    constexpr void remove(AnomalyKind kind) { m_bits &= static_cast<quint16>(~bit(kind)); }
    [[nodiscard]] constexpr bool contains(AnomalyKind kind) const { return (m_bits & bit(kind)) != 0; }
    [[nodiscard]] constexpr bool isEmpty() const { return m_bits == 0; }
    [[nodiscard]] constexpr int size() const { return std::popcount(m_bits); }
    /// True if any kind is a reject kind (DOM-8).
    [[nodiscard]] constexpr bool containsRejectKind() const { return (m_bits & kRejectBits) != 0; }

    /// The kinds in DOM-7 order.
    [[nodiscard]] QList<AnomalyKind> kinds() const;
    /// The SPEC names in DOM-7 order, e.g. for a rejected row's `reasons` (CLI-9).
    [[nodiscard]] QStringList names() const;

    [[nodiscard]] constexpr const_iterator begin() const { return const_iterator(m_bits); }
    [[nodiscard]] constexpr const_iterator end() const { return const_iterator(); }

    constexpr AnomalySet &operator|=(AnomalySet other)
    {
        m_bits |= other.m_bits;
        return *this;
    }
    friend constexpr AnomalySet operator|(AnomalySet a, AnomalySet b) { return a |= b; }
    friend constexpr bool operator==(AnomalySet, AnomalySet) = default;

private:
    static constexpr quint16 bit(AnomalyKind kind) { return static_cast<quint16>(1u << static_cast<unsigned>(kind)); }
    static constexpr quint16 kRejectBits = (1u << (static_cast<unsigned>(AnomalyKind::TimeNotIncreasing) + 1)) - 1;

    quint16 m_bits = 0;
};

} // namespace gapless

Q_DECLARE_METATYPE(gapless::AnomalyKind)
Q_DECLARE_METATYPE(gapless::AnomalySet)
