#include "installer/hai-install/test_root.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "installer/hai-install/accounts.h"
#include "installer/hai-install/plan_builder.h"
#include "lib/base/random.h"
#include "lib/config/config_file.h"

namespace hai::install {

namespace fs = std::filesystem;

const char kControlToml[] = R"([node]
name = "hai-1"
role = "control"
address = "10.0.0.1"

[cluster]
addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
)";

const char kWorkerToml[] = R"([node]
name = "hai-2"
role = "worker"
address = "10.0.0.2"

[cluster]
addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
token_file = "@TOKEN@"

[tls]
mode = "off"
)";

TestRoot::TestRoot(Distro distro) {
  std::string tmpl = (fs::temp_directory_path() / "hai-install-test-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
  path_ += "/root";
  fs::create_directories(path_);
  std::string uid = std::to_string(getuid()), gid = std::to_string(getgid());
  Write("etc/passwd", "root:x:" + uid + ":" + gid + "::/root:/bin/sh\nhai:x:" + uid + ":" + gid +
                          "::/var/lib/hai:/usr/sbin/nologin\n");
  Write("etc/group", "root:x:" + gid + ":\nhai:x:" + gid + ":\n");
  Write("var/lib/.keep", "");
  if (distro == Distro::kDebian) {
    Write("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
    Write("etc/chrony/chrony.conf",
          "pool 2.debian.pool.ntp.org iburst\nconfdir /etc/chrony/conf.d\n");
    Write("etc/nftables.conf", "#!/usr/sbin/nft -f\n\nflush ruleset\n");
  } else {
    Write("etc/os-release", "NAME=\"openEuler\"\nID=\"openEuler\"\nVERSION_ID=\"22.03\"\n");
    Write("etc/chrony.conf", "pool pool.ntp.org iburst\ndriftfile /var/lib/chrony/drift\n");
    Write("etc/sysconfig/nftables.conf",
          "# Uncomment the include statement here to load the default config sets.\n");
  }
  const std::string units = std::string(HAI_TEST_SOURCE_DIR) + "/installer/units";
  fs::create_directories(path_ + "/usr/lib/systemd/system");
  for (const auto& entry : fs::directory_iterator(units))
    fs::copy_file(entry.path(),
                  path_ + "/usr/lib/systemd/system/" + entry.path().filename().string(),
                  fs::copy_options::overwrite_existing);
  Write("usr/lib/systemd/system/nftables.service",
        "[Unit]\nDescription=nftables\n[Service]\nType=oneshot\nExecStart=/usr/sbin/nft -f "
        "/etc/nftables.conf\n[Install]\nWantedBy=sysinit.target\n");
  std::string token = RandomToken(32) + "\n";
  std::ofstream(path_ + "/../token") << token;
}

TestRoot::~TestRoot() {
  std::error_code ec;
  fs::remove_all(fs::path(path_).parent_path(), ec);
}

void TestRoot::Write(const std::string& relative, const std::string& content) const {
  fs::path p = fs::path(path_) / relative;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

std::string TestRoot::Read(const std::string& relative) const {
  std::ifstream in(fs::path(path_) / relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TreeDigest(const std::string& dir) {
  std::map<std::string, std::string> entries;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    struct stat st;
    std::string p = it->path().string();
    if (lstat(p.c_str(), &st) != 0) continue;
    std::ostringstream e;
    e << std::oct << st.st_mode << std::dec << " " << st.st_uid << ":" << st.st_gid << " ";
    if (S_ISREG(st.st_mode)) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      e << Sha256Hex(text.str());
    } else if (S_ISLNK(st.st_mode)) {
      e << fs::read_symlink(p, ec).string();
    }
    entries[p.substr(dir.size())] = e.str();
  }
  std::string all;
  for (const auto& [p, e] : entries) all += p + " " + e + "\n";
  return all;
}

std::string SourceProfilesDir() { return std::string(HAI_TEST_SOURCE_DIR) + "/profiles"; }

Result<PlanInput> TestInput(const std::string& toml, const std::string& root, Distro distro) {
  std::string text = toml;
  if (size_t at = text.find("@TOKEN@"); at != std::string::npos)
    text.replace(at, 7, root + "/../token");
  HAI_ASSIGN_OR_RETURN(config::File file, config::File::Parse(text, "install.toml"));
  PlanInput in;
  HAI_ASSIGN_OR_RETURN(in.config, ReadInstallConfig(file, "10.0.0.9"));
  HAI_ASSIGN_OR_RETURN(
      in.tuning, LoadTuningProfile(SourceProfilesDir() + "/tuning", in.config.tuning_profile));
  in.root = root;
  in.distro = distro;
  in.profiles_dir = SourceProfilesDir();
  in.now = time(nullptr);
  in.start_units = false;  // as under --root; tests of starting set it
  return in;
}

Plan TestPlan(const std::string& toml, const std::string& root, bool start_units) {
  auto in = TestInput(toml, root);
  EXPECT_TRUE(in.ok()) << in.status().ToString();
  if (!in.ok()) return Plan{};
  in->start_units = start_units;
  auto plan = BuildPlan(*in, Accounts::Load(root));
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? std::move(plan).value() : Plan{};
}

}  // namespace hai::install
