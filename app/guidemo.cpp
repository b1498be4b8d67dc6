#include "app/guidemo.h"

#include "core/ingest/fileimport.h"
#include "core/sources/replay/replayexchange.h"
#include "core/sources/replay/replayfaultspec.h"
#include "core/sources/replay/replaytape.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSymbol = u"DEMOUSDT"_s;
const QString kSyncSeries = u"binance:spot:DEMO/USDT:1m,binance:spot:DEMO/USDT:5m,binance:spot:DEMO/USDT:15m,"
                            u"binance:spot:DEMO/USDT:1h"_s;

} // namespace

GuiDemo::GuiDemo(const Clock &wall, QObject *parent)
    : QObject(parent)
    , m_wall(wall)
{
}

GuiDemo::~GuiDemo() = default;

QString GuiDemo::samplePath()
{
    const QString installed = QCoreApplication::applicationDirPath() + u"/../share/gapless/data/sse_000001_1m.csv"_s;
    if (QFileInfo::exists(installed))
        return QDir::cleanPath(installed);
    return QStringLiteral(GAPLESS_SOURCE_DATA_DIR) + u"/sse_000001_1m.csv"_s;
}

Result<void> GuiDemo::start()
{
    auto rows = sources::ReplayTape::readCsv(samplePath());
    if (!rows)
        return rows.error();
    sources::ReplayOptions options;
    options.speed = 10;
    auto faults = sources::parseReplayFaults(u"disconnect:every=60s,for=20s"_s, u"demo outages"_s);
    if (!faults)
        return faults.error();
    options.faults = *faults;
    m_replay = std::make_unique<sources::ReplayExchange>(m_wall, QList<sources::ReplaySymbol>{{kSymbol, *rows}},
                                                         options);
    auto url = m_replay->listen();
    if (!url)
        return url.error();
    m_url = *url;
    return {};
}

QList<CliSetting> GuiDemo::coreSettings() const
{
    QString ws = m_url.toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    return {{u"--set"_s, u"source.binance_spot_rest="_s + m_url.toString()},
            {u"--set"_s, u"source.binance_spot_ws="_s + ws},
            {u"--set"_s, u"sync.series="_s + kSyncSeries}};
}

const Clock &GuiDemo::clock() const
{
    return m_replay->clock();
}

void GuiDemo::importSample(ingest::IngestWriter *writer, qint64 nowSeconds)
{
    auto *import = new ingest::FileImport(writer, this);
    ingest::ImportRequest request;
    request.path = samplePath();
    request.series = *SeriesId::parse(kImportedSeries);
    request.nowSeconds = nowSeconds;
    request.runId = m_wall.nowMs();
    if (auto ok = import->prepare(request); !ok) {
        import->deleteLater();
        emit importFailed(ok.error());
        return;
    }
    connect(import, &ingest::FileImport::finished, this, [this, import](const ingest::ImportReport &report) {
        import->deleteLater();
        if (report.runError)
            emit importFailed(*report.runError);
        else
            emit imported(report.rows);
    });
    import->start();
}

} // namespace gapless::app
