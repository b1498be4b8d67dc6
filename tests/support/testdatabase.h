#pragma once

#include "core/store/storeurl.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace gapless::test {

/// The backend a store test runs against: GAPLESS_TEST_BACKEND = sqlite (default) or postgresql.
/// PostgreSQL tests read the server URL that the ctest `postgres` fixture wrote (GAPLESS_TEST_PG_FILE).
class TestDatabase
{
public:
    TestDatabase();
    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    [[nodiscard]] bool isPostgres() const { return m_postgres; }
    [[nodiscard]] QString backendName() const { return m_postgres ? QStringLiteral("postgresql") : QStringLiteral("sqlite"); }
    /// Empty unless setup failed: the reason the backend cannot be used.
    [[nodiscard]] const QString &setupError() const { return m_setupError; }

    /// A URL to a new, empty database (a new SQLite file, or a freshly created PostgreSQL database).
    [[nodiscard]] store::StoreUrl freshUrl();
    /// The server's admin URL (PostgreSQL only), database `postgres`.
    [[nodiscard]] store::StoreUrl serverUrl() const { return m_server; }
    [[nodiscard]] QString tempPath(const QString &name) const { return m_dir.filePath(name); }

private:
    bool m_postgres = false;
    QString m_setupError;
    QTemporaryDir m_dir;
    store::StoreUrl m_server;
    int m_counter = 0;
    QStringList m_created;
};

/// The URL as `--db` takes it, password included (tests only).
[[nodiscard]] QString urlText(const store::StoreUrl &url);

/// Runs one statement that must change exactly one row on a connection of its own, as another
/// node or process would; the error text, or empty.
[[nodiscard]] QString execElsewhere(const store::StoreUrl &url, const QString &sql);

/// The PostgreSQL server URL from the fixture, or an error text.
[[nodiscard]] QString postgresServerUrl(QString *error);

} // namespace gapless::test
