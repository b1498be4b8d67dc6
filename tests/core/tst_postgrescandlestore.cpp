// PostgreSQL-only open errors (STORE-2, STORE-3, SEC-4): the URL is named, the password never.
#include "core/store/candlestore.h"
#include "tests/support/testdatabase.h"

#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using store::CandleStore;
using store::StoreUrl;

class TestPostgresCandleStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesUrls_data();
    void parsesUrls();
    void unreachableServerIsUnavailable();
    void wrongPasswordIsUnauthorized();
    void missingDatabaseIsNotFound();

private:
    StoreUrl m_server;
};

void TestPostgresCandleStore::initTestCase()
{
    QString error;
    const QString url = test::postgresServerUrl(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_server = *StoreUrl::parse(url);
}

void TestPostgresCandleStore::parsesUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("redacted");
    QTest::addColumn<int>("port");
    QTest::addRow("full") << u"postgresql://bob:s3cret@db.example:6543/market"_s
                          << u"postgresql://bob:***@db.example:6543/market"_s << 6543;
    QTest::addRow("postgres scheme, default port") << u"postgres://bob@localhost/market"_s
                                                   << u"postgresql://bob@localhost:5432/market"_s << 5432;
}

void TestPostgresCandleStore::parsesUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, redacted);
    QFETCH(int, port);
    auto url = StoreUrl::parse(text);
    QVERIFY(url.ok());
    QVERIFY(!url->isSqlite());
    QCOMPARE(url->redacted(), redacted);
    QCOMPARE(url->port, port);
}

void TestPostgresCandleStore::unreachableServerIsUnavailable()
{
    // A port nobody listens on: bind one, then close it.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const int port = probe.serverPort();
    probe.close();
    StoreUrl url = m_server;
    url.port = port;
    auto opened = CandleStore::open(url, {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QVERIFY2(opened.error().message.startsWith(url.redacted() + u": "_s), qPrintable(opened.error().message));
    QVERIFY(!opened.error().message.contains(m_server.password));
}

void TestPostgresCandleStore::wrongPasswordIsUnauthorized()
{
    StoreUrl url = m_server;
    url.password = u"not-the-password-%1"_s.arg(QCoreApplication::applicationPid());
    auto opened = CandleStore::open(url, {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Unauthorized);
    QVERIFY2(opened.error().message.startsWith(u"postgresql://postgres:***@127.0.0.1:"_s),
             qPrintable(opened.error().message));
    QVERIFY(opened.error().message.contains(u"password authentication failed"_s));
    QVERIFY(!opened.error().message.contains(url.password));
    QVERIFY(!opened.error().message.contains(m_server.password));
}

void TestPostgresCandleStore::missingDatabaseIsNotFound()
{
    StoreUrl url = m_server;
    url.database = u"no_such_database_here"_s;
    auto opened = CandleStore::open(url, {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::NotFound);
    QVERIFY2(opened.error().message.contains(u"\"no_such_database_here\" does not exist"_s),
             qPrintable(opened.error().message));
}

QTEST_GUILESS_MAIN(TestPostgresCandleStore)
#include "tst_postgrescandlestore.moc"
