#include "installer/hai-install/plan_report.h"

#include <nlohmann/json.hpp>

namespace hai::install {

namespace {

using json = nlohmann::ordered_json;

std::string KindName(FileSpec::Kind kind) {
  switch (kind) {
    case FileSpec::Kind::kFile:
      return "file";
    case FileSpec::Kind::kDirectory:
      return "directory";
    case FileSpec::Kind::kAbsent:
      return "absent";
  }
  return "file";
}

std::string ActionStateName(StepPreview::ActionState state) {
  switch (state) {
    case StepPreview::ActionState::kInPlace:
      return "in place";
    case StepPreview::ActionState::kApply:
      return "apply";
    case StepPreview::ActionState::kSkipped:
      return "skipped";
  }
  return "apply";
}

std::string Indented(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string RenderPlanHuman(const Plan& plan, const std::vector<StepPreview>& previews) {
  std::string out = "hai-install plan for node " + plan.node + " (" + plan.role + ")" +
                    (plan.root.empty() ? "" : " under " + plan.root) + "\n";
  int changing = 0;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& step = plan.steps[i];
    const StepPreview& p = previews[i];
    changing += p.Changes();
    out += "\n[" + std::to_string(i + 1) + "] " + step.id + ": " + step.description + " — " +
           (p.Changes() ? "will change" : "unchanged") + "\n";
    for (size_t f = 0; f < step.files.size(); ++f) {
      const FileSpec& spec = step.files[f];
      std::string what = spec.kind == FileSpec::Kind::kAbsent
                             ? "absent"
                             : KindName(spec.kind) + " " + ModeText(spec.mode) + " " + spec.owner +
                                   ":" + spec.group;
      out += "    " + FileChangeName(p.files[f]) + ": " + spec.path + " (" + what + ")\n";
      if (p.files[f] != FileChange::kUnchanged && spec.kind == FileSpec::Kind::kFile)
        out += spec.secret
                   ? "        | (secret, " + std::to_string(spec.content.size()) + " bytes)\n"
                   : Indented(spec.content, "        | ");
    }
    for (size_t a = 0; a < step.actions.size(); ++a) {
      out += "    " + ActionStateName(p.actions[a]) + ": " + step.actions[a]->Describe();
      if (!p.action_notes[a].empty()) out += " (" + p.action_notes[a] + ")";
      out += "\n";
    }
  }
  out += "\n" + std::to_string(changing) + " of " + std::to_string(plan.steps.size()) +
         " steps would change; nothing was changed (--dry-run)\n";
  return out;
}

std::string RenderPlanJson(const Plan& plan, const std::vector<StepPreview>& previews) {
  json steps = json::array();
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Step& step = plan.steps[i];
    const StepPreview& p = previews[i];
    json files = json::array();
    for (size_t f = 0; f < step.files.size(); ++f) {
      const FileSpec& spec = step.files[f];
      json file = {{"path", spec.path},
                   {"kind", KindName(spec.kind)},
                   {"change", FileChangeName(p.files[f])}};
      if (spec.kind != FileSpec::Kind::kAbsent) {
        file["mode"] = ModeText(spec.mode);
        file["owner"] = spec.owner;
        file["group"] = spec.group;
      }
      if (spec.kind == FileSpec::Kind::kFile) {
        file["secret"] = spec.secret;
        if (!spec.secret) file["content"] = spec.content;
      }
      files.push_back(file);
    }
    json actions = json::array();
    for (size_t a = 0; a < step.actions.size(); ++a)
      actions.push_back({{"description", step.actions[a]->Describe()},
                         {"state", ActionStateName(p.actions[a])},
                         {"note", p.action_notes[a]}});
    steps.push_back({{"id", step.id},
                     {"description", step.description},
                     {"status", p.Changes() ? "change" : "unchanged"},
                     {"files", files},
                     {"actions", actions}});
  }
  json out = {{"node", plan.node}, {"role", plan.role}, {"root", plan.root}, {"steps", steps}};
  return out.dump(2) + "\n";
}

}  // namespace hai::install
