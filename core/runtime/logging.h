#pragma once

#include <QLoggingCategory>

namespace gapless {

// The logging categories of OBS-1, one per core module and one for the CLI, so that one
// subsystem can be switched on at a time: QT_LOGGING_RULES="gapless.core.ingest.debug=true".
// Debug messages are off by default; info and above are on. The gapless.ui.* categories
// live in ui/, which core never links.
Q_DECLARE_LOGGING_CATEGORY(lcDomain)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcIngest)
Q_DECLARE_LOGGING_CATEGORY(lcFactor)
Q_DECLARE_LOGGING_CATEGORY(lcOverlay)
Q_DECLARE_LOGGING_CATEGORY(lcSources)
Q_DECLARE_LOGGING_CATEGORY(lcBackfill)
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)
Q_DECLARE_LOGGING_CATEGORY(lcRepair)
Q_DECLARE_LOGGING_CATEGORY(lcRuntime)
Q_DECLARE_LOGGING_CATEGORY(lcCli)

} // namespace gapless
