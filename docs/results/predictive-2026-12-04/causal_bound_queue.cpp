// What a causal controller pays on the sweep's NASA slice, request by request, against the
// clairvoyant lane, with its settings chosen in hindsight.
//
// causal_bound.py asks how often a causal estimate covers each second's count. This asks the
// question the target asks: at the SLO violations of the sweep's lanes, how many
// pod-seconds? It replays the slice as the simulator does (each second one recorded minute's
// count at 60x, Poisson arrivals within the second, lognormal service times of 150 ms mean
// and 0.3 CV, one slot a pod, one FIFO queue for all pods, pods Ready 1 s + 10 s after they
// are asked for, each phase +-20 %, pod-seconds counted from creation, the SLO 500 ms), so
// that a queue can absorb a second of excess load as the simulator's does.
//
// The controllers are two families that see only the past, each second:
//   mean:  pods = ceil(m x the mean count of the last w s / capacity)
//   sd:    pods = ceil((mean + k x the standard deviation of the last w s) / capacity)
// held at the highest of the last h s of that value (0: scale down at once). Every (w, h, m
// or k) is run on the same seeds, and for each bound on the violations the cheapest setting
// that keeps within it is printed: the settings are picked knowing the whole slice, which no
// controller can, so the ratios are lower bounds for these families. Violations count the
// requests that finished past the SLO because they waited (a request whose service alone
// takes longer is one for every lane, the clairvoyant's too: its 3.2) and from the 10th
// second on (every lane starts from the same opening pods).
//
// Build and run from the repository root (about five minutes on two cores):
//   g++ -O2 -std=c++20 -pthread docs/results/predictive-2026-12-04/causal_bound_queue.cpp -o /tmp/causal_bound_queue
//   /tmp/causal_bound_queue resources/traces/nasa_http_jul1995_per_minute.csv
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kFirstMinute = 72 * 60; // @from=72h
constexpr int kMinutes = 72 * 60;     // @hours=72
constexpr double kServiceMeanS = 0.150;
constexpr double kServiceCv = 0.3;
constexpr double kCapacity = 1.0 / kServiceMeanS; // requests a second one slot serves
constexpr double kSloS = 0.5;
constexpr double kPendingS = 1.0;
constexpr double kStartingS = 10.0;
constexpr double kJitter = 0.2;
constexpr int kCountFromS = 10;
constexpr int kSeeds = 5;
// The clairvoyant lane's mean pod-seconds on this slice in the committed sweep (sweep.csv).
constexpr double kClairvoyantPodSeconds = 57769.0;

struct Request
{
    double arrivalS;
    double serviceS;
};

struct Setting
{
    bool sd = false; // the sd family, else the mean family
    int windowS = 0;
    int holdS = 0;
    double factor = 0.0; // m, or k
};

struct Result
{
    Setting setting;
    double violations = 0.0; // mean over the seeds
    double podSeconds = 0.0;
};

std::vector<double> readSlice(const char *path)
{
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) {
        std::fprintf(stderr, "%s: cannot read it\n", path);
        std::exit(2);
    }
    int column = -1;
    {
        std::stringstream header(line);
        std::string name;
        for (int i = 0; std::getline(header, name, ','); ++i) {
            if (name == "requests")
                column = i;
        }
    }
    if (column < 0) {
        std::fprintf(stderr, "%s: no 'requests' column\n", path);
        std::exit(2);
    }
    std::vector<double> counts;
    while (std::getline(in, line)) {
        std::stringstream row(line);
        std::string cell;
        for (int i = 0; std::getline(row, cell, ','); ++i) {
            if (i == column)
                counts.push_back(std::stod(cell));
        }
    }
    if (counts.size() < static_cast<std::size_t>(kFirstMinute + kMinutes)) {
        std::fprintf(stderr, "%s: %zu minutes, the slice needs %d\n", path, counts.size(), kFirstMinute + kMinutes);
        std::exit(2);
    }
    return {counts.begin() + kFirstMinute, counts.begin() + kFirstMinute + kMinutes};
}

