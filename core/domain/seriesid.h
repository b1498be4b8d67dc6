#pragma once

#include "core/domain/timeframe.h"

#include <QMetaType>
#include <QString>

namespace gapless {

/// `{exchange}:{market}:{symbol}:{timeframe}` (DOM-1, DOM-2); always held in canonical form.
class SeriesId
{
public:
    static constexpr qsizetype kMaxLength = 128;

    SeriesId() = default;

    /// Trims, splits on ':', validates each component and canonicalises the timeframe.
    [[nodiscard]] static Result<SeriesId> parse(QStringView text);

    [[nodiscard]] const QString &exchange() const { return m_exchange; }
    [[nodiscard]] const QString &market() const { return m_market; }
    [[nodiscard]] const QString &symbol() const { return m_symbol; }
    [[nodiscard]] Timeframe timeframe() const { return m_timeframe; }
    [[nodiscard]] bool isValid() const { return m_timeframe.isValid(); }
    [[nodiscard]] const QString &toString() const { return m_text; }
    /// The same instrument at another timeframe.
    [[nodiscard]] SeriesId withTimeframe(Timeframe timeframe) const;

    friend bool operator==(const SeriesId &a, const SeriesId &b) { return a.m_text == b.m_text; }
    friend bool operator<(const SeriesId &a, const SeriesId &b) { return a.m_text < b.m_text; }

private:
    QString m_exchange;
    QString m_market;
    QString m_symbol;
    Timeframe m_timeframe;
    QString m_text;
};

inline size_t qHash(const SeriesId &id, size_t seed = 0) { return qHash(id.toString(), seed); }

} // namespace gapless

Q_DECLARE_METATYPE(gapless::SeriesId)
