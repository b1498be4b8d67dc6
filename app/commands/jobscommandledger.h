#pragma once

#include "app/commandcontext.h"
#include "core/jobs/jobledger.h"

#include <QJsonValue>

#include <functional>

namespace gapless::app {

/// Runs `work` on the job tables through an in-process writer on `--db` (CLI-14) and waits
/// for its answer: `gapless jobs cancel` and `gapless keys delete`.
[[nodiscard]] Result<QJsonValue> onLedger(const CommandContext &ctx,
                                          std::function<Result<QJsonValue>(jobs::JobLedger &)> work);

} // namespace gapless::app
