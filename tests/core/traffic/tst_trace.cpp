#include "io/inputerror.h"
#include "traffic/arrivalsource.h"
#include "traffic/timestamp.h"
#include "traffic/trace.h"
#include "traffic/traceslice.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <numeric>
#include <optional>

using namespace headroom;
using namespace headroom::traffic;

namespace {

template <typename Fn> std::optional<InputError> inputErrorOf(Fn &&fn)
{
    try {
        fn();
    } catch (const InputError &error) {
        return error;
    }
    return std::nullopt;
}

std::string sourceDir()
{
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR", QStringLiteral(".")).toStdString();
}

std::string casePath(const char *name)
{
    return sourceDir() + "/tests/data/cases/" + name;
}

std::string shippedTrace(const char *name)
{
    return sourceDir() + "/resources/traces/" + name;
}

bool hasNote(const std::vector<std::string> &notes, const char *a, const char *b = "")
{
    return std::any_of(notes.begin(), notes.end(), [&](const std::string &note) {
        return note.find(a) != std::string::npos && note.find(b) != std::string::npos;
    });
}

QString joined(const std::vector<std::string> &notes)
{
    QStringList list;
    for (const std::string &note : notes)
        list << QString::fromStdString(note);
    return list.join(" | ");
}

constexpr const char *kAzureHeader = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

} // namespace

class TestTrace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timestampsParseAsUtc_data();
    void timestampsParseAsUtc();
    void invalidTimestampsAreRejected_data();
    void invalidTimestampsAreRejected();
    void detectsTheKindFromTheHeader();
    void unknownHeaderListsTheAcceptedOnes();
    void ambiguousHeaderIsRefused_data();
    void ambiguousHeaderIsRefused();
    void unusedRepeatedColumnIsAccepted();
    void outOfOrderRowsAreSortedWithANote();
    void equalTimestampsAreABatch();
    void fractionDigitsOfAnyWidth();
    void crlfBomAndBlankLines();
    void badTimeNamesTheLine_data();
    void badTimeNamesTheLine();
    void millisecondsOutOfRangeSaySo();
    void nonFiniteTimesAreNotANumber_data();
    void nonFiniteTimesAreNotANumber();
    void epochSecondsOutOfRangeSaySo();
    void datesOutsideTheSupportedRangeSaySo_data();
    void datesOutsideTheSupportedRangeSaySo();
    void quotedCommasSayQuotesAreUnsupported();
    void badTokensNameLineAndColumn_data();
    void badTokensNameLineAndColumn();
    void strayRowYearsAwayIsRejected();
    void headerOnlyHasNoRequests();
    void shippedAzureTrace();
    void shippedNasaTrace();
    void missingIntervalIsAHole();
    void holesPastTheIntervalLimitAreRefused();
    void countSliceNotesCountTheSlice();
    void sliceBoundsFarOutsideTheTrace();
    void specLabelSpellsEachNumberOneWay_data();
    void specLabelSpellsEachNumberOneWay();
    void requestSliceNotesCountTheSlice();
    void longGapBetweenRequestsIsTold();
    void countReplayHasExactlyTheRecordedCounts_data();
    void countReplayHasExactlyTheRecordedCounts();
    void badCountRowsNameTheLine_data();
    void badCountRowsNameTheLine();
    void intervalErrorsNameTheRowAtFault();
    void unusedColumnsAreNamed();
    void nonexistentFileNamesThePath();
    void tokenServiceTimesSetTheMeanServiceTime();
    void binaryInputIsQuotedPrintably();

private:
    std::string write(const char *name, const QByteArray &content);

    QTemporaryDir m_dir;
};

std::string TestTrace::write(const char *name, const QByteArray &content)
{
    const std::string path = m_dir.filePath(name).toStdString();
    std::ofstream(path, std::ios::binary) << content.toStdString();
    return path;
}

void TestTrace::timestampsParseAsUtc_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<qint64>("nanos");
    QTest::addRow("epoch") << "1970-01-01 00:00:00" << qint64(0) << qint64(0);
    QTest::addRow("azure") << "2023-11-16 18:15:46.6805900" << qint64(1700158546)
                           << qint64(680590000);
    QTest::addRow("T and Z") << "2000-02-29T12:00:00Z" << qint64(951825600) << qint64(0);
    QTest::addRow("9 digits") << "2023-11-16 00:00:00.123456789" << qint64(1700092800)
                              << qint64(123456789);
    QTest::addRow("1 digit") << "2023-11-16 00:00:00.5" << qint64(1700092800) << qint64(500000000);
    QTest::addRow("before 1970") << "1900-01-01 00:00:00" << qint64(-2208988800) << qint64(0);
}

void TestTrace::timestampsParseAsUtc()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    QFETCH(qint64, nanos);
    const std::optional<UnixNs> ns = parseUtcTimestamp(text.toStdString());
    QVERIFY(ns);
    QCOMPARE(*ns, seconds * kNsPerSecond + nanos);
}

void TestTrace::invalidTimestampsAreRejected_data()
{
    QTest::addColumn<QString>("text");
    for (const char *text :
        {"", "2023-13-01 00:00:00", "2023-02-29 00:00:00", "2023-11-16 24:00:00",
            "2023-11-16 12:60:00", "2023-11-16 12:00:60", "2023-11-16 12:00", "abcd-11-16 12:00:00",
            "2023-11-16 12:00:00.", "2023-11-16 12:00:00.1234567891", "2023-11-16 12:00:00.12x",
            "2023/11/16 12:00:00", "2023-11-16 12:00:00+02:00", "1899-12-31 23:59:59"})
        QTest::addRow("%s", *text ? text : "empty") << QString::fromLatin1(text);
}

void TestTrace::invalidTimestampsAreRejected()
{
    QFETCH(QString, text);
    QVERIFY(!parseUtcTimestamp(text.toStdString()));
}

void TestTrace::detectsTheKindFromTheHeader()
{
    QCOMPARE(detectTraceKind(casePath("trace-out-of-order.csv")), TraceKind::PerRequest);
    QCOMPARE(detectTraceKind(casePath("trace-same-timestamp-batches.csv")), TraceKind::PerRequest);
    QCOMPARE(
        detectTraceKind(shippedTrace("AzureLLMInferenceTrace_conv.csv")), TraceKind::PerRequest);
    QCOMPARE(
        detectTraceKind(shippedTrace("nasa_http_jul1995_per_minute.csv")), TraceKind::PerInterval);
    QCOMPARE(detectTraceKind(write("count.csv", "Time_S,Count\n0,1\n")), TraceKind::PerInterval);

    const auto wrongKind
        = inputErrorOf([] { readCountTrace(shippedTrace("AzureLLMInferenceTrace_conv.csv")); });
    QVERIFY(wrongKind);
    QVERIFY(QString::fromUtf8(wrongKind->what()).contains("per-request"));
}

void TestTrace::unknownHeaderListsTheAcceptedOnes()
{
    const std::string path = write("unknown.csv", "when,how_many\n1,2\n");
    const auto error = inputErrorOf([&] { detectTraceKind(path); });
    QVERIFY(error);
    QCOMPARE(error->file(), path);
    QCOMPARE(error->row(), std::optional<long>(1));
    const QString message = QString::fromUtf8(error->what());
    QVERIFY2(message.contains("TIMESTAMP") && message.contains("timestamp_ms")
            && message.contains("unix_time_s") && message.contains("requests"),
        qPrintable(message));
}

