#include "forecast/forecaster.h"
#include "io/inputerror.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

using headroom::InputError;
using namespace headroom::forecast;

namespace {

// Small enough to train in well under a second, large enough to learn something.
constexpr int kSmallSamples = 2000;
constexpr int kSmallEpochs = 3;

ForecastInput window(std::array<double, kWindow> rates, double latencyMs = 80.0)
{
    ForecastInput input;
    input.ratePerS = rates;
    input.latencyMs.fill(latencyMs);
    return input;
}

// The model in the source tree, as `headroom-cli train` wrote it.
std::string committedModel()
{
    if (!qEnvironmentVariableIsSet("HEADROOM_SOURCE_DIR"))
        return HEADROOM_SOURCE_MODELS "/predictive.pt";
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR").toStdString() + "/models/predictive.pt";
}

void writeText(const std::string &path, const std::string &text)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Weights and biases of a fully connected net with these layer widths.
long long parameterCount(const std::vector<int> &widths)
{
    long long count = 0;
    for (std::size_t i = 1; i < widths.size(); ++i)
        count += static_cast<long long>(widths[i - 1]) * widths[i] + widths[i];
    return count;
}

// The network's input count, which only the parameter count reveals.
int inputCount(const ModelInfo &info)
{
    for (int inputs = 1; inputs < 100; ++inputs) {
        std::vector<int> widths = info.hidden;
        widths.insert(widths.begin(), inputs);
        widths.push_back(static_cast<int>(info.horizonsS.size()));
        if (parameterCount(widths) == info.parameters)
            return inputs;
    }
    return 0;
}

// The message of the InputError that loading `ptPath` throws, or nothing.
std::optional<std::string> loadError(const std::string &ptPath)
{
    try {
        Forecaster::load(ptPath);
    } catch (const InputError &e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

} // namespace

class TestForecaster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTripGivesTheTrainedModel();
    void metadataDescribesTheModel();
    void sameSeedSameTestError();
    void nanLatencyGivesFiniteForecast();
    void missingWeightsNameTheFile();
    void missingMetadataNamesTheFile();
    void corruptWeightsNameTheFile();
    void brokenMetadataNamesTheField_data();
    void brokenMetadataNamesTheField();
    void mismatchedHiddenSizesThrow();
    void committedModelKeepsFlatLoadFlat();
    void committedModelFollowsARamp();

private:
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }
    // Copies the small model's weights and metadata under a new name.
    void copyModel(const char *stem, bool withWeights = true, bool withMetadata = true) const;

    QTemporaryDir m_dir;
    TrainResult m_small;
};

void TestForecaster::initTestCase()
{
    QVERIFY(m_dir.isValid());
    TrainOptions options;
    options.samples = kSmallSamples;
    options.epochs = kSmallEpochs;
    options.seed = 7;
    options.outPath = path("small.pt");
    m_small = train(options);
    QVERIFY(m_small.model);
    QVERIFY(std::filesystem::exists(path("small.json")));
}

void TestForecaster::copyModel(const char *stem, bool withWeights, bool withMetadata) const
{
    const std::string base = path(stem);
    if (withWeights)
        writeText(base + ".pt", readText(path("small.pt")));
    if (withMetadata)
        writeText(base + ".json", readText(path("small.json")));
}

void TestForecaster::roundTripGivesTheTrainedModel()
{
    const Forecaster loaded = Forecaster::load(path("small.pt"));
    const std::vector<ForecastInput> inputs = {window({5, 5, 5, 5, 5}),
        window({1, 2, 3, 4, 5}, 300.0), window({400, 380, 390, 900, 950}, 5000.0)};
    for (const ForecastInput &input : inputs) {
        const std::vector<double> fromFile = loaded.forecast(input);
        const std::vector<double> inMemory = m_small.model->forecast(input);
        QCOMPARE(fromFile.size(), std::size_t(6));
        QCOMPARE(fromFile, inMemory);
        for (double rate : fromFile)
            QVERIFY(std::isfinite(rate) && rate >= 0.0);
    }
}

void TestForecaster::metadataDescribesTheModel()
{
    const ModelInfo info = Forecaster::load(path("small.pt")).info();
    QCOMPARE(info.metadataPath, path("small.json"));
    QCOMPARE(info.horizonsS, std::vector<double>({5, 10, 15, 20, 25, 30}));
    QCOMPARE(info.hidden, std::vector<int>({32, 32}));
    QCOMPARE(info.parameters, 1638LL); // 11 inputs -> 32 -> 32 -> 6
    QCOMPARE(info.samples, kSmallSamples);
    QCOMPARE(info.epochs, kSmallEpochs);
    QCOMPARE(info.seed, std::uint64_t(7));
    QCOMPARE(info.testMse, m_small.info.testMse);
    QVERIFY(info.normalization.find("scale") != std::string::npos);
    QVERIFY(m_small.fileBytes > 0);
}

