// Times LEMON's NetworkSimplex (block search pivot) and CostScaling on one DIMACS
// min-cost flow file, for benches/compare_peers.py.
//
// Usage: lemon_mcf FILE.min {simplex|cost-scaling}
// Prints one JSON line: {"status": ..., "cost": ..., "seconds": ...}. The timed span
// is building the solver from the graph and maps plus running it (the span of
// `allocnet flow`'s "seconds": no file reading). Built by compare_peers.py with
//   g++ -O3 -DNDEBUG lemon_mcf.cc -o lemon_mcf -llemon
// against Debian's liblemon-dev.

#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

using namespace lemon;
typedef SmartDigraph Graph;
typedef long long Value;

template <typename Solver>
static int report(Solver& solver, typename Solver::ProblemType status, double seconds) {
  const char* name = status == Solver::OPTIMAL ? "optimal"
                     : status == Solver::INFEASIBLE ? "infeasible"
                                                    : "unbounded";
  if (status == Solver::OPTIMAL) {
    std::printf("{\"status\": \"%s\", \"cost\": %lld, \"seconds\": %.6f}\n", name,
                static_cast<long long>(solver.template totalCost<Value>()), seconds);
  } else {
    std::printf("{\"status\": \"%s\", \"cost\": null, \"seconds\": %.6f}\n", name, seconds);
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE.min {simplex|cost-scaling}\n", argv[0]);
    return 2;
  }
  std::ifstream input(argv[1]);
  if (!input) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  Graph g;
  Graph::ArcMap<Value> lower(g), upper(g), cost(g);
  Graph::NodeMap<Value> supply(g);
  readDimacsMin(input, g, lower, upper, cost, supply);
  typedef std::chrono::steady_clock Clock;
  if (std::strcmp(argv[2], "simplex") == 0) {
    Clock::time_point start = Clock::now();
    NetworkSimplex<Graph, Value, Value> solver(g);
    solver.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
    NetworkSimplex<Graph, Value, Value>::ProblemType status =
        solver.run(NetworkSimplex<Graph, Value, Value>::BLOCK_SEARCH);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return report(solver, status, seconds);
  }
  if (std::strcmp(argv[2], "cost-scaling") == 0) {
    Clock::time_point start = Clock::now();
    CostScaling<Graph, Value, Value> solver(g);
    solver.lowerMap(lower).upperMap(upper).costMap(cost).supplyMap(supply);
    CostScaling<Graph, Value, Value>::ProblemType status = solver.run();
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return report(solver, status, seconds);
  }
  std::fprintf(stderr, "unknown algorithm %s\n", argv[2]);
  return 2;
}
