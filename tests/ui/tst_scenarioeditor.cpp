#include "scenarioeditor.h"

#include "traffic/scenario.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace headroom;
using Kind = traffic::Segment::Kind;

namespace {

// Columns of the segment table, as the editor lays them out.
constexpr int kTypeColumn = 0;
constexpr int kStartColumn = 1;
constexpr int kEndColumn = 2;
constexpr int kRateColumn = 3;
constexpr int kToColumn = 4;

// The preview's drawn rate at t (the last point at or before t).
double previewAt(const ui::ScenarioEditor &editor, double t)
{
    double rate = -1.0;
    for (const QPointF &p : editor.preview()->points()) {
        if (p.x() <= t)
            rate = p.y();
    }
    return rate;
}

QPushButton *useButton(const ui::ScenarioEditor &editor)
{
    for (QPushButton *b : editor.findChildren<QPushButton *>()) {
        if (b->text() == QStringLiteral("Use"))
            return b;
    }
    return nullptr;
}

void setCell(ui::ScenarioEditor &editor, int row, int column, const QString &text)
{
    editor.segmentTable()->item(row, column)->setText(text);
}

} // namespace

class TestScenarioEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opensABuiltinAsATable()
    {
        ui::ScenarioEditor editor(ui::ScenarioEditor::scenarioText("seed-spike"), "seed-spike");
        QTableWidget *table = editor.segmentTable();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(qobject_cast<QComboBox *>(table->cellWidget(1, kTypeColumn))->currentText(),
            QStringLiteral("spike"));
        QCOMPARE(table->item(1, kStartColumn)->text(), QStringLiteral("20"));
        QCOMPARE(table->item(1, kRateColumn)->text(), QStringLiteral("30"));
        // "To" means nothing to a spike: not editable.
        QVERIFY(!(table->item(1, kToColumn)->flags() & Qt::ItemIsEditable));
        QVERIFY(editor.errorText().isEmpty());
        QVERIFY(editor.scenario().has_value());
        QCOMPARE(editor.scenario()->durationS, 70.0);
        QCOMPARE(previewAt(editor, 10.0), 5.0);
        QCOMPARE(previewAt(editor, 30.0), 30.0);
        QCOMPARE(previewAt(editor, 60.0), 5.0);
        QVERIFY(useButton(editor)->isEnabled());
        if (qEnvironmentVariableIsSet("HEADROOM_SAVE_CHARTS")) {
            editor.show();
            QVERIFY(QTest::qWaitForWindowExposed(&editor));
            editor.grab().save(qEnvironmentVariable("HEADROOM_SAVE_CHARTS")
                + QStringLiteral("/scenario-editor.png"));
        }
    }

    void editingACellChangesTheScenarioAndThePreview()
    {
        ui::ScenarioEditor editor(ui::ScenarioEditor::scenarioText("seed-spike"), "seed-spike");
        setCell(editor, 1, kRateColumn, QStringLiteral("45"));
        QVERIFY2(editor.errorText().isEmpty(), qPrintable(editor.errorText()));
        QCOMPARE(editor.scenario()->rateAt(30.0), 45.0);
        QCOMPARE(previewAt(editor, 30.0), 45.0);
        // The spike's end moved: the preview's step moves with it.
        setCell(editor, 1, kEndColumn, QStringLiteral("40"));
        QCOMPARE(previewAt(editor, 39.0), 45.0);
        QCOMPARE(previewAt(editor, 41.0), 5.0);
    }

    void badCellsAreRefusedNamingTheField()
    {
        ui::ScenarioEditor editor(ui::ScenarioEditor::scenarioText("seed-spike"), "my-spike.json");
        setCell(editor, 1, kEndColumn, QStringLiteral("10")); // before its start (20)
        QVERIFY2(editor.errorText().contains("my-spike.json"), qPrintable(editor.errorText()));
        QVERIFY2(editor.errorText().contains("segments[1].end_s"), qPrintable(editor.errorText()));
        QVERIFY(!editor.scenario().has_value());
        QVERIFY(!useButton(editor)->isEnabled());
        QVERIFY(editor.preview()->points().empty());

        setCell(editor, 1, kEndColumn, QStringLiteral("50"));
        QVERIFY(editor.scenario().has_value());
        setCell(editor, 0, kRateColumn, QStringLiteral("fast"));
        QVERIFY2(editor.errorText().contains("segments[0].rate"), qPrintable(editor.errorText()));
        setCell(editor, 0, kRateColumn, QStringLiteral("-3"));
        QVERIFY2(editor.errorText().contains("segments[0].rate"), qPrintable(editor.errorText()));
    }

    void overlappingBaseSegmentsAreRefused()
    {
        ui::ScenarioEditor editor(ui::ScenarioEditor::scenarioText("seed-spike"), "seed-spike");
        editor.addSegment(Kind::Constant); // the base already covers 0-70 s
        QCOMPARE(editor.segmentTable()->rowCount(), 3);
        QVERIFY2(editor.errorText().contains("overlap"), qPrintable(editor.errorText()));
        QVERIFY(!editor.scenario().has_value());
    }

    void changingTheTypeAsksForItsKeys()
    {
        ui::ScenarioEditor editor(ui::ScenarioEditor::scenarioText("seed-spike"), "seed-spike");
        auto *combo = qobject_cast<QComboBox *>(editor.segmentTable()->cellWidget(0, kTypeColumn));
        combo->setCurrentText(QStringLiteral("ramp"));
        // The rate column is now the ramp's "from"; its "to" is still empty.
        QVERIFY(editor.segmentTable()->item(0, kToColumn)->flags() & Qt::ItemIsEditable);
        QVERIFY2(editor.errorText().contains("segments[0].to"), qPrintable(editor.errorText()));
        setCell(editor, 0, kToColumn, QStringLiteral("15"));
        QVERIFY2(editor.errorText().isEmpty(), qPrintable(editor.errorText()));
        QCOMPARE(editor.scenario()->rateAt(0.0), 5.0);
        QCOMPARE(editor.scenario()->rateAt(63.0), 14.0); // 5 + 10 x 63 / 70
    }

    void addedSpikeFollowsTheBase()
    {
        ui::ScenarioEditor editor(ui::ScenarioEditor::scenarioText("ramp"), "ramp");
        QVERIFY(editor.scenario().has_value());
        const double duration = editor.scenario()->durationS;
        editor.addSegment(Kind::Spike);
        QVERIFY2(editor.errorText().isEmpty(), qPrintable(editor.errorText()));
        const auto &segments = editor.scenario()->segments;
        QCOMPARE(segments.back().kind, Kind::Spike);
        QCOMPARE(segments.back().startS, std::floor(duration / 3.0));
        QVERIFY(editor.scenario()->rateAt(duration / 2.0) == segments.back().rate);
    }

    void savedFileReadsBackTheSame()
    {
        QTemporaryDir dir;
        ui::ScenarioEditor editor(ui::ScenarioEditor::scenarioText("seed-spike"), "seed-spike");
        setCell(editor, 1, kRateColumn, QStringLiteral("40"));
        const QString path = dir.filePath(QStringLiteral("edited.json"));
        QString error;
        QVERIFY2(editor.saveTo(path, &error), qPrintable(error));
        const traffic::Scenario back = traffic::loadScenarioFile(path.toStdString());
        const traffic::Scenario &shown = *editor.scenario();
        QCOMPARE(back.name, std::string("seed-spike"));
        QCOMPARE(back.durationS, shown.durationS);
        QCOMPARE(back.seed, shown.seed);
        QCOMPARE(back.cluster.podStartingS, 4.0); // the cluster overrides survive
        for (double t = 0.0; t < back.durationS; t += 0.5)
            QCOMPARE(back.rateAt(t), shown.rateAt(t));
        QCOMPARE(back.rateAt(30.0), 40.0);
        QVERIFY(!editor.saveTo(dir.filePath(QStringLiteral("no/such/dir/x.json")), &error));
        QVERIFY2(error.contains("no/such/dir"), qPrintable(error));
    }

    // What the editor did not change reads back exactly: a seed past 2^31 (a spin box cut
    // it to an int), a duration with more decimals than one (a spin box rounded 0.25 to
    // 0.3), a rate with more than 12 digits; and a file without a seed keeps the default.
    void untouchedValuesSurviveExactly()
    {
        const std::string text = R"({"name": "exact", "duration_s": 12.25,
            "seed": 18446744073709551615, "segments": [{"type": "constant", "start_s": 0,
            "end_s": 12.25, "rate": 0.1234567890123456}]})";
        ui::ScenarioEditor editor(text, "exact.json");
        QVERIFY2(editor.scenario(), qPrintable(editor.errorText()));
        const traffic::Scenario back = traffic::parseScenario(editor.json(), "exact.json");
        QCOMPARE(back.seed, std::uint64_t(18446744073709551615ULL));
        QCOMPARE(back.durationS, 12.25);
        QCOMPARE(back.segments.at(0).rate, 0.1234567890123456);

        ui::ScenarioEditor unseeded(
            R"({"name": "u", "duration_s": 10, "segments": [{"type": "constant", "start_s": 0,
                "end_s": 10, "rate": 1}]})",
            "u.json");
        QCOMPARE(traffic::parseScenario(unseeded.json(), "u.json").seed, std::uint64_t(1));

        // A seed that is no whole number is refused by name, not clamped to one.
        ui::ScenarioEditor negative(
            R"({"name": "n", "duration_s": 10, "seed": -3, "segments": [{"type": "constant",
                "start_s": 0, "end_s": 10, "rate": 1}]})",
            "n.json");
        QVERIFY(!negative.scenario());
        QVERIFY2(negative.errorText().contains("'seed'"), qPrintable(negative.errorText()));
    }

    void textThatIsNotJsonOpensEmptyWithTheReason()
    {
        ui::ScenarioEditor editor("{\"duration_s\": 10,", "broken.json");
        QCOMPARE(editor.segmentTable()->rowCount(), 0);
        QVERIFY2(editor.errorText().contains("broken.json"), qPrintable(editor.errorText()));
        QVERIFY(!editor.scenario().has_value());
    }

    // Each edit gets a file of its own: an earlier one (which a recording's run_source names)
    // is never overwritten; the same text again reuses its file.
    void editedScenariosNeverOverwriteAnEarlierEdit()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("scenarios"));
        QString error;
        const QString first
            = ui::saveEditedScenario(folder, QStringLiteral("seed spike"), "{\"a\": 1}", &error);
        QCOMPARE(first, folder + QStringLiteral("/seed_spike-edited.json"));
        const QString second
            = ui::saveEditedScenario(folder, QStringLiteral("seed spike"), "{\"a\": 2}", &error);
        QCOMPARE(second, folder + QStringLiteral("/seed_spike-edited-2.json"));
        QFile f(first);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("{\"a\": 1}"));
        QCOMPARE(ui::saveEditedScenario(folder, QStringLiteral("seed spike"), "{\"a\": 1}", &error),
            first);
        QCOMPARE(ui::saveEditedScenario(folder, QStringLiteral("seed spike"), "{\"a\": 3}", &error),
            folder + QStringLiteral("/seed_spike-edited-3.json"));
        QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 3);
        // A folder that cannot be made is named.
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QVERIFY(ui::saveEditedScenario(
            dir.filePath(QStringLiteral("file/sub")), QStringLiteral("x"), "{}", &error)
                    .isEmpty());
        QVERIFY2(error.contains(QStringLiteral("file/sub")), qPrintable(error));
    }
};

QTEST_MAIN(TestScenarioEditor)
#include "tst_scenarioeditor.moc"
