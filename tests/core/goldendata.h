#pragma once

// Test-local readers for the files in tests/data/ and tests/data/expected/. They split on ','
// on purpose instead of using the production CSV reader, so the golden tests stay independent of it.

#include "core/domain/candle.h"
#include "tests/support/testenv.h"

#include <QByteArrayList>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <algorithm>
#include <iterator>

namespace gapless::test {

struct CandleCsv
{
    QList<int> lines; ///< file line of each candle; the header is line 1
    CandleList candles;
    QString error; ///< empty when the whole file was read
};

/// Reads a `time,open,high,low,close,volume` file under tests/data (LF, no quotes).
inline CandleCsv readCandleCsv(const QString &relative)
{
    using namespace Qt::StringLiterals;
    CandleCsv csv;
    QFile file(dataFile(relative));
    if (!file.open(QIODevice::ReadOnly)) {
        csv.error = file.fileName() + u": "_s + file.errorString();
        return csv;
    }
    const QByteArrayList lines = file.readAll().split('\n');
    if (lines.isEmpty() || !lines.front().startsWith("time,open,high,low,close,volume")) {
        csv.error = relative + u":1: unexpected header"_s;
        return csv;
    }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines.at(i).isEmpty())
            continue;
        const QByteArrayList cells = lines.at(i).split(',');
        bool ok[6] = {};
        if (cells.size() == 6) {
            Candle c;
            c.time = cells.at(0).toLongLong(&ok[0]);
            c.open = cells.at(1).toDouble(&ok[1]);
            c.high = cells.at(2).toDouble(&ok[2]);
            c.low = cells.at(3).toDouble(&ok[3]);
            c.close = cells.at(4).toDouble(&ok[4]);
            c.volume = cells.at(5).toDouble(&ok[5]);
            if (std::all_of(std::begin(ok), std::end(ok), [](bool b) { return b; })) {
                csv.lines.append(int(i + 1));
                csv.candles.append(c);
                continue;
            }
        }
        csv.error = relative + u":%1: not a candle row"_s.arg(i + 1);
        return csv;
    }
    return csv;
}

/// Reads a JSON object under tests/data; `error` is set if it is not one.
inline QJsonObject readJsonObject(const QString &relative, QString *error)
{
    using namespace Qt::StringLiterals;
    QFile file(dataFile(relative));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.fileName() + u": "_s + file.errorString();
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        *error = relative + u": "_s + parseError.errorString();
    return doc.object();
}

} // namespace gapless::test

namespace gapless {

/// Lets QCOMPARE print a candle that differs, with every digit of each value.
inline char *toString(const Candle &c)
{
    const auto n = [](double v) { return QByteArray::number(v, 'g', 17); };
    const QByteArray text = QByteArray::number(c.time) + ',' + n(c.open) + ',' + n(c.high) + ',' + n(c.low) + ','
        + n(c.close) + ',' + n(c.volume);
    return qstrdup(text.constData());
}

} // namespace gapless
