// The plans for a control and a worker node: which steps, which files with
// which content, and which live actions; distro differences; inputs that
// stop planning before anything changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "installer/hai-install/follow_command.h"
#include "installer/hai-install/kernel_args.h"
#include "installer/hai-install/nft_table.h"
#include "installer/hai-install/plan_builder.h"
#include "installer/hai-install/test_root.h"
#include "installer/hai-install/unit_actions.h"

namespace hai::install {
namespace {

const Step& StepOf(const Plan& plan, const std::string& id) {
  for (const Step& s : plan.steps)
    if (s.id == id) return s;
  ADD_FAILURE() << "no step " << id;
  static Step none;
  return none;
}

const FileSpec* FileOf(const Plan& plan, const std::string& path) {
  for (const Step& s : plan.steps)
    for (const FileSpec& f : s.files)
      if (f.path == path) return &f;
  return nullptr;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Result<Plan> PlanFor(const std::string& toml, const TestRoot& root,
                     Distro distro = Distro::kDebian) {
  HAI_ASSIGN_OR_RETURN(PlanInput in, TestInput(toml, root.path(), distro));
  return BuildPlan(in, Accounts::Load(root.path()));
}

TEST(PlanTest, ControlNodeStepsInOrder) {
  TestRoot root;
  auto plan = PlanFor(kControlToml, root);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::vector<std::string> ids;
  for (const Step& s : plan->steps) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"sysctl", "thp", "iosched", "kernel-args", "chrony",
                                           "firewall", "cluster-token", "tls", "hai-config",
                                           "device-groups", "units"}));
  const FileSpec* sysctl = FileOf(*plan, "/etc/sysctl.d/90-hai.conf");
  ASSERT_TRUE(sysctl);
  EXPECT_TRUE(Has(sysctl->content, "\nvm.swappiness = 10\n"));
  EXPECT_TRUE(Has(sysctl->content, "\nkernel.numa_balancing = 0\n"));
  EXPECT_FALSE(Has(sysctl->content, "wmem_max ="));
  EXPECT_EQ(StepOf(*plan, "sysctl").actions.size(),
            static_cast<size_t>(std::count(sysctl->content.begin(), sysctl->content.end(), '=')));
  const FileSpec* thp = FileOf(*plan, "/etc/tmpfiles.d/hai-thp.conf");
  ASSERT_TRUE(thp);
  EXPECT_TRUE(Has(thp->content, "w /sys/kernel/mm/transparent_hugepage/enabled - - - - madvise\n"));
  const FileSpec* udev = FileOf(*plan, "/etc/udev/rules.d/60-hai-iosched.rules");
  ASSERT_TRUE(udev);
  EXPECT_TRUE(Has(udev->content, "KERNEL==\"nvme[0-9]*n[0-9]*\", ATTR{queue/scheduler}=\"none\""));
  EXPECT_TRUE(
      Has(udev->content, "ATTR{queue/rotational}==\"1\", ATTR{queue/scheduler}=\"mq-deadline\""));

  // No CPU isolation asked for: no grub snippet.
  const FileSpec* grub = FileOf(*plan, "/etc/default/grub.d/hai.cfg");
  ASSERT_TRUE(grub);
  EXPECT_EQ(grub->kind, FileSpec::Kind::kAbsent);
  EXPECT_TRUE(StepOf(*plan, "kernel-args").probes.empty());

  const FileSpec* chrony = FileOf(*plan, "/etc/chrony/conf.d/hai.conf");
  ASSERT_TRUE(chrony);
  EXPECT_TRUE(Has(chrony->content, "\nlocal stratum 10\n"));
  EXPECT_TRUE(Has(chrony->content, "\nallow 10.0.0.2\nallow 10.0.0.3\n"));
  EXPECT_FALSE(Has(chrony->content, "\nserver "));
  // Debian's chrony.conf already reads conf.d: left as it is.
  const FileSpec* chrony_main = FileOf(*plan, "/etc/chrony/chrony.conf");
  ASSERT_TRUE(chrony_main);
  EXPECT_EQ(chrony_main->content, root.Read("etc/chrony/chrony.conf"));

