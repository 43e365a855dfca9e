// The API document and the architecture's role table stay true to the code.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "daemons/portal/portal_app.h"
#include "daemons/portal/roles.h"
#include "daemons/portal/tests/portal_process.h"

namespace hai::portal::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DocsTest, OpenApiDocumentsEveryRoute) {
  auto doc = nlohmann::json::parse(ReadFile(SourceDir() + "/docs/api/openapi.json"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << "docs/api/openapi.json is not valid JSON";
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  Services services;
  auto api = RouteTableForDocs(&services);
  std::vector<std::pair<std::string, std::string>> routes = {{"GET", "/healthz"},
                                                             {"GET", "/metrics"}};
  for (const RouteSpec& s : api->specs()) routes.emplace_back(s.method, s.pattern);
  for (auto [method, pattern] : routes) {
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    EXPECT_TRUE(doc["paths"].contains(pattern) && doc["paths"][pattern].contains(method))
        << method << " " << pattern << " is missing from docs/api/openapi.json";
  }
}

TEST(DocsTest, ArchitectureRoleTableMatchesTheCode) {
  std::string doc = ReadFile(SourceDir() + "/docs/architecture.md");
  size_t begin = doc.find("<!-- role-table:begin -->");
  size_t end = doc.find("<!-- role-table:end -->");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  std::string table = doc.substr(begin, end - begin);
  std::erase(table, '`');
  for (const RoleRule& r : RoleTable()) {
    std::string name(PermissionName(r.permission));
    size_t row = table.find("| " + name + " |");
    ASSERT_NE(row, std::string::npos) << name << " is missing from the role table";
    std::string line = table.substr(row, table.find('\n', row) - row);
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, '|');) {
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      cells.push_back(cell);
    }
    ASSERT_GE(cells.size(), 5u) << line;
    auto mark = [](bool yes) { return std::string(yes ? "✓" : "–"); };
    EXPECT_EQ(cells[2], mark(r.org_admin)) << line;
    EXPECT_EQ(cells[3], mark(r.developer)) << line;
    EXPECT_EQ(cells[4], mark(r.caller)) << line;
  }
}

}  // namespace
}  // namespace hai::portal::testing
