// REP-10 `resolved_by` over the socket: `actor` when the command names one, else `ws:PEER`,
// the sending connection's address and port, for keep_local (answered at once) and for
// accept_source (a review_resolve job). The key's fingerprint stays on the args as sent
// (IDEM-3): a replay from another connection is a replay, not a mismatch.
#include "tests/repair/repairfixture.h"
#include "tests/support/frameclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

QString type(const QJsonObject &f)
{
    return f.value("type"_L1).toString();
}

QJsonObject data(const QJsonObject &result)
{
    return result.value("data"_L1).toObject();
}

QString peerOf(FrameClient &client)
{
    return u"ws:127.0.0.1:%1"_s.arg(client.socket().localPort());
}

} // namespace

class TestReviewActor final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rep10_resolvedByIsThePeerUnlessAnActorIsGiven();
    void rep10_badActorIsRefused_data();
    void rep10_badActorIsRefused();

private:
    /// Opens three review items (REP-9) with a manual_review repair; their ids.
    QList<qint64> openItems(FrameClient &client);
    QJsonObject run(FrameClient &client, const QString &name, const QJsonObject &args, const QString &key = {});
    QJsonObject finish(FrameClient &client, const QString &jobId);
    QString resolvedBy(qint64 id);

    std::unique_ptr<RepairFixture> m_fx;
    int m_request = 0;
};

void TestReviewActor::init()
{
    m_fx = std::make_unique<RepairFixture>();
    QVERIFY2(m_fx->start(), qPrintable(m_fx->core().error()));
}

void TestReviewActor::cleanup()
{
    m_fx.reset();
}

QJsonObject TestReviewActor::run(FrameClient &client, const QString &name, const QJsonObject &args,
                                 const QString &key)
{
    const QString id = u"a%1"_s.arg(++m_request);
    QJsonObject frame{{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, name}, {u"args"_s, args}};
    if (!key.isEmpty())
        frame.insert(u"idempotency_key"_s, key);
    client.sendJson(frame);
    return client.waitFor([&](const QJsonObject &f) {
        return type(f) == "result"_L1 && f.value("request_id"_L1).toString() == id;
    });
}

QJsonObject TestReviewActor::finish(FrameClient &client, const QString &jobId)
{
    return client.waitFor([&](const QJsonObject &f) {
        const QString state = f.value("state"_L1).toString();
        return type(f) == "job"_L1 && f.value("job_id"_L1).toString() == jobId
               && (state == "succeeded"_L1 || state == "failed"_L1 || state == "cancelled"_L1);
    }, 30000);
}

QString TestReviewActor::resolvedBy(qint64 id)
{
    const QVariantList rows = m_fx->query(u"SELECT resolved_by FROM review_items WHERE id = ?"_s, {id});
    return rows.isEmpty() ? u"(no row)"_s : rows.first().toString();
}

QList<qint64> TestReviewActor::openItems(FrameClient &client)
{
    for (const int d : {1, 3, 5}) {
        const CandleList rows = m_fx->day(d);
        if (rows.isEmpty() || !m_fx->corrupt(rows.at(rows.size() / 2).time, 0.01 * d))
            return {};
    }
    const QJsonObject r = run(client, u"repair"_s,
                              {{u"series_id"_s, m_fx->series().toString()},
                               {u"from"_s, double(m_fx->from())},
                               {u"to"_s, double(m_fx->to())},
                               {u"source"_s, m_fx->sourceText()},
                               {u"policy"_s, u"manual_review"_s}},
                              u"open-items"_s);
    if (finish(client, data(r).value("job_id"_L1).toString()).value("state"_L1) != "succeeded"_L1)
        return {};
    QList<qint64> ids;
    for (const QJsonValue &v : data(run(client, u"review_list"_s, {})).value("items"_L1).toArray())
        ids.append(v.toObject().value("id"_L1).toInteger());
    return ids;
}

void TestReviewActor::rep10_resolvedByIsThePeerUnlessAnActorIsGiven()
{
    FrameClient first;
    QVERIFY(first.open(m_fx->core().url()));
    first.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"jobs"_s}});
    const QList<qint64> ids = openItems(first);
    QCOMPARE(ids.size(), 3);

    // keep_local without actor: the sending connection, address and port.
    const QJsonObject keep{{u"ids"_s, QJsonArray{double(ids.at(0))}}, {u"action"_s, u"keep_local"_s}};
    QJsonObject r = run(first, u"review_resolve"_s, keep, u"keep-peer"_s);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(QString::fromUtf8(QJsonDocument(r).toJson())));
    QCOMPARE(resolvedBy(ids.at(0)), peerOf(first));

    // accept_source without actor, from another connection: a job, resolved by that peer.
    FrameClient second;
    QVERIFY(second.open(m_fx->core().url()));
    second.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"jobs"_s}});
    QVERIFY(peerOf(second) != peerOf(first));
    r = run(second, u"review_resolve"_s, {{u"ids"_s, QJsonArray{double(ids.at(1))}}, {u"action"_s, u"accept_source"_s}},
            u"accept-peer"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    const QJsonObject accepted = finish(second, data(r).value("job_id"_L1).toString());
    QCOMPARE(accepted.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(resolvedBy(ids.at(1)), peerOf(second));

    // An actor named in the command wins over the peer.
    r = run(second, u"review_resolve"_s,
            {{u"ids"_s, QJsonArray{double(ids.at(2))}}, {u"action"_s, u"keep_local"_s}, {u"actor"_s, u"cli:ana"_s}},
            u"keep-actor"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    QCOMPARE(resolvedBy(ids.at(2)), u"cli:ana"_s);

    // IDEM-3: the first request again from the second connection (another port) replays.
    const QJsonObject replay = run(second, u"review_resolve"_s, keep, u"keep-peer"_s);
    QCOMPARE(replay.value("replayed"_L1).toBool(), true);
    QVERIFY(replay.value("ok"_L1).toBool());
    QCOMPARE(resolvedBy(ids.at(0)), peerOf(first));
}

void TestReviewActor::rep10_badActorIsRefused_data()
{
    QTest::addColumn<QJsonValue>("actor");
    QTest::addRow("empty") << QJsonValue(u""_s);
    QTest::addRow("number") << QJsonValue(7);
    QTest::addRow("object") << QJsonValue(QJsonObject{{u"name"_s, u"x"_s}});
}

void TestReviewActor::rep10_badActorIsRefused()
{
    QFETCH(QJsonValue, actor);
    FrameClient client;
    QVERIFY(client.open(m_fx->core().url()));
    const QJsonObject r = run(client, u"review_resolve"_s,
                              {{u"ids"_s, QJsonArray{1}}, {u"action"_s, u"keep_local"_s}, {u"actor"_s, actor}},
                              u"bad-actor"_s);
    QCOMPARE(r.value("error"_L1).toObject().value("code"_L1).toString(), u"bad_request"_s);
    const QString message = r.value("error"_L1).toObject().value("message"_L1).toString();
    QVERIFY2(message.startsWith(u"actor"_s) && message.contains(u"expected a non-empty string"_s), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestReviewActor)
#include "tst_reviewactor.moc"
