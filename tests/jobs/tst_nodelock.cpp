// JOB-2: on PostgreSQL a second live core with the same node_id is refused at startup (its
// writer cannot take the node's advisory lock, two-int4 form per STORE-11), with an error
// naming the node id, and `gapless serve` exits 1 (CLI-2); another node_id starts beside it,
// and the id is free again once its core stops. SQLite has one writer per file: cores on
// different files start side by side whatever their node_id.
#include "core/runtime/core.h"
#include "core/runtime/settings.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

constexpr qint64 kNow = 1718328600000;

/// A core on `url` as node `nodeId`: started, or the error it failed with.
struct NodeCore
{
    std::unique_ptr<Core> core;
    std::optional<Error> error;
};

} // namespace

class TestNodeLock final : public QObject
{
    Q_OBJECT

private slots:
    void duplicateLiveNodeIdIsRefused();
    void serveWithADuplicateNodeIdExits1();

private:
    NodeCore startCore(const store::StoreUrl &url, int nodeId);

    FixedClock m_clock{kNow};
    QTemporaryDir m_home;
};

NodeCore TestNodeLock::startCore(const store::StoreUrl &url, int nodeId)
{
    NodeCore out;
    SettingsSources sources;
    sources.configDir = m_home.filePath(u"config"_s);
    sources.dataDir = m_home.filePath(u"data"_s);
    sources.cli.append({u"--db"_s, urlText(url)});
    sources.cli.append({u"--listen"_s, u"127.0.0.1:0"_s});
    sources.cli.append({u"--set"_s, u"runtime.node_id=%1"_s.arg(nodeId)});
    auto settings = Settings::load(sources);
    if (!settings) {
        out.error = settings.error();
        return out;
    }
    out.core = std::make_unique<Core>(*settings, m_clock, url, store::StoreOptions{});
    QSignalSpy started(out.core.get(), &Core::started);
    QSignalSpy failed(out.core.get(), &Core::startFailed);
    out.core->start();
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, 30000))
        out.error = Error::internal(u"core did not start within 30 s"_s);
    else if (!failed.isEmpty())
        out.error = failed.first().first().value<Error>();
    return out;
}

void TestNodeLock::duplicateLiveNodeIdIsRefused()
{
    TestDatabase db;
    QVERIFY2(db.setupError().isEmpty(), qPrintable(db.setupError()));
    const store::StoreUrl shared = db.freshUrl();
    NodeCore first = startCore(shared, 3);
    QVERIFY2(!first.error, qPrintable(first.error ? first.error->message : QString()));

    if (!db.isPostgres()) {
        // One writer per SQLite file: another file starts with the same node_id.
        NodeCore other = startCore(db.freshUrl(), 3);
        QVERIFY2(!other.error, qPrintable(other.error ? other.error->message : QString()));
        QVERIFY(other.core->url().isValid() && other.core->url() != first.core->url());
        return;
    }

    NodeCore duplicate = startCore(shared, 3);
    QVERIFY(duplicate.error.has_value());
    QCOMPARE(duplicate.error->code, ErrorCode::Conflict);
    QVERIFY2(duplicate.error->message.contains(u"node_id 3 is in use by another live core"_s),
             qPrintable(duplicate.error->message));
    QVERIFY2(duplicate.error->message.contains(u"JOB-2"_s), qPrintable(duplicate.error->message));
    QVERIFY(!duplicate.core->url().isValid()); // never listened
    duplicate.core.reset();

    NodeCore neighbour = startCore(shared, 4);
    QVERIFY2(!neighbour.error, qPrintable(neighbour.error ? neighbour.error->message : QString()));
    QVERIFY(neighbour.core->url().isValid());

    // The lock lives with the first core's writer connection: stopped, node 3 is free.
    first.core.reset();
    NodeCore again = startCore(shared, 3);
    QVERIFY2(!again.error, qPrintable(again.error ? again.error->message : QString()));
}

void TestNodeLock::serveWithADuplicateNodeIdExits1()
{
    TestDatabase db;
    QVERIFY2(db.setupError().isEmpty(), qPrintable(db.setupError()));
    if (!db.isPostgres())
        QSKIP("JOB-2's advisory lock is PostgreSQL's; SQLite is covered by duplicateLiveNodeIdIsRefused");
    const store::StoreUrl shared = db.freshUrl();
    NodeCore first = startCore(shared, 5);
    QVERIFY2(!first.error, qPrintable(first.error ? first.error->message : QString()));
    const RunResult run = runGapless({u"serve"_s, u"--db"_s, urlText(shared), u"--listen"_s, u"127.0.0.1:0"_s,
                                      u"--node-id"_s, u"5"_s},
                                     m_home.filePath(u"serve"_s));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errText().contains(u"node_id 5 is in use by another live core"_s), qPrintable(run.errText()));
}

QTEST_GUILESS_MAIN(TestNodeLock)
#include "tst_nodelock.moc"
