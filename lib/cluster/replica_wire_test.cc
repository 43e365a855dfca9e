#include "lib/cluster/replica_wire.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hai::cluster {
namespace {

ReplicaAssignment SampleAssignment() {
  ReplicaAssignment a;
  a.replica_id = "rep-7f3a";
  a.deployment_id = "dep-1";
  a.service = "chat";
  a.engine = "builtin";
  a.model_path = "/var/lib/hai/models/demo";
  a.model_id = 12;
  a.model_digest = std::string(64, 'c');
  a.vendor = accel::Vendor::kAscend;
  a.device_ids = {2, 3};
  a.simulated = true;
  a.tp = 2;
  a.params = {{"max_num_seqs", "8"}};
  a.args = {"--dtype", "bf16"};
  a.env = {{"HAI_X", "1"}};
  a.generation = 4;
  return a;
}

ReplicaStatus SampleStatus() {
  ReplicaStatus s;
  s.replica_id = "rep-7f3a";
  s.generation = 4;
  s.phase = ReplicaPhase::kFailed;
  s.reason = "Crashed";
  s.message = "killed by signal 9";
  s.pid = 0;
  s.port = 21003;
  s.address = "http://10.0.0.5:21003";
  s.restarts = 2;
  s.signal = 9;
  s.since_ms = 1700000000123;
  return s;
}

TEST(ReplicaWireTest, AssignmentRoundTrips) {
  auto back = ReplicaAssignmentFromJson(ToJson(SampleAssignment()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->replica_id, "rep-7f3a");
  EXPECT_EQ(back->deployment_id, "dep-1");
  EXPECT_EQ(back->service, "chat");
  EXPECT_EQ(back->engine, "builtin");
  EXPECT_EQ(back->model_path, "/var/lib/hai/models/demo");
  EXPECT_EQ(back->model_id, 12);
  EXPECT_EQ(back->model_digest, std::string(64, 'c'));
  EXPECT_EQ(back->vendor, accel::Vendor::kAscend);
  EXPECT_EQ(back->device_ids, (std::vector<int>{2, 3}));
  EXPECT_TRUE(back->simulated);
  EXPECT_EQ(back->tp, 2);
  EXPECT_EQ(back->params.at("max_num_seqs"), "8");
  EXPECT_EQ(back->args, (std::vector<std::string>{"--dtype", "bf16"}));
  EXPECT_EQ(back->env.at("HAI_X"), "1");
  EXPECT_EQ(back->generation, 4);
  EXPECT_EQ(ToJson(*back), ToJson(SampleAssignment()));
}

TEST(ReplicaWireTest, AssignmentOptionalFieldsDefault) {
  nlohmann::json j = {{"replica_id", "rep-a"}, {"deployment_id", "dep-1"}, {"service", "chat"},
                      {"engine", "builtin"},   {"model_path", "/m"},       {"vendor", "cpu"},
                      {"generation", 1}};
  auto a = ReplicaAssignmentFromJson(j);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->device_ids.empty());
  EXPECT_FALSE(a->simulated);
  EXPECT_EQ(a->tp, 0);
  EXPECT_TRUE(a->args.empty());
  EXPECT_EQ(a->vendor, accel::Vendor::kCpu);
  // An older scheduler sends no model: nothing can be fetched.
  EXPECT_EQ(a->model_id, 0);
  EXPECT_EQ(a->model_digest, "");
}

// Each broken message is refused with the field that is wrong.
TEST(ReplicaWireTest, AssignmentErrorsNameTheField) {
  struct Case {
    const char* key;
    nlohmann::json value;  // null: remove the key
    const char* field;
  };
  const Case cases[] = {
      {"replica_id", nullptr, "replica_id"},
      {"replica_id", "Rep_1", "replica_id"},
      {"replica_id", "1rep", "replica_id"},
      {"replica_id", std::string(64, 'a'), "replica_id"},
      {"service", nullptr, "service"},
      {"service", "", "service"},
      {"engine", 5, "engine"},
      {"model_path", "relative/path", "model_path"},
      {"vendor", "acme", "vendor"},
      {"model_id", -1, "model_id"},
      {"model_id", "12", "model_id"},
      {"model_digest", "abc", "model_digest"},
      {"model_digest", std::string(64, 'C'), "model_digest"},
      {"device_ids", {1, "2"}, "device_ids"},
      {"device_ids", {1.5}, "device_ids"},
      {"device_ids", {-1}, "device_ids[0]"},
      {"simulated", 1, "simulated"},
      {"tp", true, "tp"},
      {"tp", 2.5, "tp"},
      {"tp", -1, "tp"},
      {"params", {{"x", 1}}, "params"},
      {"args", "--flag", "args"},
      {"env", {{"A", nullptr}}, "env"},
      {"generation", nullptr, "generation"},
      {"generation", 0, "generation"},
      {"generation", "2", "generation"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = ToJson(SampleAssignment());
    if (c.value.is_null())
      j.erase(c.key);
    else
      j[c.key] = c.value;
    auto a = ReplicaAssignmentFromJson(j);
    ASSERT_FALSE(a.ok()) << c.key << "=" << c.value.dump();
    EXPECT_EQ(a.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(a.status().field(), c.field)
        << c.key << "=" << c.value.dump() << ": " << a.status().message();
  }
  EXPECT_FALSE(ReplicaAssignmentFromJson(nlohmann::json::array()).ok());
  EXPECT_FALSE(ReplicaAssignmentFromJson("text").ok());
}

TEST(ReplicaWireTest, StatusRoundTripsWithAndWithoutExit) {
  ReplicaStatus s = SampleStatus();
  auto back = ReplicaStatusFromJson(ToJson(s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->phase, ReplicaPhase::kFailed);
  EXPECT_EQ(back->reason, "Crashed");
  EXPECT_EQ(back->message, "killed by signal 9");
  EXPECT_EQ(back->signal, 9);
  EXPECT_FALSE(back->exit_code.has_value());
  EXPECT_EQ(back->since_ms, 1700000000123);
  EXPECT_EQ(ToJson(*back), ToJson(s));
  EXPECT_TRUE(ToJson(s)["exit_code"].is_null());

  s.phase = ReplicaPhase::kReady;
  s.signal.reset();
  s.exit_code = 1;
  back = ReplicaStatusFromJson(ToJson(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->exit_code, 1);
  EXPECT_FALSE(back->signal.has_value());
  EXPECT_EQ(ToJson(*back)["phase"], "Ready");
}

TEST(ReplicaWireTest, StatusErrorsNameTheField) {
  nlohmann::json j = ToJson(SampleStatus());
  j["phase"] = "Running";
  EXPECT_EQ(ReplicaStatusFromJson(j).status().field(), "phase");
  j = ToJson(SampleStatus());
  j["exit_code"] = "1";
  EXPECT_EQ(ReplicaStatusFromJson(j).status().field(), "exit_code");
  j = ToJson(SampleStatus());
  j["port"] = 70000;
  EXPECT_EQ(ReplicaStatusFromJson(j).status().field(), "port");
  j = ToJson(SampleStatus());
  j.erase("generation");
  EXPECT_EQ(ReplicaStatusFromJson(j).status().field(), "generation");
}

TEST(ReplicaWireTest, ReportRoundTripsAndNamesNestedFields) {
  ReplicaReport report{"node-1", {SampleStatus(), SampleStatus()}};
  report.replicas[1].replica_id = "rep-b";
  report.replicas[1].phase = ReplicaPhase::kStopped;
  auto back = ReplicaReportFromJson(ToJson(report));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->node, "node-1");
  ASSERT_EQ(back->replicas.size(), 2u);
  EXPECT_EQ(back->replicas[1].replica_id, "rep-b");
  EXPECT_EQ(back->replicas[1].phase, ReplicaPhase::kStopped);

  // An empty report is valid: the agent runs nothing (for example after a restart).
  auto empty = ReplicaReportFromJson({{"node", "node-1"}, {"replicas", nlohmann::json::array()}});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->replicas.empty());

  nlohmann::json j = ToJson(report);
  j["replicas"][1]["restarts"] = -1;
  EXPECT_EQ(ReplicaReportFromJson(j).status().field(), "replicas[1].restarts");
  j = ToJson(report);
  j["replicas"][0].erase("replica_id");
  EXPECT_EQ(ReplicaReportFromJson(j).status().field(), "replicas[0].replica_id");
  j = ToJson(report);
  j["replicas"] = "none";
  EXPECT_EQ(ReplicaReportFromJson(j).status().field(), "replicas");
  j = ToJson(report);
  j["node"] = "Node 1";
  EXPECT_FALSE(ReplicaReportFromJson(j).ok());
}

TEST(ReplicaWireTest, PhaseNamesRoundTrip) {
  for (ReplicaPhase p : {ReplicaPhase::kPending, ReplicaPhase::kStarting, ReplicaPhase::kReady,
                         ReplicaPhase::kFailed, ReplicaPhase::kStopped})
    EXPECT_EQ(ParseReplicaPhase(ReplicaPhaseName(p)), p);
  EXPECT_EQ(ReplicaPhaseName(ReplicaPhase::kStarting), "Starting");
  EXPECT_FALSE(ParseReplicaPhase("ready").has_value());
}

TEST(ReplicaWireTest, ReplicaIds) {
  EXPECT_TRUE(CheckReplicaId("rep-0123abcd").ok());
  EXPECT_TRUE(CheckReplicaId("r").ok());
  EXPECT_FALSE(CheckReplicaId("").ok());
  EXPECT_FALSE(CheckReplicaId("-rep").ok());
  EXPECT_FALSE(CheckReplicaId("rep/../x").ok());
  EXPECT_FALSE(CheckReplicaId("rep.1").ok());
  EXPECT_FALSE(CheckReplicaId(std::string(64, 'r')).ok());
}

}  // namespace
}  // namespace hai::cluster
