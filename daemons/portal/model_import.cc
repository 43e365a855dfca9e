#include "daemons/portal/model_import.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "daemons/portal/model_tar.h"
#include "lib/log/log.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;

// Messages from the checks name the staging copy; the admin knows the
// source, so they are rewritten to name it instead.
Status Relabel(const Status& st, const std::string& staged, const std::string& label,
               const std::string& field) {
  if (st.ok()) return st;
  std::string message = st.message();
  for (size_t at; (at = message.find(staged)) != std::string::npos;)
    message.replace(at, staged.size(), label);
  return Status(st.code(), message, st.field().empty() ? std::string() : field);
}

// Whether `inner` is `outer` or lies inside it (both made canonical).
bool Within(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

Status CheckSource(const std::string& source, const std::string& models_dir) {
  if (source.empty() || source[0] != '/')
    return Status::InvalidArgument("path: must be an absolute path on the control node", "path");
  std::error_code ec;
  if (!fs::is_directory(source, ec))
    return Status::InvalidArgument("path: " + source + " is not a folder on the control node",
                                   "path");
  fs::path from = fs::canonical(source, ec);
  if (ec) return Status::InvalidArgument("path: " + source + ": " + ec.message(), "path");
  fs::create_directories(models_dir, ec);
  fs::path models = fs::canonical(models_dir, ec);
  if (!ec && Within(models, from))
    return Status::InvalidArgument(
        "path: " + source + " holds the registry's own models folder; import a model folder",
        "path");
  return Status::Ok();
}

}  // namespace

Result<StagedModel> StagedModel::FromDirectory(const std::string& source,
                                               const std::string& models_dir,
                                               const ImportLimits& limits) {
  HAI_RETURN_IF_ERROR(CheckSource(source, models_dir));
  HAI_ASSIGN_OR_RETURN(StagingDir staging, StagingDir::Create(models_dir));
  StagedModel staged(std::move(staging));
  staged.root_ = staged.staging_.path();
  HAI_ASSIGN_OR_RETURN(staged.files_, CopyTree(source, staged.root_, limits));
  HAI_RETURN_IF_ERROR(staged.Check(source, "path"));
  return staged;
}

Result<StagedModel> StagedModel::FromArchive(std::string_view archive,
                                             const std::string& models_dir,
                                             const ImportLimits& limits) {
  HAI_ASSIGN_OR_RETURN(StagingDir staging, StagingDir::Create(models_dir));
  StagedModel staged(std::move(staging));
  staged.root_ = staged.staging_.path();
  HAI_ASSIGN_OR_RETURN(staged.files_, ExtractTar(archive, staged.root_, limits));
  std::error_code ec;
  std::vector<fs::path> top;
  for (const fs::directory_entry& e : fs::directory_iterator(staged.root_, ec))
    top.push_back(e.path());
  if (!ec && top.size() == 1 && fs::is_directory(top[0], ec) &&
      !fs::exists(fs::path(staged.root_) / "config.json", ec)) {
    const std::string prefix = top[0].filename().string() + "/";
    staged.root_ = top[0].string();
    for (ModelFile& f : staged.files_) f.path = f.path.substr(prefix.size());
  }
  HAI_RETURN_IF_ERROR(staged.Check("archive", "archive"));
  return staged;
}

Status StagedModel::Check(const std::string& label, const std::string& field) {
  auto facts = CheckCheckpoint(root_);
  if (!facts.ok()) return Relabel(facts.status(), root_, label, field);
  facts_ = std::move(*facts);
  return Status::Ok();
}

Status StagedModel::Commit(const std::string& final_dir) {
  if (std::rename(root_.c_str(), final_dir.c_str()) != 0)
    return Status::Unavailable("cannot move the model into " + final_dir);
  if (root_ == staging_.path()) staging_.Keep();
  root_ = final_dir;
  return SyncDirectory(fs::path(final_dir).parent_path().string());
}

void StagedModel::Rollback(const std::string& final_dir) {
  std::error_code ec;
  fs::remove_all(final_dir, ec);
  if (ec)
    log::Warn("cannot remove a rolled-back import", {{"dir", final_dir}, {"error", ec.message()}});
}

}  // namespace hai::portal