void TestTrace::ambiguousHeaderIsRefused_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("problem");
    QTest::addRow("per-request time and per-interval columns")
        << QByteArray("timestamp_ms,unix_time_s,requests\n0,0,10\n") << "unix_time_s"
        << "both a per-request time column ('timestamp_ms') and per-interval columns "
           "('unix_time_s', 'requests'): which kind is it?";
    QTest::addRow("per-request time and a count")
        << QByteArray("TIMESTAMP,count\n2024-05-01 00:00:00,10\n") << "count"
        << "both a per-request time column ('TIMESTAMP') and per-interval column ('count'): "
           "which kind is it?";
    QTest::addRow("two count aliases")
        << QByteArray("unix_time_s,count,requests\n0,10,99\n60,20,99\n") << "requests"
        << "'count' and 'requests' both name the count column";
    QTest::addRow("two time aliases")
        << QByteArray("time_s,unix_time,requests\n0,0,1\n") << "unix_time"
        << "'time_s' and 'unix_time' both name the time column";
    QTest::addRow("count repeated")
        << QByteArray("unix_time_s,requests,requests\n0,1,2\n") << "requests"
        << "'requests' appears twice";
    QTest::addRow("both per-request times")
        << QByteArray("TIMESTAMP,timestamp_ms\n2024-05-01 00:00:00,0\n") << "timestamp_ms"
        << "'TIMESTAMP' and 'timestamp_ms' both name the time column";
    QTest::addRow("two context token aliases")
        << QByteArray("timestamp_ms,ContextTokens,input_length,output_length\n0,1,2,3\n")
        << "input_length"
        << "'ContextTokens' and 'input_length' both name the context token column";
    QTest::addRow("generated tokens repeated")
        << QByteArray("timestamp_ms,input_length,output_length,output_length\n0,1,2,3\n")
        << "output_length"
        << "'output_length' appears twice";
}

// A header that offers two columns for one role used to be read with the first one,
// silently dropping the other (counts read as single requests, one count column ignored).
void TestTrace::ambiguousHeaderIsRefused()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, field);
    QFETCH(QString, problem);
    const std::string path = write("ambiguous.csv", content);
    for (const auto &read : std::vector<std::function<void()>> {[&] { detectTraceKind(path); },
             [&] { readCountTrace(path); }, [&] { readRequestTrace(path); }}) {
        const auto error = inputErrorOf(read);
        QVERIFY(error);
        QCOMPARE(error->file(), path);
        QCOMPARE(error->row(), std::optional<long>(1));
        QCOMPARE(QString::fromStdString(error->field()), field);
        QCOMPARE(QString::fromStdString(error->problem()), problem);
    }
}

void TestTrace::unusedRepeatedColumnIsAccepted()
{
    // Only the columns a reader uses must be unique: a repeated extra column is not read.
    const std::string path
        = write("extra.csv", "unix_time_s,host,requests,host\n0,a,3,b\n60,a,4,b\n");
    const CountTrace trace = readCountTrace(path);
    QCOMPARE(trace.counts, (std::vector<double> {3.0, 4.0}));
    QCOMPARE(trace.countColumn, std::string("requests"));
}

void TestTrace::outOfOrderRowsAreSortedWithANote()
{
    const RequestTrace trace = readRequestTrace(casePath("trace-out-of-order.csv"));
    QCOMPARE(trace.requests.size(), std::size_t(6));
    const double expected[] = {0.0, 0.25, 0.5, 1.0, 1.0, 2.75};
    const int context[] = {812, 95, 1204, 4410, 377, 1500}; // equal times keep file order
    for (std::size_t i = 0; i < 6; ++i) {
        QCOMPARE(trace.requests[i].offsetS, expected[i]);
        QCOMPARE(trace.requests[i].contextTokens, context[i]);
    }
    QVERIFY(std::is_sorted(trace.requests.begin(), trace.requests.end(),
        [](const auto &a, const auto &b) { return a.offsetS < b.offsetS; }));
    QVERIFY2(hasNote(trace.notes, "1 row earlier", "line 4"), qPrintable(joined(trace.notes)));
    QVERIFY2(hasNote(trace.notes, "sorted"), qPrintable(joined(trace.notes)));
    QCOMPARE(trace.spanS, 2.75);
}

void TestTrace::equalTimestampsAreABatch()
{
    const RequestTrace trace = readRequestTrace(casePath("trace-same-timestamp-batches.csv"));
    QCOMPARE(trace.requests.size(), std::size_t(9));
    QVERIFY(trace.hasTokens);
    const auto at = [&](double t) {
        return std::count_if(trace.requests.begin(), trace.requests.end(),
            [t](const auto &r) { return r.offsetS == t; });
    };
    QCOMPARE(at(0.0), 5);
    QCOMPARE(at(3.0), 3);
    QCOMPARE(at(6.0), 1);
    QCOMPARE(trace.spanS, 6.0);
    QCOMPARE(trace.requests[0].contextTokens, 6758);
    QCOMPARE(trace.requests[0].generatedTokens, 500);
    QVERIFY2(hasNote(trace.notes, "6 rows on the same timestamp", "batches"),
        qPrintable(joined(trace.notes)));
    QVERIFY(!hasNote(trace.notes, "sorted"));
}

void TestTrace::fractionDigitsOfAnyWidth()
{
    // Offsets from 18:17:03.97996, worked out by hand from the file's fractions.
    const RequestTrace trace = readRequestTrace(casePath("trace-fraction-digits.csv"));
    QCOMPARE(trace.requests.size(), std::size_t(6)); // the last row has no newline: kept
    const double expected[] = {0.0, 0.12004, 0.14304, 1.02004, 1.143496789, 2.52004};
    for (std::size_t i = 0; i < 6; ++i)
        QVERIFY2(std::abs(trace.requests[i].offsetS - expected[i]) < 1e-6,
            qPrintable(QString("row %1: %2").arg(i).arg(trace.requests[i].offsetS, 0, 'f', 9)));
    QCOMPARE(trace.requests.back().contextTokens, 640);
    QCOMPARE(trace.requests.back().generatedTokens, 300);
    QVERIFY(trace.notes.empty());
}

void TestTrace::crlfBomAndBlankLines()
{
    const std::string path = write("crlf.csv",
        "\xEF\xBB\xBFTimeStamp,contexttokens,GENERATEDTOKENS\r\n"
        "2023-11-16 18:00:00.0,10,20\r\n"
        "\r\n"
        "2023-11-16T18:00:01.5,11,21\r\n"
        "   \r\n"
        "2023-11-16 18:00:02,12,22");
    const RequestTrace trace = readRequestTrace(path);
    QCOMPARE(trace.requests.size(), std::size_t(3));
    QCOMPARE(trace.requests[1].offsetS, 1.5);
    QCOMPARE(trace.requests[2].generatedTokens, 22);
    QVERIFY2(
        hasNote(trace.notes, "2 blank lines skipped", "line 3"), qPrintable(joined(trace.notes)));

    // Blank lines before the header count too (they were counted, then the count was reset).
    const std::string above = write("blankabove.csv", "\n \ntime_s,requests\n0,5\n\n60,7\n");
    const CountTrace counts = readCountTrace(above);
    QVERIFY2(hasNote(counts.notes, "3 blank lines skipped", "line 1"), qPrintable(joined(counts.notes)));
}

