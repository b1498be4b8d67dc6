#pragma once

#include "core/store/candlestore.h"
#include "core/store/migrations.h"

#include <QSqlQuery>

#include <map>
#include <optional>

namespace gapless::store {

/// The part of CandleStore both backends share: the same SQL, bound values, one connection.
class SqlCandleStore : public CandleStore
{
public:
    ~SqlCandleStore() override;
    Q_DISABLE_COPY_MOVE(SqlCandleStore)

    const StoreUrl &url() const override { return m_url; }
    QSqlDatabase database() const override { return m_db; }
    Result<QSqlQuery *> prepared(const QString &sql) override;
    int schemaVersion() const override { return m_schemaVersion; }

    Result<void> begin() override;
    Result<void> commit() override;
    Result<void> rollback() override;
    Result<void> savepoint(const QString &name) override;
    Result<void> rollbackTo(const QString &name) override;
    Result<void> reconnect() override;

    Result<UpsertResult> upsert(const SeriesId &series, const CandleList &candles,
                                const RevisionContext &context) override;
    Result<CandleList> range(const SeriesId &series, qint64 from, qint64 to, qint64 limit) override;
    Result<CandleList> tail(const SeriesId &series, qint64 count) override;
    Result<CandleList> after(const SeriesId &series, qint64 time, qint64 limit) override;
    Result<CandleList> before(const SeriesId &series, qint64 time, qint64 limit) override;
    Result<std::optional<qint64>> headTime(const SeriesId &series) override;
    Result<GapReport> gaps(const SeriesId &series, qint64 from, qint64 to) override;
    Result<QList<SeriesInfo>> seriesList() override;
    Result<QList<SeriesId>> seriesIds() override;
    Result<bool> hasSeries(const SeriesId &series) override;

protected:
    SqlCandleStore(const StoreUrl &url, SqlDialect dialect, int maxRowsPerInsert);

    /// Migrates (writers) or checks the schema version (readers) once the connection is open.
    [[nodiscard]] Result<void> prepareSchema(bool readOnly);
    [[nodiscard]] QString context() const { return m_url.redacted(); }
    /// The stored rows of [from, to], ascending: the upsert's classification read.
    [[nodiscard]] virtual Result<CandleList> readStored(const SeriesId &series, qint64 from, qint64 to);
    /// Connection set-up that a reconnect repeats (pragmas, native handles).
    [[nodiscard]] virtual Result<void> afterConnect() { return {}; }
    /// Called before the connection closes, to let go of native statements.
    virtual void beforeDisconnect() {}
    /// Inserts rows known to be absent, inside the caller's transaction.
    [[nodiscard]] virtual Result<void> insertRows(const SeriesId &series, const CandleList &rows);
    [[nodiscard]] QString connectionName() const { return m_connectionName; }
    void setDatabase(const QSqlDatabase &db) { m_db = db; }

private:
    struct Existing;
    [[nodiscard]] Result<QSqlQuery *> cached(std::optional<QSqlQuery> &slot, const QString &sql);
    [[nodiscard]] Result<void> requireSeries(const SeriesId &series);
    [[nodiscard]] Result<CandleList> readCandles(QSqlQuery &query, bool descending);
    /// `SELECT … WHERE series_id = ?<condition> ORDER BY candle_time [DESC] LIMIT ?`, ascending out.
    [[nodiscard]] Result<CandleList> selectCandles(const SeriesId &series, const QString &condition, bool newestFirst,
                                                   const QVariantList &values, qint64 limit);
    [[nodiscard]] Result<void> ensureSeriesRow(const SeriesId &series, qint64 atMs);
    [[nodiscard]] Result<void> updateRow(const SeriesId &series, const Candle &old, const Candle &now,
                                         const RevisionContext &context);
    void releaseQueries();

    StoreUrl m_url;
    SqlDialect m_dialect;
    int m_maxRowsPerInsert;
    QString m_connectionName;
    std::map<QString, std::optional<QSqlQuery>> m_prepared; ///< prepared(): per connection
    QSqlDatabase m_db;
    int m_schemaVersion = 0;
    std::optional<QSqlQuery> m_selectExisting;
    std::optional<QSqlQuery> m_insertChunk;
    std::optional<QSqlQuery> m_insertSeries;
    std::optional<QSqlQuery> m_updateCandle;
    std::optional<QSqlQuery> m_insertRevision;
    std::optional<QSqlQuery> m_hasSeries;
};

} // namespace gapless::store
