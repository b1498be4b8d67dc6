#include "ui/models/flagsmodel.h"

#include "core/protocol/client.h"
#include "ui/models/commandsender.h"

#include <QFont>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::ui {

FlagsModel::FlagsModel(protocol::Client *client, QObject *parent)
    : RowTableModel({tr("Setting"), tr("Value"), tr("Default"), tr("Source")}, parent)
    , m_sender(new CommandSender(client, this))
{
    // Also on every (re)connect: the dialog may be open before the first connection.
    connect(client, &protocol::Client::helloReceived, this, &FlagsModel::refresh);
}

void FlagsModel::refresh()
{
    if (!m_sender->isConnected())
        return; // asked again on `hello`
    m_sender->send(u"flags_get"_s, {}, [this](bool ok, const QJsonValue &data, const Error &error) {
        if (!ok) {
            setStatusMessage(tr("Flags: %1 (%2)").arg(error.message, error.codeName()));
            return;
        }
        setStatusMessage({});
        QList<QJsonObject> rows;
        for (const QJsonValue &item : data.toObject().value("flags"_L1).toArray())
            rows.append(item.toObject());
        resetRows(rows);
    });
}

Qt::ItemFlags FlagsModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = RowTableModel::flags(index);
    if (index.isValid() && index.column() == ValueColumn && rowObject(index.row()).value("rt"_L1).toBool())
        f |= Qt::ItemIsEditable;
    return f;
}

bool FlagsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const QString key = rowObject(index.row()).value("key"_L1).toString();
    const QString text = value.toString();
    m_sender->send(
        u"flags_set"_s, QJsonObject{{u"key"_s, key}, {u"value"_s, text}},
        [this, key, text](bool ok, const QJsonValue &data, const Error &error) {
            if (!ok) {
                setStatusMessage(tr("%1 = \"%2\" refused: %3").arg(key, text, error.message));
                return;
            }
            setStatusMessage(tr("%1 = %2 (runtime, until the core restarts)").arg(key, text));
            upsert(data.toObject().value("flag"_L1).toObject());
        },
        CommandSender::newIdempotencyKey());
    return true;
}

QString FlagsModel::keyOf(const QJsonObject &row) const
{
    return row.value("key"_L1).toString();
}

QVariant FlagsModel::cell(const QJsonObject &row, int column, int role) const
{
    const bool runtime = row.value("rt"_L1).toBool();
    if (role == Qt::FontRole && column == ValueColumn && runtime) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole)
        return runtime ? tr("Changeable on the running core; double-click the value to edit")
                       : tr("Needs a restart: set it in gapless.ini, GAPLESS_* or --set");
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != RawValueRole)
        return {};
    switch (column) {
    case KeyColumn:
        return row.value("key"_L1).toString();
    case ValueColumn:
        return row.value("value"_L1).toVariant().toString();
    case DefaultColumn:
        return row.value("default"_L1).toVariant().toString();
    case SourceColumn:
        return row.value("source"_L1).toString();
    default:
        return {};
    }
}

} // namespace gapless::ui