// One seed's arrivals: Poisson within each second at that second's count.
std::vector<Request> arrivalsOf(const std::vector<double> &counts, unsigned seed, std::vector<int> &perSecond)
{
    std::mt19937_64 rng(seed);
    const double sigma = std::sqrt(std::log(1.0 + kServiceCv * kServiceCv));
    std::lognormal_distribution<double> service(std::log(kServiceMeanS) - sigma * sigma / 2.0, sigma);
    std::uniform_real_distribution<double> within(0.0, 1.0);
    std::vector<Request> requests;
    perSecond.assign(counts.size(), 0);
    for (std::size_t t = 0; t < counts.size(); ++t) {
        const int n = std::poisson_distribution<int>(counts[t])(rng);
        perSecond[t] = n;
        std::vector<double> at(static_cast<std::size_t>(n));
        for (double &a : at)
            a = static_cast<double>(t) + within(rng);
        std::sort(at.begin(), at.end());
        for (const double a : at)
            requests.push_back({a, service(rng)});
    }
    return requests;
}

struct Pod
{
    double createdS;
    double readyS;
    double removedS;
};

// The pods the setting asks for, second by second, from the arrivals before each second.
std::vector<Pod> podsOf(const Setting &s, const std::vector<int> &perSecond, double firstCount, unsigned seed)
{
    std::mt19937_64 rng(seed * 7919u + 1u);
    std::uniform_real_distribution<double> jitter(1.0 - kJitter, 1.0 + kJitter);
    const int n = static_cast<int>(perSecond.size());
    std::vector<Pod> pods;
    std::vector<std::size_t> alive;
    const int opening = std::max(1, static_cast<int>(std::ceil(firstCount / kCapacity / 0.85)));
    for (int i = 0; i < opening; ++i) {
        pods.push_back({0.0, 0.0, std::numeric_limits<double>::infinity()});
        alive.push_back(pods.size() - 1);
    }
    std::vector<double> wanted(static_cast<std::size_t>(n), 0.0);
    for (int d = 1; d < n; ++d) {
        const int from = std::max(0, d - s.windowS);
        double sum = 0.0;
        for (int t = from; t < d; ++t)
            sum += perSecond[static_cast<std::size_t>(t)];
        const double mean = sum / (d - from);
        double load = s.factor * mean;
        if (s.sd) {
            double squares = 0.0;
            for (int t = from; t < d; ++t)
                squares += (perSecond[static_cast<std::size_t>(t)] - mean) * (perSecond[static_cast<std::size_t>(t)] - mean);
            const double sd = d - from > 1 ? std::sqrt(squares / (d - from - 1)) : std::sqrt(mean);
            load = mean + s.factor * sd;
        }
        wanted[static_cast<std::size_t>(d)] = load / kCapacity;
        double held = wanted[static_cast<std::size_t>(d)];
        for (int k = 1; k <= s.holdS && d - k >= 1; ++k)
            held = std::max(held, wanted[static_cast<std::size_t>(d - k)]);
        const std::size_t desired = static_cast<std::size_t>(std::max(1.0, std::ceil(held - 1e-9)));
        while (alive.size() < desired) {
            const double at = d;
            pods.push_back({at, at + kPendingS * jitter(rng) + kStartingS * jitter(rng),
                            std::numeric_limits<double>::infinity()});
            alive.push_back(pods.size() - 1);
        }
        if (alive.size() > desired) {
            // The pods still starting go first, the latest to be Ready first.
            std::sort(alive.begin(), alive.end(), [&](std::size_t a, std::size_t b) { return pods[a].readyS < pods[b].readyS; });
            while (alive.size() > desired) {
                pods[alive.back()].removedS = d;
                alive.pop_back();
            }
        }
    }
    return pods;
}

