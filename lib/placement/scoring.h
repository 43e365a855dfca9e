#pragma once

// Scoring formulas, all in one place. They start from HAMi's and Volcano's
// (see README.md for the derivation and the references) and add measured
// memory, a topology pair score and fragmentation-aware binpack.
//
// Node score N in [0,100] (Volcano binpack, after-placement utilisation):
//   terms over the resources the request asks for, each (used + req) / total:
//     slot  = cards with >= 1 holder after placement / cards of the class
//     mem   = sum max(claimed, measured) after placement / sum card memory
//     cpu   = (claimed cores + req) / node cores          (if cpu_cores > 0)
//     host  = (claimed RAM + req) / node RAM              (if host_memory_mib > 0)
//   U_node = mean of the terms;  binpack N = 100 U_node, spread N = 100 (1 - U_node)
//
// Device-set score D in [0,100] for the k cards S chosen on one node:
//   T = pairs of S in the same (non-empty) topology group / C(k,2); 1 when k = 1
//       (HAMi's NVLink pair score / HCCS NetworkID score, reduced to group
//       membership because that is what accel::Device reports)
//   U = mean over S of used_after / card memory; binpack uses U, spread 1 - U
//   F = 1 - mean over groups g touched by S of cost_g, where
//       cost_g = free_after_g / size_g  if S took a whole-free card from g, else 0
//       (best fit: take cards from the group left with the fewest whole-free
//       cards and never break a whole free group or card when a used one fits;
//       generalises HAMi's "single card -> worst-connected card")
//   D = 100 (3T + 2U + F) / 6
//
// Total = N + D; the highest wins, ties to the smaller node name. kFirstFit
// skips scoring: first feasible node in name order, lowest indices.

#include <vector>

#include "lib/accel/device.h"
#include "lib/placement/request.h"

namespace hai::placement {

// Topology group of one device class on one node.
struct GroupStats {
  int size = 0;         // cards of the class in the group
  int whole_free = 0;   // of which with no holder, before this placement
  bool linked = false;  // false for cards with no group (each stands alone)
};

// One usable card as selection sees it.
struct DeviceCandidate {
  const accel::Device* device = nullptr;
  int group = 0;               // index into the node's GroupStats
  int64_t total_mib = 0;       // 0 when the card's size is unknown
  int64_t used_after_mib = 0;  // max(claimed, measured) + this claim
  bool whole_free = false;
  int64_t used_before_mib = 0;  // max(claimed, measured), capped at the card
  bool held = false;            // has a ledger holder already
};

using DeviceSet = std::vector<const DeviceCandidate*>;

double PairScore(const DeviceSet& set, const std::vector<GroupStats>& groups);
double UsageAfter(const DeviceCandidate& c);  // used_after / total, 1 if unknown size
double UsageTerm(const DeviceSet& set, Policy policy);
double FragmentationTerm(const DeviceSet& set, const std::vector<GroupStats>& groups);
double DeviceSetScore(const DeviceSet& set, const std::vector<GroupStats>& groups, Policy policy);

// After-placement utilisation of a node for the node score.
struct NodeLoad {
  int cards = 0, cards_held_after = 0;
  int64_t card_mib = 0, card_used_after_mib = 0;
  bool count_cpu = false, count_host_memory = false;
  int cpu_cores = 0, cpu_used_after = 0;
  int64_t host_mib = 0, host_used_after_mib = 0;
};
double NodeScore(const NodeLoad& load, Policy policy);

}  // namespace hai::placement
