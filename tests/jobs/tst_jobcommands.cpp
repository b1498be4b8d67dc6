// Job commands on a real core over a WebSocket (IDEM-1/2/6/8/11/14, JOB-10/11, BF-22):
// acceptance answers, one execution for repeated requests, replays, the jobs topic.
#include "tests/support/frameclient.h"
#include "tests/support/testcore.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using test::FrameClient;
using test::TestCore;

namespace {

constexpr qint64 kT0 = 1718236800; // 2024-06-13T00:00:00Z
constexpr qint64 kNowMs = (kT0 + 3600) * 1000;
const QString kId = u"file:test:JOBS:1m"_s;

QString type(const QJsonObject &f)
{
    return f.value("type"_L1).toString();
}

class Commands
{
public:
    explicit Commands(FrameClient &client) : m_client(client) {}

    void send(const QString &id, const QString &name, const QJsonObject &args, const QString &key = {})
    {
        QJsonObject frame{{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, name}, {u"args"_s, args}};
        if (!key.isEmpty())
            frame.insert(u"idempotency_key"_s, key);
        m_client.sendJson(frame);
    }
    QJsonObject wait(const QString &id)
    {
        return m_client.waitFor([&](const QJsonObject &f) {
            return type(f) == "result"_L1 && f.value("request_id"_L1).toString() == id;
        });
    }
    QJsonObject run(const QString &id, const QString &name, const QJsonObject &args, const QString &key = {})
    {
        send(id, name, args, key);
        return wait(id);
    }
    // Polls jobs_list until the job is terminal; its row.
    QJsonObject waitTerminal(const QString &jobId)
    {
        for (int i = 0; i < 200; ++i) {
            const QJsonObject r = run(u"poll-%1-%2"_s.arg(jobId).arg(i), u"jobs_list"_s, {});
            for (const QJsonValue &item : r.value("data"_L1).toObject().value("items"_L1).toArray()) {
                const QJsonObject job = item.toObject();
                const QString state = job.value("state"_L1).toString();
                if (job.value("job_id"_L1).toString() == jobId && state != "queued"_L1 && state != "running"_L1)
                    return job;
            }
            QTest::qWait(20);
        }
        return {};
    }

private:
    FrameClient &m_client;
};

QString code(const QJsonObject &result)
{
    return result.value("error"_L1).toObject().value("code"_L1).toString();
}

} // namespace

class TestJobCommands final : public QObject
{
    Q_OBJECT

private slots:
    void sameRequestRunsOnce();
    void keyRulesBeforeRecording();
    void mismatchAndBusinessErrorReplay();
    void flagsSetUnderKey();
    void cancelListAndKeys();
    void jobsTopic();
};

