// Step "firewall": table `inet hai` (nft_ruleset.cc) in its own file, loaded
// now with nft -f and at boot by nftables.service, whose main file gets an
// include line when it lacks one. With the firewall off the file goes, the
// table is deleted, and (openEuler) the include line is taken out again.
#include <memory>

#include "installer/hai-install/distro_file.h"
#include "installer/hai-install/nft_ruleset.h"
#include "installer/hai-install/nft_table.h"
#include "installer/hai-install/settings.h"
#include "installer/hai-install/unit_actions.h"

namespace hai::install {

Result<Step> PlanFirewall(const PlanInput& in) {
  DistroPaths p = PathsFor(in.distro);
  const std::string comment = "Added by hai-install: HAI's host firewall";
  const std::string line = "include \"" + p.nft_include_glob + "\"";
  Step step;
  step.id = "firewall";
  if (!in.config.firewall_enabled) {
    step.description = "host firewall off: table inet hai removed";
    step.files.push_back(FileSpec::Absent(p.nft_file));
    // A glob include of no files is fine; an include of a missing file is not.
    if (in.distro == Distro::kRedHat) {
      HAI_ASSIGN_OR_RETURN(FileSpec main, DistroFileWithoutLine(in, p.nft_main, comment, line));
      step.files.push_back(main);
    }
    step.actions.push_back(std::make_shared<NftTableAbsent>());
    return step;
  }
  Ruleset rules = RenderRuleset(in.config, GeneratedHeader(in));
  step.description = "host firewall: table inet hai, input policy drop, " +
                     std::to_string(rules.marks.size()) + " rules for a " +
                     RoleName(in.config.role) + " node";
  std::string main = ReadTargetFile(in, p.nft_main);
  bool included = HasDirective(main, {"include"}, {p.nft_include_glob, p.nft_file});
  HAI_ASSIGN_OR_RETURN(FileSpec main_spec,
                       DistroFileWithLine(in, p.nft_main, !included, comment, line,
                                          "nftables is not installed (no " + p.nft_main + ")"));
  step.files.push_back(FileSpec::File(p.nft_file, rules.text));
  step.files.push_back(main_spec);
  step.actions.push_back(std::make_shared<NftTable>(p.nft_file, rules.marks, step.id));
  step.actions.push_back(
      std::make_shared<EnableUnits>(std::vector<std::string>{"nftables.service"}));
  return step;
}

}  // namespace hai::install
