#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>

class QJsonObject;

namespace gapless {

/// A major or minor pivot (FAC-7, FAC-8) as stored in factor_events (FAC-12).
struct PivotEvent
{
    bool major = true;
    qint64 pivotTime = 0;
    bool resistance = true; ///< resistance (a high) or support (a low); one bar may be both
    double price = 0;       ///< high(p) for a resistance, low(p) for a support
    qint64 visibleTime = 0; ///< the tick that made it visible: pivot_time + window·tf
    int window = 0;         ///< W for a major, w for a minor

    /// `resistance` or `support`, in the key and in the payload alike.
    [[nodiscard]] QString direction() const;
    /// The factor_name column: `pivot`.
    [[nodiscard]] static QString factorName();
    /// `pivot.major` or `pivot.minor`.
    [[nodiscard]] QString kind() const;
    /// `major:{pivot_time}:{direction}:{W}` or `minor:{pivot_time}:{direction}:{w}`.
    [[nodiscard]] QString key() const;
    /// `{direction, pivot_price, pivot_time, visible_time, window}`.
    [[nodiscard]] QJsonObject payload() const;
    /// The payload as canonical JSON (C-3), as stored and compared.
    [[nodiscard]] QByteArray payloadJson() const;

    friend bool operator==(const PivotEvent &, const PivotEvent &) = default;
};

/// The straight segment between two consecutive pivots of the pen list (FAC-10, FAC-11).
struct PenSegment
{
    qint64 startTime = 0;
    double startPrice = 0;
    qint64 endTime = 0;
    double endPrice = 0;

    /// +1 if end_price > start_price, else -1 (FAC-10).
    [[nodiscard]] int direction() const { return endPrice > startPrice ? 1 : -1; }
    /// `{direction, end_price, end_time, start_price, start_time}`.
    [[nodiscard]] QJsonObject toJson() const;

    friend bool operator==(const PenSegment &, const PenSegment &) = default;
};

/// A confirmed pen (FAC-10) as stored in factor_events (FAC-12).
struct PenEvent
{
    PenSegment segment;
    qint64 visibleTime = 0; ///< the tick of the major pivot whose arrival confirmed it

    [[nodiscard]] qint64 startTime() const { return segment.startTime; }
    [[nodiscard]] qint64 endTime() const { return segment.endTime; }
    [[nodiscard]] double startPrice() const { return segment.startPrice; }
    [[nodiscard]] double endPrice() const { return segment.endPrice; }
    [[nodiscard]] int direction() const { return segment.direction(); }

    /// The factor_name column: `pen`.
    [[nodiscard]] static QString factorName();
    /// `pen.confirmed`.
    [[nodiscard]] static QString kind();
    /// `confirmed:{start_time}:{end_time}:{1|-1}`.
    [[nodiscard]] QString key() const;
    /// `{direction, end_price, end_time, start_price, start_time, visible_time}`.
    [[nodiscard]] QJsonObject payload() const;
    [[nodiscard]] QByteArray payloadJson() const;

    friend bool operator==(const PenEvent &, const PenEvent &) = default;
};

/// The pen head snapshot (FAC-11): the still-extending pen L[-2]→L[-1], or none.
struct PenHead
{
    std::optional<PenSegment> extending;

    /// `{"extending":null}` or `{"extending":{direction,end_price,end_time,start_price,start_time}}`.
    [[nodiscard]] QJsonObject toJson() const;
    /// head_json: toJson() as canonical JSON (C-3); snapshots compare this text.
    [[nodiscard]] QByteArray json() const;

    friend bool operator==(const PenHead &, const PenHead &) = default;
};

} // namespace gapless

Q_DECLARE_METATYPE(gapless::PivotEvent)
Q_DECLARE_METATYPE(gapless::PenEvent)
Q_DECLARE_METATYPE(gapless::PenHead)