  const FileSpec* nft = FileOf(*plan, "/etc/nftables.d/hai.nft");
  ASSERT_TRUE(nft);
  for (const char* rule :
       {"tcp dport 8080 accept", "tcp dport 8000 accept", "tcp dport 22 accept",
        "ip saddr @cluster_v4 tcp dport 7001 accept", "ip saddr @cluster_v4 tcp dport 7002 accept",
        "ip saddr @cluster_v4 tcp dport 21000-21999 accept",
        "ip saddr @cluster_v4 udp dport 123 accept", "policy drop"})
    EXPECT_TRUE(Has(nft->content, rule)) << rule;
  const FileSpec* nft_main = FileOf(*plan, "/etc/nftables.conf");
  ASSERT_TRUE(nft_main);
  EXPECT_TRUE(Has(nft_main->content, "flush ruleset\n"));
  EXPECT_TRUE(Has(nft_main->content, "\ninclude \"/etc/nftables.d/*.nft\"\n"));

  const FileSpec* token = FileOf(*plan, "/var/lib/hai/cluster-token");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->mode, 0600u);
  EXPECT_EQ(token->owner, "hai");
  EXPECT_TRUE(token->secret);
  EXPECT_EQ(token->content.size(), 44u) << "43 URL-safe characters and a newline";

  const FileSpec* key = FileOf(*plan, "/etc/hai/tls/hai.key");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->mode, 0640u);
  EXPECT_EQ(key->group, "hai");
  EXPECT_TRUE(key->secret);
  const FileSpec* ca = FileOf(*plan, "/etc/hai/tls/ca.crt");
  const FileSpec* cert = FileOf(*plan, "/etc/hai/tls/hai.crt");
  ASSERT_TRUE(ca && cert);
  EXPECT_EQ(ca->content, cert->content) << "self-signed: the certificate is its own CA";

  const FileSpec* toml = FileOf(*plan, "/etc/hai/hai.toml");
  ASSERT_TRUE(toml);
  EXPECT_EQ(toml->mode, 0640u);
  EXPECT_EQ(toml->owner, "root");
  EXPECT_EQ(toml->group, "hai");
  EXPECT_TRUE(Has(toml->content, "[portal]"));
  EXPECT_TRUE(Has(toml->content, "[scheduler]"));
  EXPECT_TRUE(Has(toml->content, "portal_url = \"https://10.0.0.1:8080\""));

  const Step& units = StepOf(*plan, "units");
  std::vector<std::string> described;
  for (const auto& a : units.actions) described.push_back(a->Describe());
  EXPECT_EQ(described[0], "systemctl daemon-reload (when units changed)");
  EXPECT_EQ(described[1],
            "systemctl enable hai.target hai-portal.service hai-scheduler.service "
            "hai-agent.service hai-gateway.service");
  EXPECT_EQ(described[3], "systemctl try-restart hai-agent.service (when device-groups changed)");
  EXPECT_EQ(described.size(), 4u) << "TestInput plans for --root: nothing started";
  const Step& groups = StepOf(*plan, "device-groups");
  ASSERT_EQ(groups.actions.size(), 1u);
  EXPECT_EQ(groups.actions[0]->Describe(),
            "add hai to group HwHiAiUser (usermod -aG HwHiAiUser hai)");
}

