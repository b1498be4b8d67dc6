#pragma once

#include "core/repair/repairrun.h"
#include "core/store/candlestore.h"
#include "tests/support/testcore.h"

#include <memory>

namespace gapless::test {

/// A TestCore holding the real SSE 000001 1m data (tests/data), a reader on the calling thread
/// and a file source, for verify and repair tests on either backend.
class RepairFixture
{
public:
    /// 2025-01-01Z: every bar of the data is closed.
    static constexpr qint64 kNowMs = 1735689600000;

    [[nodiscard]] bool start(const QStringList &settings = {});
    [[nodiscard]] TestCore &core() { return *m_core; }
    [[nodiscard]] store::CandleStore &reader() { return *m_reader; }
    [[nodiscard]] const SeriesId &series() const { return m_series; }
    [[nodiscard]] const CandleList &data() const { return m_data; }
    [[nodiscard]] QString sourceText() const;
    /// [first bar, last bar + 60).
    [[nodiscard]] qint64 from() const { return m_data.first().time; }
    [[nodiscard]] qint64 to() const { return m_data.last().time + 60; }

    /// The rows of the `index`-th UTC day that has rows (0 = the first day of the data).
    [[nodiscard]] CandleList day(int index) const;
    /// Overwrites one stored bar with a close nudged by `delta` (a live write, no job).
    [[nodiscard]] bool corrupt(qint64 time, double delta);
    /// Deletes the stored rows of [from, to) on the writer's connection.
    [[nodiscard]] bool erase(qint64 from, qint64 to);
    /// Runs `sql` (binding `binds`) on the writer's connection and returns the first column of each row.
    [[nodiscard]] QVariantList query(const QString &sql, const QVariantList &binds = {});

    [[nodiscard]] Result<repair::VerifyOutcome> verify(const QString &source = {});
    [[nodiscard]] Result<QJsonObject> repair(qint64 jobId, std::optional<ConflictPolicy> policy,
                                             std::optional<qint64> verifyJobId = std::nullopt);

private:
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<store::CandleStore> m_reader;
    SeriesId m_series;
    CandleList m_data;
    QString m_path;
};

} // namespace gapless::test
