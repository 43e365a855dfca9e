#pragma once

#include <string>
#include <vector>

#include "hwcheck/check.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// The asset ledger (--ledger FILE.json): every serial-numbered part of a node
// as JSON ({"format":1,"assets":[…]}) and CSV with the same rows, plus what
// changed since the previous ledger. Rows are keyed by node+kind+slot.

struct FieldChange {
  std::string field;  // "serial", "version", …
  std::string before;
  std::string after;
};

struct AssetChange {
  std::string node, kind, slot;
  std::vector<FieldChange> fields;
};

struct LedgerDiff {
  std::string previous;  // the previous ledger's path
  std::vector<AssetRecord> added;
  std::vector<AssetRecord> removed;
  std::vector<AssetChange> changed;
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

// Rows sorted by node, kind, slot (a stable file for version control and diff).
std::vector<AssetRecord> SortedAssets(std::vector<AssetRecord> assets);

std::string RenderLedgerJson(const std::vector<AssetRecord>& assets);
// Header node,kind,slot,vendor,model,serial,version,source; RFC 4180 quoting.
std::string RenderLedgerCsv(const std::vector<AssetRecord>& assets);
Result<std::vector<AssetRecord>> ParseLedgerJson(const std::string& text,
                                                 const std::string& source_name);

LedgerDiff DiffLedgers(const std::vector<AssetRecord>& before,
                       const std::vector<AssetRecord>& after);
std::string RenderLedgerDiffJson(const LedgerDiff& diff);
// "+ npu 3 serial=…", "- …", "~ npu 3 serial: A → B" lines for the terminal.
std::string RenderLedgerDiffText(const LedgerDiff& diff);

// Writes FILE.json and FILE.csv (FILE = `json_path` without ".json"); when
// FILE.json existed, also FILE.diff.json, and `*diff` gets the diff (else it
// is left empty with has_previous false).
struct LedgerWrite {
  bool has_previous = false;
  LedgerDiff diff;
  std::string csv_path;
  std::string diff_path;  // "" when there was no previous ledger
};
Result<LedgerWrite> WriteLedger(const std::string& json_path,
                                const std::vector<AssetRecord>& assets);

}  // namespace hai::hwcheck
