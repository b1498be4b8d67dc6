#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace gapless::test {

namespace {

// Runs admin statements on the server's `postgres` database through a short-lived connection.
QString adminExec(const store::StoreUrl &server, const QStringList &statements)
{
    const QString name = u"gapless-test-admin"_s;
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(server.host);
        db.setPort(server.port);
        db.setUserName(server.user);
        db.setPassword(server.password);
        db.setDatabaseName(server.database);
        db.setConnectOptions(u"options='-c client_min_messages=warning'"_s);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            for (const QString &statement : statements) {
                QSqlQuery query(db);
                if (!query.exec(statement)) {
                    error = statement + u": "_s + query.lastError().text();
                    break;
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

} // namespace

QString urlText(const store::StoreUrl &url)
{
    if (url.isSqlite())
        return url.path;
    return u"postgresql://%1:%2@%3:%4/%5"_s.arg(url.user, url.password, url.host).arg(url.port).arg(url.database);
}

QString postgresServerUrl(QString *error)
{
    const QString file = qEnvironmentVariable("GAPLESS_TEST_PG_FILE");
    if (file.isEmpty()) {
        *error = u"GAPLESS_TEST_PG_FILE is not set; expected ctest's postgres fixture to provide it"_s;
        return {};
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot read; expected the URL written by tests/pg/pgserver.sh"_s.arg(file);
        return {};
    }
    return QString::fromUtf8(f.readAll()).trimmed();
}

TestDatabase::TestDatabase()
    : m_postgres(qEnvironmentVariable("GAPLESS_TEST_BACKEND") == u"postgresql"_s)
{
    if (!m_postgres)
        return;
    const QString url = postgresServerUrl(&m_setupError);
    if (!m_setupError.isEmpty())
        return;
    auto parsed = store::StoreUrl::parse(url);
    if (!parsed)
        m_setupError = parsed.error().message;
    else
        m_server = *parsed;
}

TestDatabase::~TestDatabase()
{
    if (!m_postgres || m_created.isEmpty())
        return;
    QStringList drops;
    for (const QString &name : std::as_const(m_created))
        drops << u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name);
    (void)adminExec(m_server, drops);
}

store::StoreUrl TestDatabase::freshUrl()
{
    ++m_counter;
    if (!m_postgres) {
        store::StoreUrl url;
        url.path = m_dir.filePath(u"store%1.db"_s.arg(m_counter));
        return url;
    }
    const QString name = u"%1_%2_%3"_s.arg(QCoreApplication::applicationName().toLower())
                             .arg(QCoreApplication::applicationPid())
                             .arg(m_counter);
    const QString error = adminExec(m_server, {u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name),
                                               u"CREATE DATABASE %1"_s.arg(name)});
    if (!error.isEmpty())
        qFatal("cannot create test database %s: %s", qPrintable(name), qPrintable(error));
    m_created << name;
    store::StoreUrl url = m_server;
    url.database = name;
    return url;
}

QString execElsewhere(const store::StoreUrl &url, const QString &sql)
{
    const QString name = u"gapless_test_elsewhere"_s;
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(url.isSqlite() ? u"QSQLITE"_s : u"QPSQL"_s, name);
        if (url.isSqlite()) {
            db.setDatabaseName(url.path);
            db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        } else {
            db.setHostName(url.host);
            db.setPort(url.port);
            db.setUserName(url.user);
            db.setPassword(url.password);
            db.setDatabaseName(url.database);
        }
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(sql))
                error = q.lastError().text();
            else if (q.numRowsAffected() != 1)
                error = u"%1: %2 rows changed; expected 1"_s.arg(sql).arg(q.numRowsAffected());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

} // namespace gapless::test
