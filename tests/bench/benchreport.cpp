#include "tests/bench/benchreport.h"

#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace gapless::bench {

namespace {

QString number(double v)
{
    if (v >= 100)
        return QString::number(qRound64(v));
    return QString::number(v, 'f', v >= 10 ? 1 : 3);
}

} // namespace

QString formatBenchLine(const BenchLine &line)
{
    const double ratio = line.refValue != 0 ? line.value / line.refValue : 0;
    const double measured = line.targetIsRatio ? ratio : line.value;
    const bool met = line.goal == Goal::AtLeast ? measured >= line.target : measured <= line.target;
    QString text = u"BENCH %1 %2=%3 ref:%4=%5 ratio=%6 target=%7 %8"_s.arg(
        line.id, line.metric, number(line.value), line.refName, number(line.refValue),
        QString::number(ratio, 'f', 2), line.goal == Goal::AtLeast ? u">="_s : u"<="_s, number(line.target));
    if (line.targetIsRatio)
        text += u"x"_s;
    if (!met)
        text += u" MISSED"_s;
    return text;
}

void printBenchLine(const BenchLine &line)
{
    QTextStream(stdout) << formatBenchLine(line) << Qt::endl;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(values.size())));
    return values.at(std::clamp<qsizetype>(rank, 1, values.size()) - 1);
}

bool quickMode(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            return true;
    }
    return false;
}

} // namespace gapless::bench
