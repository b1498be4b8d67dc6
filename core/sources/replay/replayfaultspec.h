#pragma once

#include "core/domain/result.h"

#include <QList>
#include <QString>

#include <optional>

namespace gapless::sources {

/// The fault kinds of SRC-18.
enum class ReplayFaultKind {
    Disconnect,
    Stall,
    Drop,
    Hole,
    Http429,
    Http5xx,
    Latency,
    Malformed,
    Weights,
    Cutoff,
};

[[nodiscard]] QString replayFaultKindName(ReplayFaultKind kind);

/// One item of a fault SPEC with every key filled in (defaults per SRC-18's table).
struct ReplayFaultItem
{
    ReplayFaultKind kind = ReplayFaultKind::Drop;
    QString text;                     ///< the item as written, for messages and /_replay/state
    std::optional<qint64> everyMs;    ///< disconnect, stall: wall time between firings
    std::optional<qint64> everyCount; ///< drop, hole (closed bars), http*, malformed (requests or messages)
    qint64 forMs = 5000;              ///< disconnect, stall
    bool notice = false;              ///< disconnect: `serverShutdown` before closing
    qint64 len = 1;                   ///< hole: bars gone per firing
    int retryAfterS = 1;              ///< http429
    int status = 500;                 ///< http5xx
    qint64 minMs = 0;                 ///< latency
    qint64 maxMs = 0;                 ///< latency
    bool streamTarget = false;        ///< malformed: stream messages instead of REST bodies
    std::optional<qint64> limit;      ///< weights: none = 6000 spot, 2400 futures
    int banAfter = 3;                 ///< weights: 429 replies in a minute before the 418
    qint64 afterMs = 24 * 3600 * 1000; ///< cutoff

    /// latency, weights and cutoff hold for the whole run; the others fire on a schedule
    /// (`every`) or once.
    [[nodiscard]] bool isStanding() const;
    [[nodiscard]] bool isRepeating() const { return everyMs || everyCount; }
};

/// Parses `SPEC = ITEM *(";" ITEM)`, `ITEM = KIND [":" KEY "=" VAL *("," KEY "=" VAL)]`
/// (SRC-18). Blank SPEC = no faults. The first bad item fails the whole SPEC with a message
/// naming `input`, the item's number and text: `--faults item 2 'hole:len=0': …`.
[[nodiscard]] Result<QList<ReplayFaultItem>> parseReplayFaults(QStringView spec, const QString &input);

/// A duration `N(ms|s|m|h)` in ms; the error says what was expected.
[[nodiscard]] Result<qint64> parseReplayDuration(QStringView text);

} // namespace gapless::sources
