#include "core/runtime/redact.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestRedact final : public QObject
{
    Q_OBJECT

private slots:
    void redactsUrls_data();
    void redactsUrls();
};

void TestRedact::redactsUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    // SEC-4, DOM-13: URLs with the password as ***
    QTest::addRow("postgresql") << u"postgresql://user:hunter2@host/db"_s << u"postgresql://user:***@host/db"_s;
    QTest::addRow("postgres with port") << u"postgres://u:pw@db.local:5433/gapless"_s
                                        << u"postgres://u:***@db.local:5433/gapless"_s;
    QTest::addRow("no password") << u"postgresql://user@host/db"_s << u"postgresql://user@host/db"_s;
    QTest::addRow("empty password") << u"postgresql://user:@host/db"_s << u"postgresql://user:@host/db"_s;
    QTest::addRow("host port, no user") << u"postgresql://host:5432/db"_s << u"postgresql://host:5432/db"_s;
    QTest::addRow("@ and / in password") << u"postgresql://u:a@b/c@host/db"_s << u"postgresql://u:***@host/db"_s;
    QTest::addRow("query password") << u"postgresql://u@h/db?sslmode=require&password=s3cret"_s
                                    << u"postgresql://u@h/db?sslmode=require&password=***"_s;
    QTest::addRow("both") << u"postgresql://u:p@h/db?PASSWORD=q&x=1"_s << u"postgresql://u:***@h/db?PASSWORD=***&x=1"_s;
    QTest::addRow("sqlite url") << u"sqlite:///var/lib/gapless.db"_s << u"sqlite:///var/lib/gapless.db"_s;
    QTest::addRow("path") << u"/home/u/.local/share/gapless/gapless.db"_s
                          << u"/home/u/.local/share/gapless/gapless.db"_s;
    QTest::addRow("path with colon and @") << u"/tmp/a:b@c.db"_s << u"/tmp/a:b@c.db"_s;
    QTest::addRow("empty") << QString() << QString();
}

void TestRedact::redactsUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(gapless::redactUrl(url), expected);
}

QTEST_GUILESS_MAIN(TestRedact)
#include "tst_redact.moc"
