#include "daemons/scheduler/sqlite_ledger.h"

#include <sstream>

namespace hai::scheduler {
namespace {

constexpr const char* kColumns =
    "id, holder, node, device_indices, memory_mib, exclusive, cpu_cores, host_memory_mib, since";

std::string JoinIndices(const std::vector<int>& indices) {
  std::string out;
  for (int i : indices) out += (out.empty() ? "" : ",") + std::to_string(i);
  return out;
}

std::vector<int> SplitIndices(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');)
    if (!part.empty()) out.push_back(std::stoi(part));
  return out;
}

placement::Allocation Read(const store::Statement& s) {
  placement::Allocation a;
  a.id = std::to_string(s.Int(0));
  a.holder = s.Text(1);
  a.node = s.Text(2);
  a.device_indices = SplitIndices(s.Text(3));
  a.memory_mib = s.Int(4);
  a.exclusive = s.Int(5) != 0;
  a.cpu_cores = static_cast<int>(s.Int(6));
  a.host_memory_mib = s.Int(7);
  a.since_ms = s.Int(8);
  return a;
}

Result<std::vector<placement::Allocation>> Select(store::Database::Tx& tx, const std::string& where,
                                                  const std::string& value) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare(std::string("SELECT ") + kColumns + " FROM allocations" + where +
                                  " ORDER BY id"));
  if (!where.empty()) s.Bind(1, value);
  std::vector<placement::Allocation> out;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(Read(s));
  }
  return out;
}

}  // namespace

Result<std::vector<placement::Allocation>> SqliteLedger::Commit(
    std::vector<placement::Allocation> allocations) {
  HAI_RETURN_IF_ERROR(db_->Write([&](store::Database::Tx& tx) -> Status {
    for (placement::Allocation& a : allocations) {
      HAI_ASSIGN_OR_RETURN(store::Statement s,
                           tx.Prepare("INSERT INTO allocations(holder, node, device_indices, "
                                      "memory_mib, exclusive, cpu_cores, host_memory_mib, since) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
      s.Bind(1, a.holder).Bind(2, a.node).Bind(3, JoinIndices(a.device_indices));
      s.Bind(4, a.memory_mib).Bind(5, a.exclusive).Bind(6, a.cpu_cores);
      HAI_RETURN_IF_ERROR(s.Bind(7, a.host_memory_mib).Bind(8, a.since_ms).Run());
      a.id = std::to_string(tx.LastInsertId());
    }
    return Status::Ok();
  }));
  return allocations;
}

Result<std::vector<placement::Allocation>> SqliteLedger::RemoveWhere(const std::string& column,
                                                                    const std::string& value) {
  std::vector<placement::Allocation> removed;
  HAI_RETURN_IF_ERROR(db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(removed, Select(tx, " WHERE " + column + " = ?", value));
    HAI_ASSIGN_OR_RETURN(store::Statement s,
                         tx.Prepare("DELETE FROM allocations WHERE " + column + " = ?"));
    return s.Bind(1, value).Run();
  }));
  return removed;
}

Result<std::vector<placement::Allocation>> SqliteLedger::RemoveHolder(const std::string& holder) {
  return RemoveWhere("holder", holder);
}

Result<std::vector<placement::Allocation>> SqliteLedger::RemoveNode(const std::string& node) {
  return RemoveWhere("node", node);
}

Result<std::vector<placement::Allocation>> SqliteLedger::List() const {
  std::vector<placement::Allocation> out;
  HAI_RETURN_IF_ERROR(db_->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(out, Select(tx, "", ""));
    return Status::Ok();
  }));
  return out;
}

}  // namespace hai::scheduler
