#include "daemons/ctl/embedded.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "daemons/ctl/demo_service.h"
#include "lib/http/client.h"
#include "lib/http/listening.h"
#include "lib/log/log.h"
#include "lib/proc/child.h"
#include "lib/systemd/signals.h"

namespace hai::ctl {
namespace {

struct Daemon {
  std::string name;
  int port;
  proc::Child child;
  std::string health_path = "/healthz";
};

// A TOML basic string: quotes and backslashes escaped.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool Healthy(int port, const std::string& path) {
  http::Client client("127.0.0.1", port, 1000);
  auto r = client.Send("GET", path);
  return r.ok() && r->status == 200;
}

Status WaitHealthy(std::vector<Daemon>& daemons, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (Daemon& d : daemons) {
    for (;;) {
      if (auto status = d.child.Poll())
        return Status::Unavailable(d.name + " exited with status " + std::to_string(*status) +
                                   " while starting (its log is above)");
      if (Healthy(d.port, d.health_path)) break;
      if (std::chrono::steady_clock::now() > deadline)
        return Status::Unavailable(d.name + " did not become healthy on port " +
                                   std::to_string(d.port));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return Status::Ok();
}

// Ready means the scheduler already lists every simulated node, so the first
// page a person opens shows the whole cluster.
Status WaitNodesReady(int scheduler_port, const std::string& data_dir, size_t want) {
  std::ifstream in(data_dir + "/cluster-token");
  std::string token;
  std::getline(in, token);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    http::Client client("127.0.0.1", scheduler_port, 1000);
    auto r = client.Send("GET", "/internal/v1/nodes?status=Ready", "",
                         {{"Authorization", "Bearer " + token}});
    if (r.ok() && r->status == 200) {
      auto body = nlohmann::json::parse(r->body, nullptr, false);
      if (!body.is_discarded() && body.value("total", 0u) >= want) return Status::Ok();
    }
    if (std::chrono::steady_clock::now() > deadline)
      return Status::Unavailable("the agents did not all register with the scheduler");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// The demo chat model, deployed through the platform like any model: the
// admin's first password (the file the portal wrote) signs in. Once the
// admin has changed it, haictl can no longer sign in as them; the service
// made on the first start stays, and the controller brings it back anyway.
Status DeployDemo(const UpOptions& options, const PortMap& ports, std::string* engine_url) {
  std::ifstream in(options.data_dir + "/admin-password");
  std::string password;
  if (!in || !std::getline(in, password) || password.empty()) {
    std::fprintf(stderr,
                 "haictl: the admin password was changed; not checking the demo service (see "
                 "Services in the portal)\n");
    return Status::Ok();
  }
  DemoServiceSpec spec;
  for (const DemoModel& demo : EmbeddedDemoModels())
    if (demo.name != spec.model) spec.also_registered.push_back(demo.name);
  Result<std::string> url =
      EnsureDemoService(ports.portal, "admin", password, spec, std::chrono::seconds(180));
  if (url.ok()) {
    *engine_url = *url;
    return Status::Ok();
  }
  if (url.status().code() == Code::kFailedPrecondition) {
    std::fprintf(stderr, "haictl: %s\n", url.status().message().c_str());
    return Status::Ok();
  }
  return Status::Unavailable("the demo service did not start: " + url.status().message());
}

}  // namespace

Status RunToEnd(std::vector<std::string> argv, std::chrono::seconds limit) {
  std::string what = argv[0];
  proc::SpawnOptions spawn{std::move(argv)};
  spawn.stdout_to_stderr = true;  // stdout carries only the ready line
  auto child = proc::Child::Spawn(spawn);
  if (!child.ok()) return child.status();
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (auto status = child->Poll()) {
      if (*status == 0) return Status::Ok();
      return Status::Unavailable(what + " failed with status " + std::to_string(*status));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      child->Terminate(std::chrono::seconds(1));
      return Status::Unavailable(what + " did not finish in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

const std::vector<DemoModel>& EmbeddedDemoModels() {
  // Small enough to create and load in about a second on any CPU. The chat
  // model has the Qwen2 layout (GQA, qkv bias, ChatML) so every decoder path
  // is exercised; the embedding model is a BERT encoder.
  static const std::vector<DemoModel> kDemos = {
      {"demo",
       {"--arch", "qwen2", "--layers", "4", "--hidden", "256", "--heads", "8", "--kv-heads", "2",
        "--vocab", "2560", "--seed", "7"}},
      {"demo-embedding",
       {"--arch", "bert", "--layers", "4", "--hidden", "256", "--heads", "4", "--vocab", "2560",
        "--seed", "7"}},
  };
  return kDemos;
}

std::vector<std::string> DemoModelInitCommand(const UpOptions& o, const DemoModel& model) {
  std::vector<std::string> argv = {o.bin_dir + "/hai-model", "init", "--out",
                                   o.data_dir + "/models/" + model.name};
  for (const std::string& a : model.init_args) argv.push_back(a);
  return argv;
}

PortMap PortMap::FromBase(int base) {
  return {base, base + 1, base + 2, base + 3, base + 4, base + 10, base + 100};
}

const std::vector<EmbeddedNode>& EmbeddedNodes() {
  static const std::vector<EmbeddedNode> kNodes = {{"node-1", "ascend-910b3-x8.toml"},
                                                   {"node-2", "metax-c500-x8.toml"},
                                                   {"node-3", "hygon-k100-x4.toml"}};
  return kNodes;
}

std::string EmbeddedConfig(const UpOptions& o, const PortMap& ports) {
  std::string c = "# Written by `haictl up` for the embedded default; edits are overwritten.\n";
  c += "[log]\nlevel = " + Quote(o.log_level) + "\n\n";
  c += "[cluster]\nscheduler_url = \"http://127.0.0.1:" + std::to_string(ports.scheduler) + "\"\n";
  c += "portal_url = \"http://127.0.0.1:" + std::to_string(ports.portal) + "\"\n\n";
  c += "[scheduler]\nlisten = \"127.0.0.1\"\nport = " + std::to_string(ports.scheduler) + "\n";
  c += "data_dir = " + Quote(o.data_dir) + "\n\n";
  c += "[portal]\nlisten = \"127.0.0.1\"\nport = " + std::to_string(ports.portal) + "\n";
  c += "data_dir = " + Quote(o.data_dir) + "\n";
  c += "web_dir = " + Quote(o.web_dir.empty() ? o.share_dir + "/web" : o.web_dir) + "\n";
  c += "openapi_file = " + Quote(o.share_dir + "/api/openapi.json") + "\n";
  c += "gateway_url = \"http://127.0.0.1:" + std::to_string(ports.gateway) + "\"\n\n";
  c += "[gateway]\nlisten = \"127.0.0.1\"\nport = " + std::to_string(ports.gateway) + "\n";
  c += "data_dir = " + Quote(o.data_dir) + "\n";
  return c;
}

std::string EmbeddedAgentConfig(const UpOptions& o, const PortMap& ports, size_t i) {
  const EmbeddedNode& node = EmbeddedNodes().at(i);
  std::string c = "# Written by `haictl up`: simulated node " + node.name + ".\n";
  c += "[log]\nlevel = " + Quote(o.log_level) + "\n\n";
  c += "[agent]\nnode_name = " + Quote(node.name) + "\nlisten = \"127.0.0.1\"\n";
  c += "port = " + std::to_string(ports.agent_base + static_cast<int>(i)) + "\n";
  c += "scheduler_url = \"http://127.0.0.1:" + std::to_string(ports.scheduler) + "\"\n";
  c += "data_dir = " + Quote(o.data_dir) + "\n";
  c += "profile = " + Quote(o.share_dir + "/profiles/nodes/" + node.profile) + "\n";
  c += "labels = [\"zone=embedded\", \"rack=r" + std::to_string(i + 1) + "\"]\n";
  // Engines of this node: its own block of ports, so the agents never
  // compete for one.
  const int first = ports.engine_base + static_cast<int>(i) * kEnginePortsPerNode;
  c += "engine_profiles_dir = " + Quote(o.share_dir + "/profiles/engines") + "\n";
  c += "engine_port_first = " + std::to_string(first) + "\n";
  c += "engine_port_last = " + std::to_string(first + kEnginePortsPerNode - 1) + "\n";
  return c;
}

std::string ReadyLine(const PortMap& ports, const std::string& admin_password_file,
                      const std::string& data_dir, const std::string& engine_url) {
  nlohmann::json line = {{"ready", true},
                         {"portal", "http://127.0.0.1:" + std::to_string(ports.portal)},
                         {"admin_user", "admin"},
                         {"service", DemoServiceSpec().service},
                         {"model", DemoServiceSpec().service},
                         {"gateway", "http://127.0.0.1:" + std::to_string(ports.gateway)}};
  // The demo replica serves the service's name, which is what `model` names.
  line["engine"] = engine_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(engine_url);
  std::ifstream in(admin_password_file);
  std::string password;
  if (in && std::getline(in, password) && !password.empty()) {
    line["admin_password"] = password;
  } else {
    line["admin_password"] = nullptr;
    line["admin_password_note"] =
        "changed since first start; reset with: haictl admin reset-password --data " + data_dir;
  }
  return line.dump();
}

std::string FindShareDir(const std::string& bin_dir) {
  std::error_code ec;
  std::filesystem::path build_share = std::filesystem::path(bin_dir).parent_path() / "share" / "hai";
  if (std::filesystem::exists(build_share / "api" / "openapi.json", ec)) return build_share.string();
  return "/usr/share/hai";
}

std::vector<int> PortsInUse(const UpOptions& options) {
  PortMap p = PortMap::FromBase(options.base_port);
  std::vector<int> wanted = {p.portal, p.gateway, p.scheduler};
  for (size_t i = 0; i < EmbeddedNodes().size(); ++i)
    wanted.push_back(p.agent_base + static_cast<int>(i));
  std::vector<int> taken;
  for (int port : wanted)
    // A health check must never be answered by somebody else's daemon.
    if (http::LoopbackListening(port)) taken.push_back(port);
  return taken;
}

int RunUp(const UpOptions& options) {
  systemd::SignalWaiter signals;  // before children: they unblock in the child
  PortMap ports = PortMap::FromBase(options.base_port);
  if (std::vector<int> taken = PortsInUse(options); !taken.empty()) {
    std::fprintf(stderr, "haictl: port %d on 127.0.0.1 is already in use; choose another --base-port\n",
                 taken.front());
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "haictl: cannot create %s: %s\n", options.data_dir.c_str(),
                 ec.message().c_str());
    return 1;
  }
  ::chmod(options.data_dir.c_str(), 0700);
  std::string config_path = options.data_dir + "/hai.toml";
  std::ofstream(config_path) << EmbeddedConfig(options, ports);

  std::vector<Daemon> daemons;
  // The portal first: it creates the cluster token the others read.
  auto start = [&](const std::string& name, int port, std::vector<std::string> argv,
                   const std::string& health_path = "/healthz",
                   std::vector<std::string> env = {}) -> Status {
    proc::SpawnOptions spawn{std::move(argv), std::move(env)};
    spawn.stdout_to_stderr = true;  // stdout carries only the ready line
    auto child = proc::Child::Spawn(spawn);
    if (!child.ok()) return child.status();
    daemons.push_back({name, port, std::move(*child), health_path});
    return WaitHealthy(daemons, std::chrono::seconds(60));
  };
  Status st = start("hai-portal", ports.portal,
                    {options.bin_dir + "/hai-portal", "--config", config_path});
  if (st.ok())
    st = start("hai-scheduler", ports.scheduler,
               {options.bin_dir + "/hai-scheduler", "--config", config_path});
  // The gateway after the scheduler: it follows the scheduler's routing
  // table and is healthy once it has one.
  if (st.ok())
    st = start("hai-gateway", ports.gateway,
               {options.bin_dir + "/hai-gateway", "--config", config_path});
  for (size_t i = 0; st.ok() && i < EmbeddedNodes().size(); ++i) {
    std::string agent_config = options.data_dir + "/agent-" + EmbeddedNodes()[i].name + ".toml";
    std::ofstream(agent_config) << EmbeddedAgentConfig(options, ports, i);
    st = start("hai-agent " + EmbeddedNodes()[i].name, ports.agent_base + static_cast<int>(i),
               {options.bin_dir + "/hai-agent", "--config", agent_config});
  }
  if (st.ok()) st = WaitNodesReady(ports.scheduler, options.data_dir, EmbeddedNodes().size());
  // The demo models: created once; the portal registers their weights.
  for (const DemoModel& demo : EmbeddedDemoModels()) {
    if (!st.ok()) break;
    if (!std::filesystem::exists(options.data_dir + "/models/" + demo.name + "/config.json", ec))
      st = RunToEnd(DemoModelInitCommand(options, demo), std::chrono::seconds(120));
  }
  std::string engine_url;
  if (st.ok()) st = DeployDemo(options, ports, &engine_url);
  if (!st.ok()) {
    std::fprintf(stderr, "haictl: %s\n", st.message().c_str());
    return 1;  // Child destructors stop the others
  }
  std::printf("%s\n", ReadyLine(ports, options.data_dir + "/admin-password", options.data_dir,
                                engine_url)
                          .c_str());
  std::fflush(stdout);

  int exit_code = 0;
  std::string died;
  signals.Wait(std::chrono::milliseconds(500), [&] {
    for (Daemon& d : daemons) {
      if (auto status = d.child.Poll(); status && died.empty()) {
        died = d.name + " exited with status " + std::to_string(*status);
        ::kill(::getpid(), SIGTERM);  // leave the wait through the same path as Ctrl-C
      }
    }
  });
  if (!died.empty()) {
    std::fprintf(stderr, "haictl: %s; stopping the others\n", died.c_str());
    exit_code = 1;
  }
  for (auto it = daemons.rbegin(); it != daemons.rend(); ++it)
    it->child.Terminate(std::chrono::seconds(10));
  return exit_code;
}

}  // namespace hai::ctl
