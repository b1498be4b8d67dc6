#include "app/commands/exportcommand.h"

#include "app/commandline.h"
#include "app/storeaccess.h"
#include "core/domain/numberformat.h"
#include "core/domain/rollup.h"

#include <QFile>
#include <QSaveFile>

#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis =
    u"export --series ID [--from T] [--to T] [--timeframe TF] [--format csv|freqtrade] [-o FILE]"_s;
constexpr qint64 kPageRows = 100000;

/// Writes candles as CSV (CLI-10) or a freqtrade array, buffering into the device.
class CandleWriter
{
public:
    CandleWriter(QIODevice *device, bool freqtrade) : m_device(device), m_freqtrade(freqtrade)
    {
        m_buffer = freqtrade ? QByteArray("[") : QByteArray("time,open,high,low,close,volume\n");
    }

    void write(const Candle &c)
    {
        if (m_freqtrade) {
            if (m_rows > 0)
                m_buffer += ',';
            m_buffer += '[' + QByteArray::number(c.time * 1000);
        } else {
            m_buffer += QByteArray::number(c.time);
        }
        for (const double v : {c.open, c.high, c.low, c.close, c.volume}) {
            m_buffer += ',';
            m_buffer += formatNumber(v);
        }
        m_buffer += m_freqtrade ? "]" : "\n";
        ++m_rows;
        if (m_buffer.size() > (1 << 20))
            flush();
    }

    [[nodiscard]] bool finish()
    {
        if (m_freqtrade)
            m_buffer += "]\n";
        return flush();
    }

    [[nodiscard]] qint64 rows() const { return m_rows; }

private:
    bool flush()
    {
        const bool ok = m_device->write(m_buffer) == m_buffer.size();
        m_buffer.clear();
        m_ok = m_ok && ok;
        return m_ok;
    }

    QIODevice *m_device;
    bool m_freqtrade;
    QByteArray m_buffer;
    qint64 m_rows = 0;
    bool m_ok = true;
};

} // namespace

int runExport(const CommandContext &ctx)
{
    CommandLine cl(u"export"_s, kSynopsis);
    cl.addOption({u"series"_s}, u"Stored series id"_s, u"ID"_s);
    cl.addOption({u"from"_s}, u"First time (s or ISO-8601)"_s, u"T"_s);
    cl.addOption({u"to"_s}, u"Last time (s or ISO-8601)"_s, u"T"_s);
    cl.addOption({u"timeframe"_s}, u"Roll up to this timeframe"_s, u"TF"_s);
    cl.addOption({u"format"_s}, u"csv (default) or freqtrade"_s, u"FORMAT"_s);
    cl.addOption({u"o"_s, u"output"_s}, u"Write to FILE instead of stdout"_s, u"FILE"_s);
    if (auto ok = cl.parse(ctx.options.arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    if (!cl.positional().isEmpty())
        return ctx.out.fail(cl.usage(u"unexpected argument '%1'"_s.arg(cl.positional().constFirst())), ExitUsage);
    auto seriesText = cl.required(u"series"_s);
    if (!seriesText)
        return ctx.out.fail(seriesText.error(), ExitUsage);
    auto series = SeriesId::parse(*seriesText);
    if (!series)
        return ctx.out.fail(series.error(), ExitUsage);
    const QString format = cl.isSet(u"format"_s) ? cl.value(u"format"_s).toLower() : u"csv"_s;
    if (format != u"csv"_s && format != u"freqtrade"_s)
        return ctx.out.fail(cl.usage(u"--format '%1'"_s.arg(cl.value(u"format"_s))), ExitUsage);
    qint64 from = std::numeric_limits<qint64>::min();
    qint64 to = std::numeric_limits<qint64>::max();
    for (const auto &[name, slot] : {std::pair{u"from"_s, &from}, std::pair{u"to"_s, &to}}) {
        if (!cl.isSet(name))
            continue;
        auto t = parseTimeArgument(u"--"_s + name, cl.value(name));
        if (!t)
            return ctx.out.fail(t.error(), ExitUsage);
        *slot = *t;
    }
    std::optional<RollupAccumulator> rollup;
    if (cl.isSet(u"timeframe"_s)) {
        auto tf = Timeframe::parse(cl.value(u"timeframe"_s));
        if (!tf)
            return ctx.out.fail(tf.error(), ExitUsage);
        if (*tf != series->timeframe()) {
            if (auto ok = checkRollup(series->timeframe(), *tf); !ok)
                return ctx.out.fail(ok.error(), ExitUsage);
            rollup.emplace(series->timeframe(), *tf);
        }
    }

    auto store = openReadOnlyStore(ctx);
    if (!store)
        return ctx.out.fail(store.error(), ExitFailure);

    QFile stdoutFile;
    QSaveFile saveFile;
    QIODevice *device = nullptr;
    const QString outPath = cl.value(u"o"_s);
    if (outPath.isEmpty() || outPath == u"-"_s) {
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly))
            return ctx.out.fail(Error::unavailable(u"stdout: cannot write; expected a writable stream"_s), ExitFailure);
        device = &stdoutFile;
    } else {
        saveFile.setFileName(outPath);
        if (!saveFile.open(QIODevice::WriteOnly))
            return ctx.out.fail(Error::unavailable(u"%1: cannot write (%2); expected a writable file"_s.arg(
                                    outPath, saveFile.errorString())),
                                ExitFailure);
        device = &saveFile;
    }

    CandleWriter writer(device, format == u"freqtrade"_s);
    qint64 cursor = from;
    for (;;) {
        auto page = (*store)->range(*series, cursor, to, kPageRows);
        if (!page)
            return ctx.out.fail(page.error(), ExitFailure);
        for (const Candle &c : std::as_const(*page)) {
            if (!rollup) {
                writer.write(c);
            } else if (const auto bucket = rollup->add(c)) {
                writer.write(*bucket);
            }
        }
        if (page->size() < kPageRows)
            break;
        cursor = page->constLast().time + 1;
    }
    if (rollup) {
        rollup->finish();
        ctx.out.warning(u"incomplete: %1"_s.arg(rollup->incomplete()));
    }
    if (!writer.finish() || (device == &saveFile && !saveFile.commit()))
        return ctx.out.fail(Error::unavailable(u"%1: write failed (%2); expected room to write the export"_s.arg(
                                outPath.isEmpty() ? u"stdout"_s : outPath, device->errorString())),
                            ExitFailure);
    if (device == &saveFile)
        ctx.out.warning(u"%1 rows written to %2"_s.arg(writer.rows()).arg(outPath));
    return ExitOk;
}

} // namespace gapless::app