void TestTrace::badTimeNamesTheLine_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::addRow("month 13") << QByteArray("2023-13-16 18:00:00,1,2");
    QTest::addRow("letters") << QByteArray("yesterday,1,2");
    QTest::addRow("empty") << QByteArray(",1,2");
    QTest::addRow("ten digits") << QByteArray("2023-11-16 18:00:00.1234567890,1,2");
}

void TestTrace::badTimeNamesTheLine()
{
    QFETCH(QByteArray, row);
    const std::string path
        = write("badtime.csv", QByteArray(kAzureHeader) + "2023-11-16 18:00:00,1,2\n" + row + "\n");
    const auto error = inputErrorOf([&] { readRequestTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(3));
    QCOMPARE(error->field(), std::string("TIMESTAMP"));
    QVERIFY(QString::fromUtf8(error->what()).contains("row 3"));
}

// Microseconds in a milliseconds column are a number out of range, and said to be.
void TestTrace::millisecondsOutOfRangeSaySo()
{
    const std::string path = write("micro.csv", "timestamp_ms\n1700000000000\n1700000000000000\n");
    const auto error = inputErrorOf([&] { readRequestTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(3));
    QCOMPARE(error->field(), std::string("timestamp_ms"));
    QVERIFY2(error->problem().find("is outside the supported range of dates, 1900-01-01 00:00:00 to "
                                   "2199-12-31 23:59:59 UTC; microseconds or nanoseconds?")
                 != std::string::npos,
             error->what());
    // The same dates as a TIMESTAMP column, to the millisecond at both ends.
    QCOMPARE(readRequestTrace(write("first.csv", "timestamp_ms\n-2208988800000\n-2208988799000\n")).requests.size(), 2u);
    QCOMPARE(readRequestTrace(write("last.csv", "timestamp_ms\n7258118398999\n7258118399999\n")).requests.size(), 2u);
    // 1e999 is past a double's range, so past the dates too (it had read "not a number of
    // milliseconds").
    for (const char *outside : {"-2208988800001", "7258118400000", "7258118400000.5", "1e999", "-1e999"}) {
        const auto past = inputErrorOf([&] { readRequestTrace(write("past.csv", QByteArray("timestamp_ms\n0\n") + outside + "\n")); });
        QVERIFY2(past && past->row() == std::optional<long>(3)
                     && past->problem().find("outside the supported range of dates") != std::string::npos,
                 outside);
    }
}

// nan and inf in a milliseconds column were said to be past the dates ("microseconds or
// nanoseconds?"): every time column in seconds or milliseconds says they are not a number,
// naming the row and the column.
void TestTrace::nonFiniteTimesAreNotANumber_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("bad");
    for (const char *value : {"nan", "inf", "-inf", "infinity", "+Inf", "NaN"}) {
        QTest::addRow("timestamp_ms %s", value) << QByteArray("timestamp_ms") << QByteArray(value);
        QTest::addRow("unix_time_s %s", value) << QByteArray("unix_time_s,requests") << QByteArray(value) + ",1";
        QTest::addRow("time_s %s", value) << QByteArray("time_s,count") << QByteArray(value) + ",1";
    }
}

void TestTrace::nonFiniteTimesAreNotANumber()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, bad);
    const bool counts = header.contains(',');
    const QByteArray first = counts ? "1000000,1" : "0";
    const std::string path = write("nonfinite.csv", header + "\n" + first + "\n" + bad + "\n");
    const auto error = inputErrorOf([&] {
        if (counts)
            readCountTrace(path);
        else
            readRequestTrace(path);
    });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(3));
    QCOMPARE(QString::fromStdString(error->field()), QString::fromUtf8(header.split(',').front()));
    const std::string value = bad.split(',').front().toStdString();
    QCOMPARE(QString::fromStdString(error->problem()), QString::fromStdString("'" + value + "' is not a number"));
}