// FIFO service of `requests` by the pods' slots: the violations it counts.
long violationsOf(const std::vector<Request> &requests, const std::vector<Pod> &pods)
{
    struct Change
    {
        double atS;
        bool ready; // else removed
    };
    std::vector<Change> changes;
    for (const Pod &p : pods) {
        if (p.readyS >= p.removedS)
            continue;
        changes.push_back({p.readyS, true});
        if (std::isfinite(p.removedS))
            changes.push_back({p.removedS, false});
    }
    std::sort(changes.begin(), changes.end(),
              [](const Change &a, const Change &b) { return a.atS < b.atS || (a.atS == b.atS && a.ready > b.ready); });
    std::multiset<double> freeAt; // each serving slot's next free time
    std::size_t next = 0;
    const auto applyUntil = [&](double t) {
        for (; next < changes.size() && changes[next].atS <= t; ++next) {
            const Change &c = changes[next];
            if (c.ready) {
                freeAt.insert(c.atS);
            } else if (!freeAt.empty()) {
                // An idle slot goes if there is one; else the one that frees first, after its request.
                auto idle = freeAt.upper_bound(c.atS);
                freeAt.erase(idle != freeAt.begin() ? std::prev(idle) : freeAt.begin());
            }
        }
    };
    long violations = 0;
    double lastStartS = 0.0;
    for (const Request &r : requests) {
        // FIFO: a request starts no earlier than the one before it.
        double t = std::max(r.arrivalS, lastStartS);
        for (;;) {
            applyUntil(t);
            if (freeAt.empty()) {
                t = changes.at(next).atS;
                continue;
            }
            const double free = *freeAt.begin();
            if (free <= t)
                break;
            t = next < changes.size() ? std::min(free, changes[next].atS) : free;
        }
        freeAt.erase(freeAt.begin());
        freeAt.insert(t + r.serviceS);
        lastStartS = t;
        if (r.arrivalS >= kCountFromS && r.serviceS <= kSloS && t + r.serviceS - r.arrivalS > kSloS)
            ++violations;
    }
    return violations;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s resources/traces/nasa_http_jul1995_per_minute.csv\n", argv[0]);
        return 2;
    }
    const std::vector<double> counts = readSlice(argv[1]);
    std::vector<std::vector<Request>> requests(kSeeds);
    std::vector<std::vector<int>> perSecond(kSeeds);
    for (int seed = 0; seed < kSeeds; ++seed)
        requests[static_cast<std::size_t>(seed)] = arrivalsOf(counts, static_cast<unsigned>(seed + 1), perSecond[static_cast<std::size_t>(seed)]);

    std::vector<Setting> settings;
    for (const bool sd : {false, true}) {
        for (const int w : {5, 10, 20, 30, 60}) {
            for (const int h : {0, 5, 10, 20, 30}) {
                for (int i = 0; i <= 40; ++i)
                    settings.push_back({sd, w, h, sd ? 0.2 * i : 1.0 + 0.05 * i});
            }
        }
    }
    std::vector<Result> results(settings.size());
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> workers;
    for (unsigned k = 0; k < threads; ++k) {
        workers.emplace_back([&, k] {
            for (std::size_t i = k; i < settings.size(); i += threads) {
                Result r {settings[i]};
                for (int seed = 0; seed < kSeeds; ++seed) {
                    const auto s = static_cast<std::size_t>(seed);
                    const std::vector<Pod> pods = podsOf(settings[i], perSecond[s], counts.front(), static_cast<unsigned>(seed + 1));
                    for (const Pod &p : pods)
                        r.podSeconds += std::min(p.removedS, static_cast<double>(counts.size())) - p.createdS;
                    r.violations += violationsOf(requests[s], pods);
                }
                r.violations /= kSeeds;
                r.podSeconds /= kSeeds;
                results[i] = r;
            }
        });
    }
    for (std::thread &w : workers)
        w.join();

    std::printf("%zu s replayed, %d seeds, %zu settings; clairvoyant lane %.0f pod-seconds (sweep.csv)\n",
                counts.size(), kSeeds, settings.size(), kClairvoyantPodSeconds);
    std::printf("family | violations at most | cheapest setting | its violations | pod-seconds / clairvoyant\n");
    for (const bool sd : {false, true}) {
        for (const double bound : {0.5, 2.0, 5.0, 20.0, 100.0}) {
            const Result *best = nullptr;
            for (const Result &r : results) {
                if (r.setting.sd == sd && r.violations <= bound && (!best || r.podSeconds < best->podSeconds))
                    best = &r;
            }
            if (!best) {
                std::printf("%-4s | %6.1f | none within the grid\n", sd ? "sd" : "mean", bound);
                continue;
            }
            std::printf("%-4s | %6.1f | w=%2d s h=%2d s %s=%.2f | %6.1f | %.2f\n", sd ? "sd" : "mean", bound,
                        best->setting.windowS, best->setting.holdS, sd ? "k" : "m", best->setting.factor,
                        best->violations, best->podSeconds / kClairvoyantPodSeconds);
        }
    }
    return 0;
}
