#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QTimer>

namespace gapless::ui {

/// A table of JSON rows as the core sends them (raw values), one row per key. Changes are
/// queued and applied together once per 200 ms (UI-15): removals, then one dataChanged over
/// the changed rows, then one insertion at the end. Subclasses give the key and the cells.
class RowTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowTableModel)
public:
    /// Sort proxies read numbers through this role, not the display text (STYLE §7).
    enum Role { RawValueRole = Qt::UserRole + 1, KeyRole };
    static constexpr int kCoalesceMs = 200;

    /// `headers` names the columns, one each.
    explicit RowTableModel(QStringList headers, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    /// The row at `row`, as stored.
    [[nodiscard]] const QJsonObject &rowObject(int row) const { return m_rows.at(row); }
    [[nodiscard]] int rowOfKey(const QString &key) const;
    /// The row with `key` including queued changes; empty if none.
    [[nodiscard]] QJsonObject current(const QString &key) const;
    /// The applied rows plus the queued changes, without waiting for the next tick.
    void flush();
    /// A message instead of rows, e.g. an `unavailable` answer; empty clears it.
    void setStatusMessage(const QString &message);
    [[nodiscard]] const QString &statusMessage() const { return m_statusMessage; }

signals:
    void statusMessageChanged(const QString &message);

protected:
    /// Queues `row` to replace (or join) the row with its key.
    void upsert(const QJsonObject &row);
    /// Queues the row with `key` to leave.
    void remove(const QString &key);
    /// Replaces every row at once (a snapshot); queued changes are dropped.
    void resetRows(const QList<QJsonObject> &rows);

    [[nodiscard]] virtual QString keyOf(const QJsonObject &row) const = 0;
    /// The cell's value for `role` (not called for KeyRole).
    [[nodiscard]] virtual QVariant cell(const QJsonObject &row, int column, int role) const = 0;
    /// Whether a queued row should stay; false makes it leave (e.g. a healed gap).
    [[nodiscard]] virtual bool keeps(const QJsonObject &row) const;

private:
    void scheduleFlush();

    QStringList m_headers;
    QList<QJsonObject> m_rows;
    QHash<QString, int> m_index;
    QHash<QString, QJsonObject> m_pending; ///< key → new row; an empty object removes
    QList<QString> m_pendingOrder;
    QTimer m_timer;
    QString m_statusMessage;
};

} // namespace gapless::ui