// Milliseconds in a count trace's seconds-since-1970 column ran an hour of data as 42 days
// with no note: a time past the dates a TIMESTAMP takes is refused, saying so. A time_s
// column counts from any start and takes any time.
void TestTrace::epochSecondsOutOfRangeSaySo()
{
    const std::string path = write("ms-counts.csv", "unix_time_s,requests\n1700000000,5\n1700000000000,5\n");
    const auto error = inputErrorOf([&] { readCountTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(3));
    QCOMPARE(error->field(), std::string("unix_time_s"));
    QVERIFY2(error->problem().find("seconds since 1970 is outside the supported range of dates, 1900-01-01 "
                                   "00:00:00 to 2199-12-31 23:59:59 UTC; milliseconds?")
                 != std::string::npos,
             error->what());
    QCOMPARE(readCountTrace(write("first.csv", "epoch_s,count\n-2208988800,1\n-2208988740,1\n")).counts.size(), 2u);
    QCOMPARE(readCountTrace(write("last.csv", "epoch_s,count\n7258118339,1\n7258118399,1\n")).counts.size(), 2u);
    QVERIFY(inputErrorOf([&] { readCountTrace(write("past.csv", "epoch_s,count\n7258118340,1\n7258118400,1\n")); }));
    QCOMPARE(readCountTrace(write("relative.csv", "time_s,count\n1700000000000,1\n1700000000060,1\n")).counts.size(), 2u);
}

// A date the format reads but the range does not: the row, the column and the range, not
// "not a valid date and time". A day its year does not have is still not a date.
void TestTrace::datesOutsideTheSupportedRangeSaySo_data()
{
    QTest::addColumn<QByteArray>("time");
    QTest::addColumn<bool>("outOfRange");
    QTest::addRow("1899") << QByteArray("1899-12-31 23:59:59") << true;
    QTest::addRow("2200") << QByteArray("2200-01-01 00:00:00.5") << true;
    QTest::addRow("year 0001, T and Z") << QByteArray("0001-01-01T00:00:00Z") << true;
    QTest::addRow("1600-02-29, a leap day") << QByteArray("1600-02-29 12:00:00") << true;
    QTest::addRow("2200-02-29, no such day") << QByteArray("2200-02-29 12:00:00") << false;
    QTest::addRow("1850 with a bad fraction") << QByteArray("1850-01-01 00:00:00.x") << false;
    QTest::addRow("year 10000") << QByteArray("10000-01-01 00:00:00") << false;
}

void TestTrace::datesOutsideTheSupportedRangeSaySo()
{
    QFETCH(QByteArray, time);
    QFETCH(bool, outOfRange);
    const std::string path = write("range.csv",
        QByteArray(kAzureHeader) + "2023-11-16 18:00:00,1,2\n" + time + ",1,2\n");
    const auto error = inputErrorOf([&] { readRequestTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(3));
    QCOMPARE(error->field(), std::string("TIMESTAMP"));
    const QString message = QString::fromUtf8(error->what());
    const QString expected = QString::fromStdString(path) + ", row 3, field 'TIMESTAMP': '"
        + QString::fromUtf8(time)
        + (outOfRange ? "' is outside the supported range of dates, 1900-01-01 00:00:00 to "
                        "2199-12-31 23:59:59 UTC"
                      : "' is not a valid date and time");
    QVERIFY2(message.startsWith(expected), qPrintable(message));
    // Whichever it is, the message gives the range.
    QVERIFY2(message.contains(QStringLiteral("1900-01-01 00:00:00 to 2199-12-31 23:59:59 UTC")),
        qPrintable(message));
    QCOMPARE(outOfRangeTimestampYear(time.toStdString()).has_value(), outOfRange);
    // The edges of the range still read.
    QVERIFY(parseUtcTimestamp("1900-01-01 00:00:00"));
    QVERIFY(parseUtcTimestamp("2199-12-31 23:59:59.999999999"));
    QVERIFY(!outOfRangeTimestampYear("2199-12-31 23:59:59"));
}

// CSV quoting is not read: a quoted header name with a comma would be two columns and every
// row a field short, so the header row is refused saying why; a data row split by a quoted
// comma says so too.
void TestTrace::quotedCommasSayQuotesAreUnsupported()
{
    const std::string header = write("quotedheader.csv", "\n\"time, ms\",requests\n0,5\n60,7\n");
    auto error = inputErrorOf([&] { readCountTrace(header); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(2)); // after the blank line
    QCOMPARE(QString::fromUtf8(error->what()),
        QString::fromStdString(header)
            + ", row 2: the header row's quoted field \"time, ms\" holds a comma: quoted fields "
              "are not supported (a comma always separates fields); name the column without "
              "the comma");
    // detectTraceKind (the dashboard's Open trace) says the same.
    error = inputErrorOf([&] { detectTraceKind(header); });
    QVERIFY(error && error->problem().find("quoted fields are not supported") != std::string::npos);
    // Quotes without a comma are trimmed and read as before.
    const std::string plain = write("quotedplain.csv", "\"time_s\",\"requests\"\n0,5\n60,7\n");
    QCOMPARE(readCountTrace(plain).counts.size(), std::size_t(2));

    const std::string row = write("quotedrow.csv", "time_s,requests\n0,5\n\"60, 61\",7\n");
    error = inputErrorOf([&] { readCountTrace(row); });
    QVERIFY(error);
    QCOMPARE(QString::fromUtf8(error->what()),
        QString::fromStdString(row)
            + ", row 3: the row has 3 fields, the header has 2 (quoted fields are not supported: "
              "the comma in \"60, 61\" separates fields)");
    // One field is one, not "1 fields".
    const std::string shortRow = write("shortrow.csv", "time_s,requests\n0,5\n60\n");
    error = inputErrorOf([&] { readCountTrace(shortRow); });
    QVERIFY(error);
    QCOMPARE(QString::fromUtf8(error->what()),
        QString::fromStdString(shortRow) + ", row 3: the row has 1 field, the header has 2");

    // Any other double quote says so too, in the header, a row's field count or a field:
    // an unclosed quote (in a field, a row, the header) and a doubled one.
    const std::string note = " (double quotes are not read: CSV quoting is not supported, only "
                             "one pair around a whole field is trimmed off)";
    struct Case
    {
        const char *file;
        const char *text;
        long row;
        const char *field;
    };
    for (const Case &c : {Case {"quoteopen.csv", "time_s,requests\n0,5\n60,\"7\n", 3, "requests"},
             Case {"quotedoubled.csv", "time_s,requests\n0,5\n60,\"\"7\"\"\n", 3, "requests"},
             Case {"quoteopencomma.csv", "time_s,requests\n0,5\n60,\"7,8\n", 3, ""},
             Case {"quoteopenheader.csv", "\"time_s,requests\n0,5\n60,7\n", 1, ""},
             Case {"quotetimestamp.csv", "TIMESTAMP\n\"2023-11-16 18:15:46\n", 2, "TIMESTAMP"}}) {
        error = inputErrorOf([&] { detectTraceKind(write(c.file, c.text)) == TraceKind::PerRequest
                ? (void)readRequestTrace(write(c.file, c.text))
                : (void)readCountTrace(write(c.file, c.text)); });
        QVERIFY2(error, c.file);
        QCOMPARE(error->row(), std::optional<long>(c.row));
        QCOMPARE(QString::fromStdString(error->field()), QString::fromLatin1(c.field));
        QVERIFY2(error->problem().find(note) != std::string::npos, error->what());
    }
}

void TestTrace::badTokensNameLineAndColumn_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("says");
    QTest::addRow("garbage") << QByteArray("2023-11-16 18:00:01,12,abc") << "GeneratedTokens"
                             << "not a non-negative integer";
    QTest::addRow("negative") << QByteArray("2023-11-16 18:00:01,-4,5") << "ContextTokens"
                              << "not a non-negative integer";
    QTest::addRow("empty") << QByteArray("2023-11-16 18:00:01,,5") << "ContextTokens" << "empty";
    QTest::addRow("fraction") << QByteArray("2023-11-16 18:00:01,3,2.5") << "GeneratedTokens"
                              << "not a non-negative integer";
    // A whole number, just past any count: it said "is not a non-negative integer".
    QTest::addRow("too large") << QByteArray("2023-11-16 18:00:01,99999999999,5")
                               << "ContextTokens" << "tokens is past the supported 2147483647";
}

void TestTrace::badTokensNameLineAndColumn()
{
    QFETCH(QByteArray, row);
    QFETCH(QString, column);
    QFETCH(QString, says);
    const std::string path
        = write("badtokens.csv", QByteArray(kAzureHeader) + "2023-11-16 18:00:00,1,2\n" + row);
    const auto error = inputErrorOf([&] { readRequestTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(3));
    QCOMPARE(QString::fromStdString(error->field()), column);
    const QString message = QString::fromUtf8(error->what());
    QVERIFY2(message.contains("row 3") && message.contains(column) && message.contains(says),
        qPrintable(message));

    const std::string short_
        = write("short.csv", QByteArray(kAzureHeader) + "2023-11-16 18:00:00,1\n");
    const auto missing = inputErrorOf([&] { readRequestTrace(short_); });
    QVERIFY(missing && missing->row() == 2);
}

void TestTrace::strayRowYearsAwayIsRejected()
{
    const std::string path = write("stray.csv",
        QByteArray(kAzureHeader)
            + "2023-11-16 18:00:00.0,1,2\n"
              "2023-11-16 18:00:01.0,1,2\n"
              "2019-01-01 00:00:00.0,1,2\n"
              "2023-11-16 18:00:02.0,1,2\n");
    const auto error = inputErrorOf([&] { readRequestTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(4));
    const QString message = QString::fromUtf8(error->what());
    QVERIFY2(
        message.contains("2019-01-01 00:00:00.0 is 4 years from the rest"), qPrintable(message));

    // Six days apart is a long trace, not a stray.
    const std::string week = write("week.csv",
        QByteArray(kAzureHeader)
            + "2023-11-10 00:00:00,1,2\n"
              "2023-11-16 00:00:00,1,2\n");
    QCOMPARE(readRequestTrace(week).spanS, 6 * 86400.0);
}

void TestTrace::headerOnlyHasNoRequests()
{
    const auto error = inputErrorOf([&] { readRequestTrace(write("empty.csv", kAzureHeader)); });
    QVERIFY(error);
    QVERIFY(QString::fromUtf8(error->what()).contains("no requests"));

    const auto nothing = inputErrorOf([&] { detectTraceKind(write("nothing.csv", "")); });
    QVERIFY(nothing);
    QVERIFY(QString::fromUtf8(nothing->what()).contains("no header"));
}

void TestTrace::shippedAzureTrace()
{
    QElapsedTimer timer;
    timer.start();
    const RequestTrace trace = readRequestTrace(shippedTrace("AzureLLMInferenceTrace_conv.csv"));
    const qint64 elapsedMs = timer.elapsed();
    qInfo("Azure trace parsed in %lld ms", elapsedMs);
    QVERIFY2(elapsedMs < 500, qPrintable(QString::number(elapsedMs)));
    QCOMPARE(trace.requests.size(), std::size_t(19366));
    QVERIFY(trace.hasTokens);
    QVERIFY2(
        std::abs(trace.spanS - 3501.72) < 0.01, qPrintable(QString::number(trace.spanS, 'f', 4)));
    QCOMPARE(trace.requests.front().offsetS, 0.0);
    QCOMPARE(trace.requests.front().contextTokens, 374);
    QCOMPARE(trace.requests.front().generatedTokens, 44);
    QVERIFY2(trace.notes.empty(), qPrintable(joined(trace.notes))); // sorted, no repeats
    const auto [minIt, maxIt] = std::minmax_element(trace.requests.begin(), trace.requests.end(),
        [](const auto &a, const auto &b) { return a.contextTokens < b.contextTokens; });
    QCOMPARE(minIt->contextTokens, 2);
    QCOMPARE(maxIt->contextTokens, 14050);
}

void TestTrace::shippedNasaTrace()
{
    QElapsedTimer timer;
    timer.start();
    const CountTrace trace = readCountTrace(shippedTrace("nasa_http_jul1995_per_minute.csv"));
    const qint64 elapsedMs = timer.elapsed();
    qInfo("NASA trace parsed in %lld ms", elapsedMs);
    QVERIFY2(elapsedMs < 500, qPrintable(QString::number(elapsedMs)));
    QCOMPARE(trace.counts.size(), std::size_t(39692));
    QCOMPARE(trace.intervalS, 60.0);
    QCOMPARE(trace.startUnixS, 804571200.0); // 1995-07-01 00:00 -04:00
    QCOMPARE(std::accumulate(trace.counts.begin(), trace.counts.end(), 0.0), 1891672.0);
    QVERIFY(std::none_of(
        trace.counts.begin(), trace.counts.end(), [](double c) { return std::isnan(c); }));
    // 13 July 1995 19:49 -04:00 is 23:49 UTC, minute 18469: 22 real zero minutes.
    const std::size_t first = static_cast<std::size_t>((805679340.0 - trace.startUnixS) / 60.0);
    QCOMPARE(first, std::size_t(18469));
    QCOMPARE(trace.counts[first - 1], 1.0);
    for (std::size_t i = first; i < first + 22; ++i)
        QCOMPARE(trace.counts[i], 0.0);
    QCOMPARE(trace.counts[first + 22], 109.0);
    QVERIFY2(hasNote(trace.notes, "162 intervals with 0 requests", "zeros"),
        qPrintable(joined(trace.notes)));
    QVERIFY(!hasNote(trace.notes, "missing"));
}

void TestTrace::missingIntervalIsAHole()
{
    const std::string path = write("hole.csv",
        "unix_time_s,requests\n"
        "1000020,5\n"
        "1000080,0\n"
        "1000140,7\n"
        "1000320,9\n"
        "1000380,4");
    const CountTrace trace = readCountTrace(path);
    QCOMPARE(trace.intervalS, 60.0);
    QCOMPARE(trace.counts.size(), std::size_t(7));
    QCOMPARE(trace.counts[1], 0.0); // a real zero stays zero
    QVERIFY(std::isnan(trace.counts[3]) && std::isnan(trace.counts[4]));
    QCOMPARE(trace.counts[5], 9.0);
    QVERIFY2(hasNote(trace.notes, "2 missing intervals in 1 gap kept as holes", "1000200"),
        qPrintable(joined(trace.notes)));
    QVERIFY2(hasNote(trace.notes, "1970-01-12 13:50:00 UTC), before line 5"),
        qPrintable(joined(trace.notes)));
}

// Four lines whose holes would take gigabytes (a gap of a week in microsecond intervals):
// refused at the line that opens the gap, before anything is allocated for it.
void TestTrace::holesPastTheIntervalLimitAreRefused()
{
    const std::string path = write("tiny-steps.csv",
        "unix_time_s,requests\n0,0\n0.000001,0\n0.000002,0\n600000,0\n");
    const auto error = inputErrorOf([&] { readCountTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(5));
    QCOMPARE(error->field(), std::string("unix_time_s"));
    QVERIFY2(error->problem().find("10000000 intervals") != std::string::npos, error->what());
    // At the limit it reads: 50 ms intervals, 9,999,997 of them missing.
    const CountTrace trace = readCountTrace(write("long-hole.csv",
        "unix_time_s,requests\n0,1\n0.05,1\n0.1,1\n499999.95,1\n"));
    QCOMPARE(trace.counts.size(), std::size_t(10000000));
}

// A slice's notes used to be the whole file's: a 2-hour slice of the NASA trace said
// "162 intervals with 0 requests" though it has none.
// A slice that starts far past the end is empty, and one that runs far past it stops at the
// end: from=1e100 overflowed an index and replayed the whole trace under the slice's name.
void TestTrace::sliceBoundsFarOutsideTheTrace()
{
    const CountTrace trace = readCountTrace(write("two.csv", "time_s,count\n0,1\n60,1\n"));
    for (const double from : {1e100, 1e20, 121.0}) {
        const auto error = inputErrorOf([&] { sliceCountTrace(trace, from, std::nullopt); });
        QVERIFY2(error, qPrintable(QString::number(from)));
        QCOMPARE(error->field(), std::string("slice"));
    }
    const CountTrace whole = sliceCountTrace(trace, 0.0, 3.6e23);
    QCOMPARE(whole.counts.size(), std::size_t(2));
    QVERIFY2(hasNote(whole.notes, "stops at its end"), qPrintable(joined(whole.notes)));

    // A per-request slice past the end says so; it said "no requests between 3600 s and
    // 3502.72 s", a range that ends before it starts.
    const RequestTrace requests
        = readRequestTrace(write("three.csv", "timestamp_ms\n0\n1000\n2500\n"));
    const auto past = inputErrorOf([&] { sliceRequestTrace(requests, 3600.0, std::nullopt); });
    QVERIFY(past);
    QCOMPARE(past->field(), std::string("slice"));
    QVERIFY2(std::string(past->what()).find("starts at 3600 s of trace time, past the trace's end at 2.5 s")
            != std::string::npos, past->what());

    // "FILE@" was read as the whole file under the label "FILE@".
    const auto bare = inputErrorOf([] { parseTraceSpec("trace.csv@"); });
    QVERIFY(bare);
    QCOMPARE(bare->field(), std::string("@"));
    QVERIFY2(std::string(bare->what()).find("no option after it") != std::string::npos, bare->what());

    // An '@' in a folder's name is the path's: the options follow the file's name.
    const TraceSpec inFolder = parseTraceSpec("/tmp/a@b/trace.csv@x60@hours=2");
    QCOMPARE(inFolder.path, std::string("/tmp/a@b/trace.csv"));
    QCOMPARE(inFolder.compression, 60.0);
    QCOMPARE(parseTraceSpec("/tmp/a@b/trace.csv").path, std::string("/tmp/a@b/trace.csv"));
}

// "@x60" and "@x60.0" named two sources of one slice in a sweep; each number has one spelling
// in the label, the options kept in their order (the committed sweep's names unchanged).
void TestTrace::specLabelSpellsEachNumberOneWay_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("label");
    const auto row = [](const char *spec, const char *label) {
        QTest::newRow(spec) << QString::fromLatin1(spec) << QString::fromLatin1(label);
    };
    row("dir/nasa.csv@x60@from=72h@hours=72", "nasa@x60@from=72h@hours=72");
    row("nasa.csv@x60.0@from=72.0h@hours=72.0", "nasa@x60@from=72h@hours=72");
    row("nasa.csv@x6e1@from=4320m@hours=7.2e1", "nasa@x60@from=72h@hours=72");
    row("nasa.csv@x060@from=3d@hours=072", "nasa@x60@from=72h@hours=72");
    row("nasa.csv@x60@from=259200s", "nasa@x60@from=72h");
    row("nasa.csv@x60@from=259200", "nasa@x60@from=72h");
    row("azure.csv@x10", "azure@x10");
    row("azure.csv@x10.000", "azure@x10");
    row("azure.csv@from=47m", "azure@from=47m");
    row("azure.csv@from=2820", "azure@from=47m");
    row("azure.csv@from=1.5h", "azure@from=90m");
    row("azure.csv@from=90", "azure@from=90s");
    row("azure.csv@from=90.5s", "azure@from=90.5s");
    row("nasa.csv@x60@from=0h@hours=6", "nasa@x60@from=0h@hours=6");
    row("nasa.csv@x60@from=0@hours=6.0", "nasa@x60@from=0h@hours=6");
    row("nasa.csv@from=0.0d@x0.5@hours=0.25", "nasa@from=0h@x0.5@hours=0.25"); // order kept
    row("nasa.csv", "nasa");
}

void TestTrace::specLabelSpellsEachNumberOneWay()
{
    QFETCH(QString, spec);
    QFETCH(QString, label);
    const TraceSpec parsed = parseTraceSpec(spec.toStdString());
    QCOMPARE(QString::fromStdString(parsed.label()), label);
}

void TestTrace::countSliceNotesCountTheSlice()
{
    const auto notesOf
        = [](const std::string &spec) { return loadTrace(parseTraceSpec(spec)).notes(); };
    const auto nasa = notesOf(shippedTrace("nasa_http_jul1995_per_minute.csv") + "@x60@hours=2");
    QVERIFY2(!hasNote(nasa, "0 requests"), qPrintable(joined(nasa)));
    QVERIFY2(hasNote(nasa, "sliced: 0 h to 2 h"), qPrintable(joined(nasa)));

    // Line 2 is blank; indices 1 and 6 are zeros, 3 and 4 a hole, 5 fractional.
    const std::string path = write("sliced.csv",
        "unix_time_s,requests\n"
        "\n"
        "1000020,5\n"
        "1000080,0\n"
        "1000140,7\n"
        "1000320,2.5\n"
        "1000380,0\n"
        "1000440,4\n"
        "1000500,6\n");
    const auto whole = readCountTrace(path).notes;
    QVERIFY2(hasNote(whole, "2 intervals with 0 requests"), qPrintable(joined(whole)));

    const auto quiet = notesOf(path + "@from=420s"); // intervals 7 and 8: 4 and 6
    QVERIFY2(
        hasNote(quiet, "1 blank line skipped in the file", "line 2"), qPrintable(joined(quiet)));
    // A slice within the first hour reads in seconds, not in ten-thousandths of an hour.
    QVERIFY2(hasNote(quiet, "sliced: 420 s to 540 s"), qPrintable(joined(quiet)));
    QVERIFY2(!hasNote(quiet, "0 requests") && !hasNote(quiet, "missing")
            && !hasNote(quiet, "fractional"),
        qPrintable(joined(quiet)));

    const auto middle = notesOf(path + "@from=60s@hours=0.1"); // intervals 1 to 6
    QVERIFY2(hasNote(middle, "2 intervals in the slice with 0 requests kept as real zeros"),
        qPrintable(joined(middle)));
    QVERIFY2(hasNote(middle, "2 missing intervals in 1 gap in the slice kept as holes",
                 "unix_time_s 1000200 (1970-01-12 13:50:00 UTC), before line 6"),
        qPrintable(joined(middle)));
    QVERIFY2(hasNote(middle, "1 interval in the slice with a fractional count"),
        qPrintable(joined(middle)));

    // A slice starting inside the hole keeps the part of it that it covers.
    const auto cut = notesOf(path + "@from=240s");
    QVERIFY2(hasNote(cut, "1 missing interval in 1 gap in the slice", "1000260"),
        qPrintable(joined(cut)));
    QVERIFY2(hasNote(cut, "1 interval in the slice with 0 requests"), qPrintable(joined(cut)));
}

void TestTrace::requestSliceNotesCountTheSlice()
{
    // Line 3 shares line 2's timestamp, line 5 is out of order, lines 7 and 8 share line 6's.
    const std::string path
        = write("sliced-requests.csv", "timestamp_ms\n0\n0\n1000\n500\n2000\n2000\n2000\n");
    const auto whole = readRequestTrace(path).notes;
    QVERIFY2(hasNote(whole, "3 rows on the same timestamp", "line 3"), qPrintable(joined(whole)));

    const auto notes = loadTrace(parseTraceSpec(path + "@from=1s")).notes();
    QVERIFY2(hasNote(notes, "2 rows in the slice on the same timestamp", "first at line 7"),
        qPrintable(joined(notes)));
    QVERIFY2(!hasNote(notes, "3 rows"), qPrintable(joined(notes)));
    // The file was sorted as read: the note stays, and says it is about the file.
    QVERIFY2(hasNote(notes, "1 row earlier than the row before it in the file", "line 5"),
        qPrintable(joined(notes)));
    QVERIFY2(hasNote(notes, "sliced: "), qPrintable(joined(notes)));
}

void TestTrace::longGapBetweenRequestsIsTold()
{
    // A day between lines 4 and 5, in a trace a second apart: told, naming the rows and the
    // length, and replayed as it is.
    const std::string path = write("day-gap.csv",
        QByteArray(kAzureHeader)
            + "2023-11-16 18:15:46.000,374,44\n"
              "2023-11-16 18:15:47.000,396,109\n"
              "2023-11-16 18:15:48.000,879,46\n"
              "2023-11-17 18:15:48.000,91,20\n"
              "2023-11-17 18:15:49.000,91,20\n");
    const RequestTrace trace = readRequestTrace(path);
    QCOMPARE(trace.spanS, 86403.0);
    QCOMPARE(trace.requests[3].offsetS, 86402.0);
    QVERIFY2(hasNote(trace.notes, "1 gap between requests longer than 1 hour",
                 "median spacing (1 s)"),
        qPrintable(joined(trace.notes)));
    QVERIFY2(hasNote(trace.notes, "the longest 86400 s (1 day), from 2 s to 86402 s of the trace",
                 "(lines 4 and 5)"),
        qPrintable(joined(trace.notes)));
    QVERIFY(!hasNote(trace.notes, "no irregularities"));

    // A slice recounts: the gap is in the first, not in the second.
    const auto withGap = loadTrace(parseTraceSpec(path + "@from=1s")).notes();
    QVERIFY2(hasNote(withGap, "1 gap between requests in the slice",
                 "from 1 s to 86401 s of the slice"),
        qPrintable(joined(withGap)));
    const auto withoutGap = loadTrace(parseTraceSpec(path + "@from=3s")).notes();
    QVERIFY2(!hasNote(withoutGap, "gap between requests"), qPrintable(joined(withoutGap)));

    // Not told: a quiet 59 minutes (under an hour), nor 2 hours in a trace an hour apart
    // (under 100 times its spacing).
    const std::string quiet
        = write("quiet.csv", "timestamp_ms\n0\n1000\n2000\n3542000\n3543000\n");
    QVERIFY2(!hasNote(readRequestTrace(quiet).notes, "gap between requests"),
        qPrintable(joined(readRequestTrace(quiet).notes)));
    const std::string hourly
        = write("hourly.csv", "timestamp_ms\n0\n3600000\n7200000\n14400000\n18000000\n");
    QVERIFY2(!hasNote(readRequestTrace(hourly).notes, "gap between requests"),
        qPrintable(joined(readRequestTrace(hourly).notes)));
}

void TestTrace::countReplayHasExactlyTheRecordedCounts_data()
{
    QTest::addColumn<double>("compression");
    QTest::addColumn<double>("sliceS"); // how the simulator asks for arrivals
    QTest::newRow("x60, 1 s slices") << 60.0 << 1.0;
    QTest::newRow("x60, 0.3 s slices") << 60.0 << 0.3;
    QTest::newRow("x1, 7 s slices") << 1.0 << 7.0;
}

void TestTrace::countReplayHasExactlyTheRecordedCounts()
{
    QFETCH(double, compression);
    QFETCH(double, sliceS);
    // A real zero, a hole (missing minutes), a large count and a fractional one.
    const std::string path = write("replay.csv",
        "unix_time_s,requests\n"
        "1000020,5\n"
        "1000080,0\n"
        "1000140,7\n"
        "1000320,400\n"
        "1000380,2.5\n"
        "1000440,1\n");
    CountTraceArrivals source(readCountTrace(path), compression, sim::ClusterConfig {}, 42);
    const double step = 60.0 / compression;
    QCOMPARE(source.durationS(), 8 * step);
    std::vector<Arrival> arrivals;
    for (double t = 0.0; t < source.durationS(); t += sliceS)
        source.generate(t, std::min(t + sliceS, source.durationS()), arrivals);
    QVERIFY(std::is_sorted(arrivals.begin(), arrivals.end(),
                           [](const Arrival &a, const Arrival &b) { return a.tS < b.tS; }));
    std::vector<int> perInterval(8, 0);
    for (const Arrival &a : arrivals) {
        QVERIFY(a.tS >= 0.0 && a.tS < source.durationS());
        QVERIFY(a.serviceS > 0.0);
        ++perInterval[static_cast<std::size_t>(a.tS / step)];
    }
    // Each recorded interval replays its own count, not a Poisson draw around it;
    // the hole (intervals 3 and 4) replays nothing.
    const std::vector<int> recorded {5, 0, 7, 0, 0, 400, perInterval[6], 1};
    QCOMPARE(perInterval, recorded);
    QVERIFY2(perInterval[6] == 2 || perInterval[6] == 3, qPrintable(QString::number(perInterval[6])));
    QVERIFY2(hasNote(source.notes(), "1 interval with a fractional count"), qPrintable(joined(source.notes())));
    // Times inside an interval are spread over it, not bunched at its start.
    double sum = 0.0;
    for (const Arrival &a : arrivals) {
        if (a.tS >= 5 * step && a.tS < 6 * step)
            sum += (a.tS - 5 * step) / step;
    }
    QVERIFY2(std::abs(sum / 400.0 - 0.5) < 0.05, qPrintable(QString::number(sum / 400.0)));
}

void TestTrace::badCountRowsNameTheLine_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QString>("field");
    QTest::addRow("duplicate time") << QByteArray("120,3") << "time_s";
    QTest::addRow("decreasing time") << QByteArray("60,3") << "time_s";
    QTest::addRow("negative count") << QByteArray("180,-3") << "count";
    QTest::addRow("text count") << QByteArray("180,many") << "count";
    QTest::addRow("nan count") << QByteArray("180,nan") << "count";
    QTest::addRow("off the grid") << QByteArray("150,3") << "time_s";
    QTest::addRow("stray years later") << QByteArray("400000000,3") << "time_s";
}

void TestTrace::badCountRowsNameTheLine()
{
    QFETCH(QByteArray, row);
    QFETCH(QString, field);
    const std::string path = write("badcount.csv", "time_s,count\n0,1\n60,2\n120,3\n" + row + "\n");
    const auto error = inputErrorOf([&] { readCountTrace(path); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(5));
    QCOMPARE(QString::fromStdString(error->field()), field);
}

// The interval is measured from the gaps between rows; a row that does not fit it is named,
// not a good row next to it, nor no row at all.
void TestTrace::intervalErrorsNameTheRowAtFault()
{
    // A stray gap overflowed the measure into "the most common gap between rows is under
    // 1 microsecond", false, and naming no row.
    auto error = inputErrorOf(
        [&] { readCountTrace(write("stray.csv", "time_s,count\n0,1\n60,1\n1e15,1\n")); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(4));
    QCOMPARE(error->field(), std::string("time_s"));
    QVERIFY2(error->problem().find("7 days") != std::string::npos, error->what());
    // Past a billion years the span is said in words, not an overflowed count of years.
    error = inputErrorOf(
        [&] { readCountTrace(write("far.csv", "time_s,count\n0,1\n60,1\n1e300,1\n")); });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(4));
    QVERIFY2(error->problem().find("over a billion years") != std::string::npos, error->what());
    QVERIFY2(error->problem().find("-9223372036854775808") == std::string::npos, error->what());
    // Every gap once: the smallest (59.5) was taken and the good row 60 (line 3) blamed.
    error = inputErrorOf([&] {
        readCountTrace(write("off.csv", "time_s,count\n0,1\n60,1\n120.5,1\n180,1\n"));
    });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(4));
    QVERIFY2(error->problem().find("120.5") != std::string::npos, error->what());
    QVERIFY2(error->problem().find("do not agree on one interval") != std::string::npos, error->what());
    // Gaps that tie tell no interval unless one explains the rest: every other gap a whole
    // number of it, with no more holes than it occurs itself. Dividing the others alone was
    // taken, and 0, 60, 61, 120 read as 121 intervals of 1 s with 117 holes, each minute's
    // 100 requests replayed inside one second; 0, 30, 45, 90 as 15 s intervals, the first
    // row's 10 requests of 0-30 s replayed in 0-15 s beside a hole (a new-user trial).
    error = inputErrorOf([&] {
        readCountTrace(write("jitter.csv", "time_s,count\n0,100\n60,100\n61,1\n120,100\n"));
    });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(4));
    QCOMPARE(error->field(), std::string("time_s"));
    QVERIFY2(error->problem().find("time_s 61 is 1 s after the row before it (line 3): the gaps "
                                   "between rows do not agree on one interval, no gap is more "
                                   "common than the others (60 s (first at line 3), 1 s (first at "
                                   "line 4) and 59 s (first at line 5), each once)")
            != std::string::npos,
        error->what());
    error = inputErrorOf([&] {
        readCountTrace(write("irregular.csv", "time_s,count\n0,10\n30,5\n45,3\n90,4\n"));
    });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(4));
    QVERIFY2(error->problem().find("time_s 45 is 15 s after") != std::string::npos, error->what());
    QVERIFY2(error->problem().find("a missing one no row: a hole") != std::string::npos, error->what());
    // 0, 120, 180 and 0, 60, 180: 60 s with a hole, explained (refusing every tie refused
    // them, the day's second trial), as 0, 60, 120, 240, 360, two gaps of each.
    const std::pair<const char *, long> ties[] = {{"time_s,count\n0,1\n120,1\n180,1\n", 1},
        {"time_s,count\n0,1\n60,1\n180,1\n", 1}, {"time_s,count\n0,1\n60,1\n120,1\n240,1\n360,1\n", 2}};
    for (const auto &[text, holes] : ties) {
        const CountTrace tie = readCountTrace(write("tie.csv", text));
        QCOMPARE(tie.intervalS, 60.0);
        QCOMPARE(std::count_if(tie.counts.begin(), tie.counts.end(), [](double c) { return std::isnan(c); }),
            holes);
    }
    // One gap more common than the others is the interval, and a longer one a whole number of
    // it leaves holes.
    const CountTrace holed = readCountTrace(
        write("holed.csv", "time_s,count\n0,1\n60,1\n120,1\n240,1\n"));
    QCOMPARE(holed.intervalS, 60.0);
    QCOMPARE(holed.counts.size(), std::size_t(5));
    QVERIFY(std::isnan(holed.counts[3]));
    // Gaps under a microsecond: the row that ends the first one is named.
    error = inputErrorOf([&] {
        readCountTrace(write("tiny.csv", "time_s,count\n0,1\n0.0000001,1\n0.0000002,1\n"));
    });
    QVERIFY(error);
    QCOMPARE(error->row(), std::optional<long>(3));
    QCOMPARE(error->field(), std::string("time_s"));
    QVERIFY2(error->problem().find("line 2") != std::string::npos, error->what());
}

// A misspelt column was dropped without a word: the note said only that token counts are
// not used. Every column the reader does not use is named, with the one it resembles.
void TestTrace::unusedColumnsAreNamed()
{
    const RequestTrace typo = readRequestTrace(write("typo.csv",
        "TIMESTAMP,ContextTokens,GeneratedToken\n"
        "2023-11-16 18:15:46.6805900,374,44\n"
        "2023-11-16 18:15:50.9951690,396,109\n"));
    QVERIFY2(hasNote(typo.notes, "column 'GeneratedToken' (like 'GeneratedTokens'?) is not used",
                 "known to a per-request trace: TIMESTAMP, timestamp_ms, ContextTokens"),
        qPrintable(joined(typo.notes)));
    QVERIFY2(hasNote(typo.notes, "token counts are not used"), qPrintable(joined(typo.notes)));
    const CountTrace counts = readCountTrace(
        write("extra-columns.csv", "time_s,host,reqests,count\n0,a,1,3\n60,a,1,4\n"));
    QVERIFY2(hasNote(counts.notes, "columns 'host' and 'reqests' (like 'requests'?) are not used",
                 "known to a per-interval count trace: unix_time_s"),
        qPrintable(joined(counts.notes)));
    // Every column read: no such note.
    const CountTrace plain = readCountTrace(write("plain.csv", "time_s,count\n0,3\n60,4\n"));
    QVERIFY2(!hasNote(plain.notes, "not used"), qPrintable(joined(plain.notes)));
    // The shipped count traces' local_time column is documented, for people: no note either.
    const CountTrace nasa = readCountTrace(write("nasa-like.csv",
        "unix_time_s,local_time,requests\n804571200,1995-07-01T00:00:00-04:00,42\n"
        "804571260,1995-07-01T00:01:00-04:00,61\n"));
    QVERIFY2(!hasNote(nasa.notes, "not used"), qPrintable(joined(nasa.notes)));
}

void TestTrace::nonexistentFileNamesThePath()
{
    const std::string path = sourceDir() + "/no-such-trace.csv";
    for (const auto &read :
        std::initializer_list<std::function<void()>> {[&] { detectTraceKind(path); },
            [&] { readRequestTrace(path); }, [&] { readCountTrace(path); }}) {
        const auto error = inputErrorOf(read);
        QVERIFY(error);
        QCOMPARE(error->file(), path);
        QVERIFY(QString::fromUtf8(error->what()).contains(QString::fromStdString(path)));
    }
}

void TestTrace::tokenServiceTimesSetTheMeanServiceTime()
{
    // The pods a load needs (the charts' load line, the summary's provisioning, the opening
    // pods) come from the requests' own service times, not from the preset's nominal mean.
    const std::string path = write("tokens.csv", QByteArray(kAzureHeader)
        + "2023-11-16 18:00:00,1000,300\n2023-11-16 18:00:01,2000,300\n2023-11-16 18:00:02,0,0\n");
    sim::ClusterConfig llm;
    QVERIFY(sim::applyPreset("llm", llm));
    const RequestTraceArrivals source(readRequestTrace(path), 1.0, llm, 1);
    const double expected = (0.05 + 0.2 + 3.0 + 0.05 + 0.4 + 3.0 + 0.05) / 3.0; // 2.25
    QVERIFY2(std::abs(source.meanServiceS() - expected) < 1e-12,
             std::to_string(source.meanServiceS()).c_str());
    QVERIFY(std::abs(source.meanServiceS() - llm.serviceMeanS) > 0.5);
}

void TestTrace::binaryInputIsQuotedPrintably()
{
    // NUL bytes cut a message short, and raw control bytes garble a terminal: they are quoted
    // as \xNN, and the message ends as it should.
    const std::string path = write("nul.csv",
        QByteArray("unix_time_s,requests\n1000000,5\n") + QByteArray("\0\x01" "1000060,5\n", 11));
    const auto error = inputErrorOf([&] { readCountTrace(path); });
    QVERIFY(error);
    const std::string text = error->what();
    QVERIFY2(text.find("\\x00\\x011000060") != std::string::npos, text.c_str());
    QVERIFY2(text.find("row 3") != std::string::npos, text.c_str());
    QVERIFY2(text.find("not a number") != std::string::npos, text.c_str());
    QVERIFY(text.find('\0') == std::string::npos);

    // Valid UTF-8 that a terminal acts on: a right-to-left override (U+202E) and the C1
    // control CSI (U+009B), from a header (a new-user trial); other UTF-8 stays as written.
    const std::string header = write("bidi.csv", QByteArray("time\xe2\x80\xae_s,count\xc2\x9b" "31m,caf\xc3\xa9\n0,5\n"));
    const auto bidi = inputErrorOf([&] { detectTraceKind(header); readCountTrace(header); });
    QVERIFY(bidi);
    const std::string said = bidi->what();
    QVERIFY2(said.find("time\\xe2\\x80\\xae_s") != std::string::npos && said.find("count\\xc2\\x9b31m") != std::string::npos,
             said.c_str());
    QVERIFY2(said.find("\xe2\x80\xae") == std::string::npos && said.find("\xc2\x9b") == std::string::npos, said.c_str());
}

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
