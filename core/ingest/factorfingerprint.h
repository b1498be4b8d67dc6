#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace gapless {

/// Bumped whenever pivot output changes for the same candles and windows (FAC-1).
inline constexpr int kPivotLogicVersion = 1;
/// Bumped whenever pen output changes for the same major pivots (FAC-1).
inline constexpr int kPenLogicVersion = 1;

/// What a series' factor ledger was computed with (FAC-5); a stored fingerprint that differs
/// from the current one means the ledger is stale.
struct FactorFingerprint
{
    int majorWindow = 50; ///< factor.pivot_window_major (W)
    int minorWindow = 5;  ///< factor.pivot_window_minor (w)
    QString salt;         ///< factor.logic_salt
    int pivotLogic = kPivotLogicVersion;
    int penLogic = kPenLogicVersion;

    /// `{"pen":{"logic":Lp},"pivot":{"logic":Lv,"major":W,"minor":w},"salt":S}`, canonical (C-3).
    [[nodiscard]] QByteArray json() const;
    /// Lower-case SHA-256 hex of json().
    [[nodiscard]] QByteArray hex() const;
};

} // namespace gapless
Q_DECLARE_METATYPE(gapless::FactorFingerprint)
