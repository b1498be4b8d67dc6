// `gapless flags` (CLI-12, CFG-1..5, SEC-4): every key with its value and source, secrets
// never printed, and bad settings refused before anything runs.
#include "tests/support/gaplessrun.h"
#include "tests/support/testenv.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::test::RunResult;

class TestFlagsCommand final : public QObject
{
    Q_OBJECT

private slots:
    void listsEveryKeyWithItsSource();
    void printsJson();
    void neverPrintsSecrets();
    void refusesBadConfig_data();
    void refusesBadConfig();

private:
    RunResult gapless(const QStringList &args, const QProcessEnvironment &env = {});
    QString writeIni(const QString &text);
    QTemporaryDir m_dir;
};

RunResult TestFlagsCommand::gapless(const QStringList &args, const QProcessEnvironment &env)
{
    return gapless::test::runGapless(args, m_dir.filePath(u"home"_s), env);
}

QString TestFlagsCommand::writeIni(const QString &text)
{
    const QString path = m_dir.filePath(u"gapless.ini"_s);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text.toUtf8());
    return path;
}

void TestFlagsCommand::listsEveryKeyWithItsSource()
{
    // CFG-1: default < file < env < cli, each shown with its source.
    const QString ini = writeIni(u"[ingest]\nbatch_max = 1000\n[factor]\npivot_window_major = 40\n"_s);
    QProcessEnvironment env;
    env.insert(u"GAPLESS_INGEST_BATCH_MAX"_s, u"2000"_s);
    env.insert(u"GAPLESS_HEALTH_CLOSE_GRACE_S"_s, u"12"_s);
    const RunResult r = gapless({u"flags"_s, u"--config"_s, ini, u"--set"_s, u"health.close_grace_s=15"_s}, env);
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.outLines();
    QVERIFY(lines.size() > 60);
    QStringList keys;
    for (const QString &line : lines) {
        QCOMPARE(line.count(u'\t'), 2);
        keys << line.section(u'\t', 0, 0);
    }
    QStringList sorted = keys;
    sorted.sort();
    QCOMPARE(keys, sorted);
    QVERIFY(lines.contains(u"ingest.batch_max\t2000\tenv"_s));
    QVERIFY(lines.contains(u"factor.pivot_window_major\t40\tfile"_s));
    QVERIFY(lines.contains(u"health.close_grace_s\t15\tcli"_s));
    QVERIFY(lines.contains(u"ingest.compensate_new_candles\ttrue\tdefault"_s));
    QVERIFY(lines.contains(u"debug.enable_failpoints\tfalse\tdefault"_s));
    QVERIFY(lines.contains(u"debug.failpoints\t\tdefault"_s));
}

void TestFlagsCommand::printsJson()
{
    // The value as it was given; its meaning is checked on load (C-2).
    const RunResult r = gapless({u"flags"_s, u"--json"_s, u"--set"_s, u"ingest.reject_soft_anomalies=yes"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray flags = QJsonDocument::fromJson(r.out).object().value(u"flags"_s).toArray();
    QJsonObject soft;
    for (const QJsonValue &v : flags) {
        if (v.toObject().value(u"key"_s).toString() == u"ingest.reject_soft_anomalies"_s)
            soft = v.toObject();
    }
    QCOMPARE(soft, (QJsonObject{{u"key"_s, u"ingest.reject_soft_anomalies"_s}, {u"value"_s, u"yes"_s},
                                {u"default"_s, u"false"_s}, {u"source"_s, u"cli"_s}, {u"rt"_s, true}}));
}

void TestFlagsCommand::neverPrintsSecrets()
{
    // SEC-4: neither the token nor a database password is printed.
    const QString token = u"tok-0123456789abcdefXYZ"_s;
    const QString password = u"s3cr3t-pa55"_s;
    QProcessEnvironment env;
    env.insert(u"GAPLESS_SERVER_ACCESS_TOKEN"_s, token);
    const RunResult r = gapless({u"flags"_s, u"--db"_s, u"postgresql://bob:%1@db.example:5432/market"_s.arg(password)}, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.outLines().contains(u"server.access_token\t***\tenv"_s));
    QVERIFY(r.outLines().contains(u"store.url\tpostgresql://bob:***@db.example:5432/market\tcli"_s));
    QVERIFY(!r.outText().contains(token) && !r.errText().contains(token));
    QVERIFY(!r.outText().contains(password) && !r.errText().contains(password));
}

void TestFlagsCommand::refusesBadConfig_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::addRow("missing config") << QStringList{u"flags"_s, u"--config"_s, u"/nonexistent/gapless.ini"_s}
                                    << u"gapless: "_s;
    QTest::addRow("bad int") << QStringList{u"flags"_s, u"--set"_s, u"store.busy_timeout_ms=soon"_s}
                             << u"gapless: setting store.busy_timeout_ms = \"soon\" (from cli --set): expected int in [0, 600000]"_s;
    QTest::addRow("unknown key") << QStringList{u"flags"_s, u"--set"_s, u"store.colour=red"_s} << u"gapless: "_s;
    QTest::addRow("set without =") << QStringList{u"flags"_s, u"--set"_s, u"store.url"_s} << u"gapless: "_s;
    QTest::addRow("bad node id") << QStringList{u"flags"_s, u"--node-id"_s, u"1024"_s}
                                 << u"gapless: setting runtime.node_id = \"1024\" (from cli --node-id): expected int in [0, 1023]"_s;
}

void TestFlagsCommand::refusesBadConfig()
{
    // CFG-3: exit 2, one line, never clamped or defaulted.
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const RunResult r = gapless(args);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.errLines().size(), 1);
    QVERIFY2(r.errText().startsWith(expected), qPrintable(r.errText()));
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestFlagsCommand)
#include "tst_flagscommand.moc"