void TestJobCommands::sameRequestRunsOnce()
{
    // IDEM-14: ×10 concurrently and ×10 sequentially → one execution, equal answers.
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    Commands c(client);
    const QJsonObject args{{u"series_id"_s, kId}, {u"from"_s, double(kT0)}};
    for (int i = 0; i < 10; ++i)
        c.send(u"c%1"_s.arg(i), u"backfill"_s, args, u"bf-1"_s);
    QString jobId;
    int queued = 0;
    for (int i = 0; i < 10; ++i) {
        const QJsonObject r = c.wait(u"c%1"_s.arg(i));
        QVERIFY2(!r.isEmpty(), "no answer");
        if (r.value("ok"_L1).toBool() && !r.value("replayed"_L1).toBool()) {
            ++queued;
            QCOMPARE(r.value("data"_L1).toObject().value("state"_L1).toString(), u"queued"_s);
            jobId = r.value("data"_L1).toObject().value("job_id"_L1).toString();
            QVERIFY(jobId.toLongLong() > (qint64(1) << 53)); // JOB-1: a string, beyond a double
            continue;
        }
        if (!r.value("ok"_L1).toBool()) {
            QCOMPARE(code(r), u"in_progress"_s);
            QVERIFY(!r.value("error"_L1).toObject().value("data"_L1).toObject().value("job_id"_L1).toString().isEmpty());
        }
    }
    QCOMPARE(queued, 1);
    const QJsonObject job = c.waitTerminal(jobId);
    QCOMPARE(job.value("state"_L1).toString(), u"succeeded"_s);
    QJsonObject first;
    for (int i = 0; i < 10; ++i) {
        const QJsonObject r = c.run(u"s%1"_s.arg(i), u"backfill"_s, args, u"bf-1"_s);
        QVERIFY(r.value("ok"_L1).toBool());
        QCOMPARE(r.value("replayed"_L1).toBool(), true);
        if (i == 0)
            first = r.value("data"_L1).toObject();
        QCOMPARE(r.value("data"_L1).toObject(), first);
    }
    QCOMPARE(first.value("job_id"_L1).toString(), jobId);
    QCOMPARE(first.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(first.value("result"_L1).toObject().value("series_id"_L1).toString(), kId);
    QCOMPARE(first.value("result"_L1).toObject().value("from"_L1).toInteger(), kT0);
    const QJsonObject list = c.run(u"all"_s, u"jobs_list"_s, {});
    QCOMPARE(list.value("data"_L1).toObject().value("items"_L1).toArray().size(), 1);
}

void TestJobCommands::keyRulesBeforeRecording()
{
    // IDEM-1/2: a missing or malformed key is bad_request and records nothing.
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    Commands c(client);
    QJsonObject r = c.run(u"nokey"_s, u"backfill"_s, {{u"series_id"_s, kId}});
    QCOMPARE(code(r), u"bad_request"_s);
    QVERIFY(r.value("error"_L1).toObject().value("message"_L1).toString().contains(u"IDEM-1"_s));
    // The frame codec refuses the key's syntax before any command runs (IDEM-2).
    c.send(u"badkey"_s, u"backfill"_s, {{u"series_id"_s, kId}}, u"has space"_s);
    r = client.waitFor([](const QJsonObject &f) { return f.value("request_id"_L1) == "badkey"_L1; });
    QCOMPARE(type(r), u"error"_s);
    QCOMPARE(r.value("code"_L1).toString(), u"bad_request"_s);
    QVERIFY(r.value("message"_L1).toString().contains(u"idempotency_key"_s));
    r = c.run(u"keys"_s, u"idempotency_list"_s, {});
    QCOMPARE(r.value("data"_L1).toObject().value("items"_L1).toArray().size(), 0);
    r = c.run(u"jobs"_s, u"jobs_list"_s, {});
    QCOMPARE(r.value("data"_L1).toObject().value("items"_L1).toArray().size(), 0);
}

void TestJobCommands::mismatchAndBusinessErrorReplay()
{
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    Commands c(client);
    // A business error (bad series) fails the key; the replay returns the same error.
    QJsonObject r = c.run(u"bad"_s, u"backfill"_s, {{u"series_id"_s, u"nonsense"_s}}, u"bad-1"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    const QJsonObject job = c.waitTerminal(r.value("data"_L1).toObject().value("job_id"_L1).toString());
    QCOMPARE(job.value("state"_L1).toString(), u"failed"_s);
    QCOMPARE(job.value("error"_L1).toObject().value("code"_L1).toString(), u"bad_request"_s);
    r = c.run(u"bad-again"_s, u"backfill"_s, {{u"series_id"_s, u"nonsense"_s}}, u"bad-1"_s);
    QCOMPARE(code(r), u"bad_request"_s);
    QCOMPARE(r.value("replayed"_L1).toBool(), true);
    QCOMPARE(r.value("error"_L1).toObject().value("message"_L1), job.value("error"_L1).toObject().value("message"_L1));
    // IDEM-6: other args under the same key.
    r = c.run(u"other"_s, u"backfill"_s, {{u"series_id"_s, kId}}, u"bad-1"_s);
    QCOMPARE(code(r), u"idempotency_mismatch"_s);
    QCOMPARE(r.value("error"_L1).toObject().value("data"_L1).toObject().value("command"_L1).toString(),
             u"backfill"_s);
}

void TestJobCommands::flagsSetUnderKey()
{
    // IDEM-8: flags_set commits its key with the change; a replay does not apply it again.
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    Commands c(client);
    const QJsonObject set{{u"key"_s, u"server.catchup_limit"_s}, {u"value"_s, 200}};
    QJsonObject r = c.run(u"set"_s, u"flags_set"_s, set, u"flag-1"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    QVERIFY(!r.contains("replayed"_L1));
    QCOMPARE(core.core().settings().intValue(u"server.catchup_limit"), 200);
    const QJsonObject again = c.run(u"set-again"_s, u"flags_set"_s, set, u"flag-1"_s);
    QCOMPARE(again.value("replayed"_L1).toBool(), true);
    QCOMPARE(again.value("data"_L1), r.value("data"_L1));
    r = c.run(u"static"_s, u"flags_set"_s, {{u"key"_s, u"store.url"_s}, {u"value"_s, u"/tmp/x.db"_s}}, u"flag-2"_s);
    QCOMPARE(code(r), u"conflict"_s);
    r = c.run(u"keys"_s, u"idempotency_list"_s, {{u"state"_s, u"failed"_s}});
    const QJsonArray items = r.value("data"_L1).toObject().value("items"_L1).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().toObject().value("key"_L1).toString(), u"flag-2"_s);
    QCOMPARE(items.first().toObject().value("command"_L1).toString(), u"flags_set"_s);
}

void TestJobCommands::cancelListAndKeys()
{
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    Commands c(client);
    QJsonObject r = c.run(u"cancel-unknown"_s, u"job_cancel"_s, {{u"job_id"_s, u"12345"_s}});
    QCOMPARE(code(r), u"not_found"_s);
    r = c.run(u"cancel-bad"_s, u"job_cancel"_s, {{u"job_id"_s, 12345}});
    QCOMPARE(code(r), u"bad_request"_s);
    QVERIFY(r.value("error"_L1).toObject().value("message"_L1).toString().contains(u"decimal string"_s));
    r = c.run(u"bad-limit"_s, u"jobs_list"_s, {{u"limit"_s, 1001}});
    QCOMPARE(code(r), u"bad_request"_s);
    r = c.run(u"bad-state"_s, u"jobs_list"_s, {{u"state"_s, u"sleeping"_s}});
    QCOMPARE(code(r), u"bad_request"_s);
    r = c.run(u"bf"_s, u"backfill"_s, {{u"series_id"_s, kId}, {u"from"_s, double(kT0)}}, u"done-1"_s);
    const QString jobId = r.value("data"_L1).toObject().value("job_id"_L1).toString();
    QCOMPARE(c.waitTerminal(jobId).value("state"_L1).toString(), u"succeeded"_s);
    r = c.run(u"cancel-done"_s, u"job_cancel"_s, {{u"job_id"_s, jobId}});
    QCOMPARE(code(r), u"conflict"_s);
    r = c.run(u"del-missing"_s, u"idempotency_delete"_s, {{u"key"_s, u"nope"_s}});
    QCOMPARE(code(r), u"not_found"_s);
    r = c.run(u"del"_s, u"idempotency_delete"_s, {{u"key"_s, u"done-1"_s}});
    QVERIFY(r.value("ok"_L1).toBool());
    // Deleted: the same key runs again (a second jobs row).
    r = c.run(u"bf-again"_s, u"backfill"_s, {{u"series_id"_s, kId}, {u"from"_s, double(kT0)}}, u"done-1"_s);
    QVERIFY(!r.value("replayed"_L1).toBool());
    QVERIFY(r.value("data"_L1).toObject().value("job_id"_L1).toString() != jobId);
}

void TestJobCommands::jobsTopic()
{
    // JOB-11: the snapshot, then a `job` event per change with the final state.
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    Commands c(client);
    QJsonObject r = c.run(u"bf"_s, u"backfill"_s, {{u"series_id"_s, kId}, {u"from"_s, double(kT0)}}, u"t-1"_s);
    const QString jobId = r.value("data"_L1).toObject().value("job_id"_L1).toString();
    QCOMPARE(c.waitTerminal(jobId).value("state"_L1).toString(), u"succeeded"_s);
    client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"jobs"_s}});
    const QJsonObject snap = client.waitFor([&](const QJsonObject &f) {
        return type(f) == "job"_L1 && f.value("job_id"_L1).toString() == jobId;
    });
    QCOMPARE(snap.value("state"_L1).toString(), u"succeeded"_s);
    QVERIFY(!snap.contains("args_json"_L1));
    QVERIFY(snap.value("progress"_L1).isObject());
    QVERIFY(!client.waitFor([](const QJsonObject &f) { return type(f) == "system"_L1; }).isEmpty());
    r = c.run(u"bf2"_s, u"backfill"_s, {{u"series_id"_s, kId}, {u"from"_s, double(kT0 - 60)}}, u"t-2"_s);
    const QString second = r.value("data"_L1).toObject().value("job_id"_L1).toString();
    const QJsonObject final = client.waitFor([&](const QJsonObject &f) {
        return type(f) == "job"_L1 && f.value("job_id"_L1).toString() == second &&
               f.value("state"_L1).toString() == "succeeded"_L1;
    });
    QCOMPARE(final.value("result"_L1).toObject().value("series_id"_L1).toString(), kId);
}

QTEST_GUILESS_MAIN(TestJobCommands)
#include "tst_jobcommands.moc"