TEST(PlanTest, WorkerNodeRunsOnlyItsDaemons) {
  TestRoot root;
  auto plan = PlanFor(kWorkerToml, root);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const FileSpec* chrony = FileOf(*plan, "/etc/chrony/conf.d/hai.conf");
  ASSERT_TRUE(chrony);
  EXPECT_TRUE(Has(chrony->content, "\nserver 10.0.0.1 iburst\n"));
  EXPECT_FALSE(Has(chrony->content, "local stratum"));
  EXPECT_FALSE(Has(chrony->content, "allow"));

  const FileSpec* nft = FileOf(*plan, "/etc/nftables.d/hai.nft");
  ASSERT_TRUE(nft);
  EXPECT_FALSE(Has(nft->content, "8080")) << "no portal on a worker";
  EXPECT_FALSE(Has(nft->content, "7001")) << "no scheduler on a worker";
  EXPECT_FALSE(Has(nft->content, "udp dport 123"));
  EXPECT_TRUE(Has(nft->content, "tcp dport 8000 accept"));
  EXPECT_TRUE(Has(nft->content, "ip saddr @cluster_v4 tcp dport 7002 accept"));
  EXPECT_TRUE(Has(nft->content, "ip saddr @cluster_v4 tcp dport 7190 accept"));

  const FileSpec* token = FileOf(*plan, "/var/lib/hai/cluster-token");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->content, root.Read("../token")) << "the control node's token, copied";

  EXPECT_TRUE(StepOf(*plan, "tls").files.empty()) << "tls mode off";
  const FileSpec* toml = FileOf(*plan, "/etc/hai/hai.toml");
  ASSERT_TRUE(toml);
  EXPECT_FALSE(Has(toml->content, "[portal]"));
  EXPECT_FALSE(Has(toml->content, "[scheduler]"));
  EXPECT_FALSE(Has(toml->content, "ca_file"));
  EXPECT_TRUE(Has(toml->content, "advertise_url = \"http://10.0.0.2:7002\""));
  EXPECT_TRUE(Has(toml->content, "scheduler_url = \"http://10.0.0.1:7001\""));
  EXPECT_EQ(StepOf(*plan, "units").actions[1]->Describe(),
            "systemctl enable hai.target hai-agent.service hai-gateway.service");
}

TEST(PlanTest, OptionsChangeTheirSteps) {
  TestRoot root;
  std::string toml =
      std::string(kControlToml) +
      "data_dir = \"/srv/hai\"\n"
      "[tuning]\nisolcpus = \"2-15\"\nnohz_full = \"2-15\"\n"
      "[firewall]\nadmin_from = [\"192.168.0.0/16\", \"fd00::/8\"]\nssh_port = 2222\n"
      "[ntp]\nservers = [\"ntp.hospital.local\"]\n";
  auto plan = PlanFor(toml, root);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const FileSpec* grub = FileOf(*plan, "/etc/default/grub.d/hai.cfg");
  ASSERT_TRUE(grub);
  EXPECT_TRUE(Has(grub->content,
                  "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT isolcpus=2-15 "
                  "nohz_full=2-15\"\n"));
  EXPECT_EQ(StepOf(*plan, "kernel-args").probes.size(), 1u);
  const FileSpec* nft = FileOf(*plan, "/etc/nftables.d/hai.nft");
  ASSERT_TRUE(nft);
  EXPECT_TRUE(Has(nft->content, "elements = { 192.168.0.0/16 }"));
  EXPECT_TRUE(Has(nft->content, "ip saddr @admin_v4 tcp dport 2222 accept"));
  EXPECT_TRUE(Has(nft->content, "ip6 saddr @admin_v6 tcp dport 8080 accept"));
  EXPECT_TRUE(Has(nft->content, "ip saddr @cluster_v4 tcp dport 8000 accept"))
      << "the cluster's nodes reach the gateways whatever admin_from says";
  EXPECT_FALSE(Has(nft->content, "\t\ttcp dport 22 accept"));
  const FileSpec* chrony = FileOf(*plan, "/etc/chrony/conf.d/hai.conf");
  ASSERT_TRUE(chrony);
  EXPECT_TRUE(Has(chrony->content, "server ntp.hospital.local iburst\nlocal stratum 10\n"));
  const FileSpec* dropin =
      FileOf(*plan, "/etc/systemd/system/hai-portal.service.d/hai-data-dir.conf");
  ASSERT_TRUE(dropin);
  EXPECT_TRUE(Has(dropin->content, "ReadWritePaths=/srv/hai\n"));
  EXPECT_TRUE(FileOf(*plan, "/srv/hai/cluster-token"));
}

TEST(PlanTest, FirewallOffRemovesOurTable) {
  TestRoot root;
  auto plan = PlanFor(std::string(kControlToml) + "[firewall]\nenabled = false\n", root);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const Step& fw = StepOf(*plan, "firewall");
  ASSERT_EQ(fw.files.size(), 1u);
  EXPECT_EQ(fw.files[0].kind, FileSpec::Kind::kAbsent);
  ASSERT_EQ(fw.actions.size(), 1u);
  EXPECT_TRUE(dynamic_cast<NftTableAbsent*>(fw.actions[0].get()));
}

