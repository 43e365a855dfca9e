#include "installer/hai-install/nft_ruleset.h"

#include "installer/hai-install/net_address.h"

namespace hai::install {
namespace {

struct Split {
  std::vector<std::string> v4, v6;
};

Split ByFamily(const std::vector<std::string>& addresses) {
  Split s;
  for (const std::string& a : addresses) {
    std::string host = a.substr(0, a.find('/'));
    (IsIpv6(host) ? s.v6 : s.v4).push_back(a);
  }
  return s;
}

std::string Elements(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

class Writer {
 public:
  explicit Writer(Ruleset* out) : out_(out) {}

  void Set(const std::string& name, const std::string& type, const std::vector<std::string>& items,
           bool interval) {
    if (items.empty()) return;
    out_->text += "\tset " + name + " {\n\t\ttype " + type + "\n";
    if (interval) out_->text += "\t\tflags interval\n";
    out_->text += "\t\telements = { " + Elements(items) + " }\n\t}\n";
  }
  void Rule(const std::string& match, const std::string& mark) {
    out_->text += "\t\t" + match + " comment \"" + mark + "\"\n";
    out_->marks.push_back(mark);
  }
  // `what` open to the sources of `set` (both families), or to anyone when
  // `sources` is empty and `anyone` says so.
  void Open(const std::string& what, const std::string& set, const Split& sources, bool anyone,
            const std::string& mark) {
    if (sources.v4.empty() && sources.v6.empty()) {
      if (anyone) Rule(what + " accept", mark);
      return;
    }
    if (!sources.v4.empty()) Rule("ip saddr @" + set + "_v4 " + what + " accept", mark);
    if (!sources.v6.empty())
      Rule("ip6 saddr @" + set + "_v6 " + what + " accept", mark + " (IPv6)");
  }

 private:
  Ruleset* out_;
};

}  // namespace

Ruleset RenderRuleset(const InstallConfig& c, const std::string& header) {
  Ruleset r;
  Writer w(&r);
  Split cluster = ByFamily(c.addresses);
  Split admin = ByFamily(c.admin_from);
  r.text = "#!/usr/sbin/nft -f\n" + header +
           "# HAI host firewall: only the ports this node's role serves. The first two lines\n"
           "# make loading it again replace the table instead of adding to it.\n"
           "table inet hai\ndelete table inet hai\n\ntable inet hai {\n";
  w.Set("cluster_v4", "ipv4_addr", cluster.v4, false);
  w.Set("cluster_v6", "ipv6_addr", cluster.v6, false);
  w.Set("admin_v4", "ipv4_addr", admin.v4, true);
  w.Set("admin_v6", "ipv6_addr", admin.v6, true);
  r.text += "\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n";
  w.Rule("ct state established,related accept", "hai: established");
  w.Rule("ct state invalid drop", "hai: invalid");
  w.Rule("iif \"lo\" accept", "hai: loopback");
  // Protocol numbers, not names: nft looks names up in /etc/protocols, which a
  // minimal system (no netbase) lacks. 1 is ICMP, 58 ICMPv6.
  w.Rule("meta l4proto 1 accept", "hai: icmp");
  w.Rule("meta l4proto 58 accept", "hai: icmpv6");
  // Reached by people and programs: from admin_from (anyone when empty).
  // The cluster's own nodes reach the portal and gateways too (gateways ask
  // the portal about keys; the portal's playground calls a gateway).
  w.Open("tcp dport " + std::to_string(c.ssh_port), "admin", admin, true, "hai: ssh");
  if (c.control()) {
    w.Open("tcp dport 8080", "admin", admin, true, "hai: portal");
    if (!c.admin_from.empty())
      w.Open("tcp dport 8080", "cluster", cluster, false, "hai: portal from cluster");
  }
  w.Open("tcp dport 8000", "admin", admin, true, "hai: gateway");
  if (!c.admin_from.empty())
    w.Open("tcp dport 8000", "cluster", cluster, false, "hai: gateway from cluster");
  // Between the nodes only.
  if (c.control()) w.Open("tcp dport 7001", "cluster", cluster, false, "hai: scheduler");
  w.Open("tcp dport 7002", "cluster", cluster, false, "hai: agent");
  w.Open("tcp dport 21000-21999", "cluster", cluster, false, "hai: engines");
  // `hai-hwcheck serve`, the far end of r4 bandwidth tests (docs/hwcheck.md).
  w.Open("tcp dport 7190", "cluster", cluster, false, "hai: hwcheck serve");
  if (c.control()) w.Open("udp dport 123", "cluster", cluster, false, "hai: ntp");
  r.text += "\t}\n}\n";
  return r;
}

}  // namespace hai::install
