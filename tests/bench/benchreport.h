#pragma once

#include <QList>
#include <QString>

namespace gapless::bench {

enum class Goal { AtLeast, AtMost };

/// One PERF-0 line: `BENCH ID metric=V ref:NAME=V ratio=X target=OP V [MISSED]`.
struct BenchLine
{
    QString id;
    QString metric;
    double value = 0;
    QString refName;
    double refValue = 0;
    Goal goal = Goal::AtLeast;
    double target = 0;
    /// Whether the target applies to the ratio value/ref (true) or to the value itself.
    bool targetIsRatio = false;
};

/// Formats the line; MISSED is appended when the target is not met.
[[nodiscard]] QString formatBenchLine(const BenchLine &line);
/// Prints the line to stdout.
void printBenchLine(const BenchLine &line);

/// The nearest-rank percentile `p` (0 < p <= 100) of `values`; 0 when there are none.
[[nodiscard]] double percentile(QList<double> values, double p);

/// Whether `--quick` is among the arguments (CI runs quick sizes only).
[[nodiscard]] bool quickMode(int argc, char **argv);

} // namespace gapless::bench
