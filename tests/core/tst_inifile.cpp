#include "core/runtime/inifile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::IniFile;

class TestIniFile final : public QObject
{
    Q_OBJECT

private slots:
    void parsesEntries();
    void keepsCommasPercentsAndHashes();
    void rejectsBadSyntax_data();
    void rejectsBadSyntax();
    void readsFiles();
    void rejectsUnreadableFiles();
};

void TestIniFile::parsesEntries()
{
    const QString text = u"\xfeff# comment\r\n"
                         u"; another\n"
                         u"\n"
                         u"[store]\n"
                         u"  busy_timeout_ms   =   250  \r\n"
                         u"url=/tmp/x.db\n"
                         u"[ factor ]\n"
                         u"logic_salt = \"\"\n"
                         u"[store]\n"
                         u"other = \" quoted \"\n"_s;
    const auto ini = IniFile::parse(text, u"t.ini"_s);
    QVERIFY2(ini.ok(), qPrintable(ini.ok() ? QString() : ini.error().message));
    QCOMPARE(ini->sections().size(), 3);
    QCOMPARE(ini->sections().at(1).name, u"factor"_s);
    QCOMPARE(ini->sections().at(1).line, 7);
    QCOMPARE(ini->entries().size(), 4);
    const IniFile::Entry &busy = ini->entries().at(0);
    QCOMPARE(busy.section, u"store"_s);
    QCOMPARE(busy.key, u"busy_timeout_ms"_s);
    QCOMPARE(busy.value, u"250"_s);
    QCOMPARE(busy.line, 5);
    QCOMPARE(ini->entries().at(1).value, u"/tmp/x.db"_s);
    QCOMPARE(ini->entries().at(2).value, QString());
    QCOMPARE(ini->entries().at(3).value, u"quoted"_s);
    QCOMPARE(ini->entries().at(3).section, u"store"_s);
}

void TestIniFile::keepsCommasPercentsAndHashes()
{
    // What QSettings would mangle: a comma list stays text, %XX stays, no inline comments.
    const auto ini = IniFile::parse(u"[s]\nlist = 5m,15m , 1h\nurl = postgresql://u:p%40ss#;@h/db\n"_s, u"t.ini"_s);
    QVERIFY(ini.ok());
    QCOMPARE(ini->entries().at(0).value, u"5m,15m , 1h"_s);
    QCOMPARE(ini->entries().at(1).value, u"postgresql://u:p%40ss#;@h/db"_s);
}

void TestIniFile::rejectsBadSyntax_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    // STYLE §4: the message names the input and line
    QTest::addRow("no =") << u"[store]\n\nurl /tmp/x\n"_s
                          << u"t.ini:3: no '=' in the line; expected [section], key = value or a # comment"_s;
    QTest::addRow("outside section") << u"# x\nurl = /tmp/x\n"_s
                                     << u"t.ini:2: key url outside a section; expected a [section] line first"_s;
    QTest::addRow("unterminated") << u"[store\n"_s << u"t.ini:1: unterminated section header; expected [section]"_s;
    QTest::addRow("empty section") << u"[ ]\n"_s << u"t.ini:1: empty section name; expected [section]"_s;
    QTest::addRow("empty key") << u"[store]\n = 5\n"_s << u"t.ini:2: empty key; expected key = value"_s;
    QTest::addRow("duplicate") << u"[store]\nurl = a\n[factor]\n[store]\nurl = b\n"_s
                               << u"t.ini:5: duplicate key store.url (first at line 2); expected each key once"_s;
    QTest::addRow("nul") << u"[store]\nurl = a\0b\n"_s << u"t.ini:2: NUL character; expected text"_s;
}

void TestIniFile::rejectsBadSyntax()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto ini = IniFile::parse(text, u"t.ini"_s);
    QVERIFY(!ini.ok());
    QCOMPARE(ini.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(ini.error().message, expected);
}

void TestIniFile::readsFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"gapless.ini"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[debug]\nseed = 7\n");
    file.close();
    const auto ini = IniFile::read(path);
    QVERIFY(ini.ok());
    QCOMPARE(ini->entries().at(0).value, u"7"_s);
}

void TestIniFile::rejectsUnreadableFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(u"missing.ini"_s);
    auto ini = IniFile::read(missing);
    QVERIFY(!ini.ok());
    QVERIFY2(ini.error().message.startsWith(missing + u": cannot read: "_s), qPrintable(ini.error().message));

    const QString latin1 = dir.filePath(u"latin1.ini"_s);
    QFile file(latin1);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[factor]\nlogic_salt = caf\xe9\n");
    file.close();
    ini = IniFile::read(latin1);
    QVERIFY(!ini.ok());
    QCOMPARE(ini.error().message, latin1 + u": invalid UTF-8; expected a UTF-8 text file"_s);

    const QString big = dir.filePath(u"big.ini"_s);
    QFile bigFile(big);
    QVERIFY(bigFile.open(QIODevice::WriteOnly));
    bigFile.write(QByteArray(IniFile::kMaxBytes + 1, '#'));
    bigFile.close();
    ini = IniFile::read(big);
    QVERIFY(!ini.ok());
    QCOMPARE(ini.error().message, big + u": larger than 1048576 bytes; expected a small INI file"_s);
}

QTEST_GUILESS_MAIN(TestIniFile)
#include "tst_inifile.moc"
