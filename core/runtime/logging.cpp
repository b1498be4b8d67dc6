#include "core/runtime/logging.h"

namespace gapless {

Q_LOGGING_CATEGORY(lcDomain, "gapless.core.domain", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "gapless.core.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIngest, "gapless.core.ingest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFactor, "gapless.core.factor", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOverlay, "gapless.core.overlay", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSources, "gapless.core.sources", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBackfill, "gapless.core.backfill", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProtocol, "gapless.core.protocol", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRepair, "gapless.core.repair", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRuntime, "gapless.core.runtime", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCli, "gapless.app.cli", QtInfoMsg)

} // namespace gapless
