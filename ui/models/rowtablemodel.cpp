#include "ui/models/rowtablemodel.h"

#include <algorithm>

namespace gapless::ui {

RowTableModel::RowTableModel(QStringList headers, QObject *parent)
    : QAbstractTableModel(parent)
    , m_headers(std::move(headers))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kCoalesceMs);
    connect(&m_timer, &QTimer::timeout, this, &RowTableModel::flush);
}

int RowTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RowTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_headers.size());
}

QVariant RowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= m_headers.size())
        return {};
    return m_headers.at(section);
}

QVariant RowTableModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid));
    const QJsonObject &row = m_rows.at(index.row());
    if (role == KeyRole)
        return keyOf(row);
    return cell(row, index.column(), role);
}

int RowTableModel::rowOfKey(const QString &key) const
{
    return m_index.value(key, -1);
}

void RowTableModel::setStatusMessage(const QString &message)
{
    if (message == m_statusMessage)
        return;
    m_statusMessage = message;
    emit statusMessageChanged(message);
}

bool RowTableModel::keeps(const QJsonObject &) const
{
    return true;
}

void RowTableModel::upsert(const QJsonObject &row)
{
    const QString key = keyOf(row);
    if (!m_pending.contains(key))
        m_pendingOrder.append(key);
    m_pending.insert(key, keeps(row) ? row : QJsonObject());
    scheduleFlush();
}

void RowTableModel::remove(const QString &key)
{
    if (!m_pending.contains(key))
        m_pendingOrder.append(key);
    m_pending.insert(key, QJsonObject());
    scheduleFlush();
}

QJsonObject RowTableModel::current(const QString &key) const
{
    if (const auto it = m_pending.constFind(key); it != m_pending.cend())
        return *it;
    const int at = m_index.value(key, -1);
    return at >= 0 ? m_rows.at(at) : QJsonObject();
}

void RowTableModel::resetRows(const QList<QJsonObject> &rows)
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    m_pending.clear();
    m_pendingOrder.clear();
    for (const QJsonObject &row : rows) {
        if (!keeps(row))
            continue;
        const QString key = keyOf(row);
        if (const auto it = m_index.constFind(key); it != m_index.cend()) {
            m_rows[*it] = row;
            continue;
        }
        m_index.insert(key, static_cast<int>(m_rows.size()));
        m_rows.append(row);
    }
    endResetModel();
}

void RowTableModel::scheduleFlush()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void RowTableModel::flush()
{
    m_timer.stop();
    if (m_pendingOrder.isEmpty())
        return;
    QList<int> removals;
    QList<QJsonObject> additions;
    int firstChanged = -1;
    int lastChanged = -1;
    for (const QString &key : std::as_const(m_pendingOrder)) {
        const QJsonObject row = m_pending.value(key);
        const int at = m_index.value(key, -1);
        if (row.isEmpty()) {
            if (at >= 0)
                removals.append(at);
        } else if (at >= 0) {
            m_rows[at] = row;
            firstChanged = firstChanged < 0 ? at : std::min(firstChanged, at);
            lastChanged = std::max(lastChanged, at);
        } else {
            additions.append(row);
        }
    }
    m_pending.clear();
    m_pendingOrder.clear();
    if (firstChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, columnCount() - 1));
    std::sort(removals.begin(), removals.end(), std::greater<>());
    for (const int at : std::as_const(removals)) {
        beginRemoveRows({}, at, at);
        m_rows.removeAt(at);
        endRemoveRows();
    }
    if (!removals.isEmpty()) {
        m_index.clear();
        for (int i = 0; i < m_rows.size(); ++i)
            m_index.insert(keyOf(m_rows.at(i)), i);
    }
    if (!additions.isEmpty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(additions.size()) - 1);
        for (const QJsonObject &row : std::as_const(additions)) {
            m_index.insert(keyOf(row), static_cast<int>(m_rows.size()));
            m_rows.append(row);
        }
        endInsertRows();
    }
}

} // namespace gapless::ui
