#pragma once

#include <nlohmann/json.hpp>

#include "hwcheck/json_fields.h"
#include "hwcheck/ledger.h"

namespace hai::hwcheck {

// Asset rows and ledger diffs as JSON, shared by the ledger files and the
// report (its "assets" and "ledger_diff").
nlohmann::json AssetToJson(const AssetRecord& a);
AssetRecord AssetFromJson(JsonFields& f, const nlohmann::json& obj, const std::string& path);
nlohmann::json AssetsToJson(const std::vector<AssetRecord>& assets);
std::vector<AssetRecord> AssetsFromJson(JsonFields& f, const nlohmann::json& array,
                                        const std::string& path);
nlohmann::json LedgerDiffToJson(const LedgerDiff& diff);
LedgerDiff LedgerDiffFromJson(JsonFields& f, const nlohmann::json& obj, const std::string& path);

}  // namespace hai::hwcheck