void TestForecaster::sameSeedSameTestError()
{
    TrainOptions options;
    options.samples = 1000;
    options.epochs = 2;
    options.seed = 11;
    options.outPath = path("a.pt");
    const double first = train(options).info.testMse;
    options.outPath = path("b.pt");
    const double second = train(options).info.testMse;
    options.seed = 12;
    const double otherSeed = train(options).info.testMse;

    QVERIFY(std::isfinite(first) && first > 0.0);
    QVERIFY2(first == second, "same seed, different test MSE");
    QVERIFY(first != otherSeed);
    QCOMPARE(readText(path("a.pt")).size(), readText(path("b.pt")).size());
}

void TestForecaster::nanLatencyGivesFiniteForecast()
{
    ForecastInput input = window({0, 0, 0.2, 0, 0});
    input.latencyMs = {NAN, NAN, 40.0, NAN, INFINITY};
    for (double rate : m_small.model->forecast(input))
        QVERIFY(std::isfinite(rate) && rate >= 0.0);
}

void TestForecaster::missingWeightsNameTheFile()
{
    copyModel("noweights", /*withWeights=*/false);
    const auto error = loadError(path("noweights.pt"));
    QVERIFY(error);
    QVERIFY2(error->find(path("noweights.pt")) != std::string::npos, error->c_str());
}

void TestForecaster::missingMetadataNamesTheFile()
{
    copyModel("nometa", /*withWeights=*/true, /*withMetadata=*/false);
    const auto error = loadError(path("nometa.pt"));
    QVERIFY(error);
    QVERIFY2(error->find(path("nometa.json")) != std::string::npos, error->c_str());
}

void TestForecaster::corruptWeightsNameTheFile()
{
    copyModel("corrupt", /*withWeights=*/false);
    writeText(
        path("corrupt.pt"), std::string("\x50\x4b\x03\x04 this is not a model \xff\x00\x13", 28));
    const auto error = loadError(path("corrupt.pt"));
    QVERIFY(error);
    QVERIFY2(error->find(path("corrupt.pt")) != std::string::npos, error->c_str());
}

void TestForecaster::brokenMetadataNamesTheField_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("named");
    QTest::addRow("not JSON") << "{"
                              << "{{{"
                              << "not valid JSON";
    QTest::addRow("missing hidden") << "\"hidden\""
                                    << "\"hiddenX\""
                                    << "'hidden'";
    QTest::addRow("window 4") << "\"window\": 5"
                              << "\"window\": 4"
                              << "'window'";
    QTest::addRow("horizons text") << "\"horizons_s\": ["
                                   << "\"horizons_s\": [\"a\","
                                   << "'horizons_s'";
}

void TestForecaster::brokenMetadataNamesTheField()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, named);
    copyModel("broken");
    std::string text = readText(path("broken.json"));
    const auto at = text.find(from.toStdString());
    QVERIFY(at != std::string::npos);
    writeText(path("broken.json"), text.replace(at, from.size(), to.toStdString()));

    const auto error = loadError(path("broken.pt"));
    QVERIFY(error);
    QVERIFY2(error->find(path("broken.json")) != std::string::npos, error->c_str());
    QVERIFY2(error->find(named.toStdString()) != std::string::npos, error->c_str());
}

void TestForecaster::mismatchedHiddenSizesThrow()
{
    copyModel("narrow");
    nlohmann::json doc = nlohmann::json::parse(readText(path("narrow.json")));
    // 16-wide layers with a matching parameter count, so only the weights disagree.
    const int inputs = inputCount(m_small.info);
    QVERIFY(inputs > 0);
    doc["hidden"] = {16, 16};
    doc["parameters"] = parameterCount({inputs, 16, 16, 6});
    writeText(path("narrow.json"), doc.dump(2));

    const auto error = loadError(path("narrow.pt"));
    QVERIFY(error);
    QVERIFY2(error->find(path("narrow.pt")) != std::string::npos, error->c_str());
    QVERIFY2(error->find("does not match") != std::string::npos, error->c_str());
}

void TestForecaster::committedModelKeepsFlatLoadFlat()
{
    const Forecaster model = Forecaster::load(committedModel());
    const std::vector<double> rates = model.forecast(window({5, 5, 5, 5, 5}));
    QCOMPARE(rates.size(), std::size_t(6));
    for (double rate : rates)
        QVERIFY2(rate >= 1.5 && rate <= 10.0, std::to_string(rate).c_str());
}

void TestForecaster::committedModelFollowsARamp()
{
    const Forecaster model = Forecaster::load(committedModel());
    const std::vector<double> rates = model.forecast(window({100, 120, 140, 160, 180}));
    for (double rate : rates)
        QVERIFY2(rate > 180.0, std::to_string(rate).c_str());
    QVERIFY(rates.back() > rates.front());
}

QTEST_GUILESS_MAIN(TestForecaster)
#include "tst_forecaster.moc"
