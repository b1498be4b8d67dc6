#pragma once

#include "core/domain/result.h"
#include "core/runtime/clock.h"
#include "core/runtime/settings.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::sources {
class ReplayExchange;
}

namespace gapless::app {

/// "Load demo" on an empty database (UI-3), as `gapless demo` does it (BF-24): the bundled
/// SSE sample is imported as `file:cn:000001.SH:1m`, and a replay exchange serving the same
/// bars as DEMO/USDT (speed 10, a 20 s outage every 60 s) feeds the core's sync series.
class GuiDemo final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuiDemo)
public:
    static constexpr QStringView kImportedSeries = u"file:cn:000001.SH:1m";

    explicit GuiDemo(const Clock &wall, QObject *parent = nullptr);
    ~GuiDemo() override;

    /// Reads the sample and starts the replay exchange on 127.0.0.1.
    [[nodiscard]] Result<void> start();
    /// `--set` pairs pointing a core at the replay: REST and stream URLs, the sync series.
    [[nodiscard]] QList<CliSetting> coreSettings() const;
    /// The replay's virtual time, the demo core's clock.
    [[nodiscard]] const Clock &clock() const;
    /// Imports the sample through `writer`; imported() or importFailed() follows.
    void importSample(ingest::IngestWriter *writer, qint64 nowSeconds);

    /// The bundled sample: beside the installed binary, else in the source tree.
    [[nodiscard]] static QString samplePath();

signals:
    void imported(qint64 rows);
    void importFailed(const gapless::Error &error);

private:
    const Clock &m_wall;
    std::unique_ptr<sources::ReplayExchange> m_replay;
    QUrl m_url;
};

} // namespace gapless::app
