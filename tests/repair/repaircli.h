#pragma once

#include "core/domain/candle.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"

#include <QStringList>

namespace gapless::test {

/// A store of the test backend holding the SSE 000001 1m data imported through the CLI, with
/// helpers that damage it behind the CLI's back, for the verify, repair and review commands.
class RepairCli
{
public:
    static constexpr auto kSeries = "file:cn:000001.SH:1m";

    /// Imports the data; false with the reason in error().
    [[nodiscard]] bool start();
    [[nodiscard]] const QString &error() const { return m_error; }
    [[nodiscard]] RunResult run(const QStringList &args);
    /// `--series S --from F --to T --source file:DATA` over the whole data.
    [[nodiscard]] QStringList rangeArgs() const;
    [[nodiscard]] const CandleList &data() const { return m_data; }
    /// The rows of the `index`-th day that has rows.
    [[nodiscard]] CandleList day(int index) const;
    /// Adds `delta` to the stored close of the bar at `time`.
    [[nodiscard]] bool corrupt(qint64 time, double delta);
    /// Deletes the stored rows of [from, to).
    [[nodiscard]] bool erase(qint64 from, qint64 to);
    /// The first column of each row of `sql` on the store.
    [[nodiscard]] QVariantList query(const QString &sql, const QVariantList &binds = {});

private:
    TestDatabase m_db;
    store::StoreUrl m_url;
    CandleList m_data;
    QString m_error;
};

} // namespace gapless::test
