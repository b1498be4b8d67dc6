#pragma once

#include "core/store/storeurl.h"

#include <QString>
#include <QTemporaryDir>

namespace gapless::test {

/// A private PostgreSQL cluster (tests/pg/pgserver.sh) that a test may stop and start again,
/// for the fail-closed cases of IDEM-10. Removed on destruction.
class PgCluster final
{
public:
    PgCluster() = default;
    ~PgCluster();
    Q_DISABLE_COPY_MOVE(PgCluster)

    [[nodiscard]] bool start();
    /// Stops the server at once (-m immediate), keeping its data.
    [[nodiscard]] bool stop();
    /// Starts the stopped server again on the same port.
    [[nodiscard]] bool restart();
    [[nodiscard]] const store::StoreUrl &url() const { return m_url; }
    [[nodiscard]] const QString &error() const { return m_error; }

private:
    [[nodiscard]] bool shell(const QString &script);

    QTemporaryDir m_state;
    store::StoreUrl m_url;
    QString m_dataDir;
    int m_port = 0;
    QString m_error;
    bool m_started = false;
};

} // namespace gapless::test
