#pragma once

#include "app/commandcontext.h"
#include "app/commandline.h"
#include "app/progressbar.h"

#include <QJsonObject>

#include <memory>

namespace gapless::app {

/// `gapless verify --series ID --from T --to T [--source S]` (REP-1, REP-13): a verify job,
/// in-process or on `--connect` (CLI-14), comparing the day checksums of the stored range
/// with the source; exit 3 when a bucket differs.
int runVerify(const CommandContext &ctx);

/// REP-13 progress of a verify or repair run in the CLI: a bar on a terminal (CLI-4), else one
/// stderr line per 10 % of each phase, nothing with --no-progress.
class PhaseProgress
{
public:
    explicit PhaseProgress(const CommandContext &ctx);
    Q_DISABLE_COPY_MOVE(PhaseProgress)
    ~PhaseProgress();

    void update(qint64 done, std::optional<qint64> total, const QString &unit, const QString &phase);
    /// The `progress` object of a job event {done, total, unit, note} (JOB-11).
    void updateFrom(const QJsonObject &progress);

private:
    const CommandContext &m_ctx;
    std::unique_ptr<ProgressBar> m_bar;
    QString m_phase;
    int m_lastTenth = -1;
};

/// Prints `DAY local N source N missing N extra N differ N` for each differing bucket of a
/// REP-5 result.
void printDifferingBuckets(const CommandContext &ctx, const QJsonObject &result);

/// Parses `--from` and `--to` of verify and repair, both required.
[[nodiscard]] Result<std::pair<qint64, qint64>> parseRange(const CommandLine &line);
/// The options verify and repair share: --series (the `what` of its help), --from, --to, --source.
void addRangeOptions(CommandLine &line, const QString &what);

} // namespace gapless::app
