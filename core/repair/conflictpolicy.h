#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/runtime/sectionsettings.h"

#include <optional>

namespace gapless::repair {

/// `source_wins`, `local_wins`, `manual_review` (REP-8).
[[nodiscard]] QString policyName(ConflictPolicy policy);
/// The underscore names; anything else is bad_request naming it.
[[nodiscard]] Result<ConflictPolicy> parsePolicy(const QString &text);

/// REP-8 resolution: the command's policy, else the series' entry of
/// `repair.conflict_policy_overrides`, else `repair.conflict_policy`.
[[nodiscard]] ConflictPolicy resolvePolicy(std::optional<ConflictPolicy> command, const SeriesId &series,
                                           const RepairSettings &settings);

} // namespace gapless::repair