TEST(PlanTest, OpenEulerUsesItsOwnPlaces) {
  TestRoot root(Distro::kRedHat);
  auto in = TestInput(std::string(kControlToml) + "[tuning]\nisolcpus = \"4-7\"\n", root.path(),
                      Distro::kRedHat);
  ASSERT_TRUE(in.ok());
  ASSERT_EQ(DetectDistro(root.path()), Distro::kRedHat);
  auto plan = BuildPlan(*in, Accounts::Load(root.path()));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(FileOf(*plan, "/etc/chrony.d/hai.conf"));
  const FileSpec* chrony_main = FileOf(*plan, "/etc/chrony.conf");
  ASSERT_TRUE(chrony_main);
  EXPECT_TRUE(Has(chrony_main->content, "\ninclude /etc/chrony.d/*.conf\n"))
      << "added because the distro's file does not read chrony.d";
  EXPECT_TRUE(Has(chrony_main->content, "driftfile /var/lib/chrony/drift\n")) << "kept";
  EXPECT_TRUE(FileOf(*plan, "/etc/nftables/hai.nft"));
  const FileSpec* nft_main = FileOf(*plan, "/etc/sysconfig/nftables.conf");
  ASSERT_TRUE(nft_main);
  EXPECT_TRUE(Has(nft_main->content, "include \"/etc/nftables/hai.nft\"\n"));
  const Step& kernel = StepOf(*plan, "kernel-args");
  EXPECT_TRUE(kernel.files.empty());
  ASSERT_EQ(kernel.actions.size(), 1u);
  EXPECT_TRUE(dynamic_cast<GrubbyArgs*>(kernel.actions[0].get()));
  EXPECT_EQ(StepOf(*plan, "chrony").actions[0]->Describe(),
            "systemctl restart chronyd.service (when chrony changed)");
}

TEST(PlanTest, MissingPiecesStopPlanning) {
  {
    TestRoot root;
    std::filesystem::remove(root.path() + "/etc/chrony/chrony.conf");
    auto plan = PlanFor(kControlToml, root);
    ASSERT_FALSE(plan.ok());
    EXPECT_TRUE(Has(plan.status().message(), "chrony is not installed"));
    EXPECT_TRUE(plan.status().field().empty()) << "not a config error";
  }
  {
    TestRoot root;
    std::filesystem::remove(root.path() + "/usr/lib/systemd/system/hai-agent.service");
    auto plan = PlanFor(kControlToml, root);
    ASSERT_FALSE(plan.ok());
    EXPECT_TRUE(Has(plan.status().message(), "hai-agent.service is not installed"));
  }
  {
    TestRoot root;
    root.Write("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    auto plan = PlanFor(kControlToml, root);
    ASSERT_FALSE(plan.ok());
    EXPECT_TRUE(Has(plan.status().message(), "user 'hai'"));
  }
  {
    TestRoot root;
    root.Write("../token", "short\n");
    auto plan = PlanFor(kWorkerToml, root);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().field(), "cluster.token_file");
  }
  {
    TestRoot root;
    auto plan = PlanFor(std::string(kControlToml) + "[agent]\nprofile = \"no-such-box\"\n", root);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().field(), "agent.profile");
  }
}

TEST(PlanTest, AgentProfileNamesResolveToTheInstalledFile) {
  TestRoot root;
  auto plan = PlanFor(std::string(kControlToml) +
                          "[agent]\nprofile = \"ascend-910b3-x8\"\n"
                          "labels = [\"rack=r1\"]\n",
                      root);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const FileSpec* toml = FileOf(*plan, "/etc/hai/hai.toml");
  ASSERT_TRUE(toml);
  EXPECT_TRUE(
      Has(toml->content, "profile = \"/usr/share/hai/profiles/nodes/ascend-910b3-x8.toml\"\n"));
  EXPECT_TRUE(Has(toml->content, "labels = [\"rack=r1\"]\n"));
}

}  // namespace
}  // namespace hai::install
