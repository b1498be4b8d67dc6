#pragma once

#include "core/domain/result.h"

#include <QStringView>

namespace gapless {

class Settings;

/// The cross-key ranges of CFG-5, checked once all sources are merged and after each runtime
/// change: factor.pivot_window_minor in [1, W-1], health.stale_window_candles in [fresh+1, 10000],
/// jobs.zombie_timeout_s >= 3 x jobs.heartbeat_interval_s, jobs.retry_base_ms <= jobs.retry_cap_ms.
///
/// The CFG-3 error names one key of the broken pair and its source: `changedKey` if it is one
/// of them; else the one from the stronger source (CFG-1), so that a default is never blamed
/// for an override; on a tie the constrained key (minor, stale, zombie, base).
[[nodiscard]] Result<void> checkSettingRules(const Settings &settings, QStringView changedKey = {});

} // namespace gapless
