#include "core/sources/filesource.h"

#include "core/sources/candlefile.h"
#include "core/sources/fileformat.h"

#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr QStringView kExtensions[] = {u".csv", u".csv.gz", u".json", u".json.gz"};

} // namespace

FileSource::FileSource(QStringList dirs) : m_dirs(std::move(dirs))
{
}

QString FileSource::fileStem(const SeriesId &series)
{
    QString pair = series.symbol();
    for (const QChar c : u"/ .@$+:")
        pair.replace(c, u'_');
    QString stem = pair + u'-' + series.timeframe().toString();
    if (series.market() == "futures"_L1)
        stem += u"-futures"_s;
    return stem;
}

std::optional<QString> FileSource::locate(const SeriesId &series) const
{
    const QString stem = fileStem(series);
    const QString sub = series.market() == "futures"_L1 ? u"futures/"_s : QString();
    for (const QString &dir : m_dirs) {
        for (const QString &base : {QString(dir + u'/' + series.exchange() + u'/'), QString(dir + u'/')}) {
            for (const QStringView ext : kExtensions) {
                const QString path = base + sub + stem + ext;
                if (QFileInfo(path).isFile())
                    return path;
            }
        }
    }
    return std::nullopt;
}

Result<CandleList> FileSource::read(const SeriesId &series, qint64 from, qint64 to) const
{
    const auto path = locate(series);
    if (!path)
        return CandleList();
    auto format = detectFormat(*path, {});
    if (!format)
        return format.error();
    auto parsed = readCandleFile(*path, *format);
    if (!parsed)
        return parsed.error();
    CandleList rows;
    for (const ParsedRow &row : parsed->rows) {
        if (row.candle.time >= from && row.candle.time <= to)
            rows.append(row.candle);
    }
    // Ascending for the pipeline; duplicates and disorder are the validator's to report.
    std::stable_sort(rows.begin(), rows.end(), [](const Candle &a, const Candle &b) { return a.time < b.time; });
    return rows;
}

} // namespace gapless::sources
