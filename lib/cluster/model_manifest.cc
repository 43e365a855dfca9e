#include "lib/cluster/model_manifest.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "lib/base/random.h"
#include "lib/cluster/json_reader.h"

namespace hai::cluster {
namespace {

using internal::Reader;

constexpr size_t kMaxPath = 4096;
// A model import accepts at most 10 000 files (the portal's limit); the same
// bound keeps one manifest message reasonable.
constexpr size_t kMaxFiles = 10000;

}  // namespace

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string ModelDigest(const std::vector<ModelFileEntry>& files) {
  if (files.empty()) return "";
  std::vector<std::string> lines;
  lines.reserve(files.size());
  for (const ModelFileEntry& f : files)
    lines.push_back(f.path + "\t" + std::to_string(f.bytes) + "\t" + f.sha256 + "\n");
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const std::string& l : lines) all += l;
  return Sha256Hex(all);
}

ModelManifest MakeModelManifest(int64_t model_id, std::vector<ModelFileEntry> files) {
  std::sort(files.begin(), files.end(),
            [](const ModelFileEntry& a, const ModelFileEntry& b) { return a.path < b.path; });
  ModelManifest m;
  m.model_id = model_id;
  m.digest = ModelDigest(files);
  for (const ModelFileEntry& f : files) m.bytes += f.bytes;
  m.files = std::move(files);
  return m;
}

Status CheckModelFilePath(std::string_view path) {
  const std::string shown(path.substr(0, 200));
  if (path.empty() || path.size() > kMaxPath)
    return Status::InvalidArgument("path must have 1 to 4096 bytes", "path");
  if (path.front() == '/')
    return Status::InvalidArgument("path '" + shown + "' must be relative to the model's folder",
                                   "path");
  for (char c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\')
      return Status::InvalidArgument(
          "path '" + shown + "' holds a control character or a backslash", "path");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..")
      return Status::InvalidArgument(
          "path '" + shown + "' has an empty, '.' or '..' part; it must stay inside the folder",
          "path");
    start = end + 1;
  }
  return Status::Ok();
}

nlohmann::json ToJson(const ModelManifest& m) {
  nlohmann::json files = nlohmann::json::array();
  for (const ModelFileEntry& f : m.files)
    files.push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  return {{"model_id", m.model_id}, {"digest", m.digest}, {"bytes", m.bytes}, {"files", files}};
}

Result<ModelManifest> ModelManifestFromJson(const nlohmann::json& j) {
  Reader r(j, "");
  ModelManifest m;
  r.Get("model_id", &m.model_id);
  r.Get("digest", &m.digest);
  r.Get("bytes", &m.bytes);
  HAI_RETURN_IF_ERROR(r.status());
  const nlohmann::json* files = r.Child("files");
  if (!files || !files->is_array())
    return Status::InvalidArgument("files must be an array", "files");
  if (files->size() > kMaxFiles)
    return Status::InvalidArgument("files: at most " + std::to_string(kMaxFiles), "files");
  std::set<std::string> seen;
  int64_t total = 0;
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string where = "files[" + std::to_string(i) + "]";
    Reader fr((*files)[i], where);
    ModelFileEntry f;
    fr.Get("path", &f.path);
    fr.Get("bytes", &f.bytes);
    fr.Get("sha256", &f.sha256);
    HAI_RETURN_IF_ERROR(fr.status());
    if (Status st = CheckModelFilePath(f.path); !st.ok())
      return Status::InvalidArgument(where + ".path: " + st.message(), where + ".path");
    if (f.bytes < 0 || f.bytes > (int64_t{1} << 50))
      return Status::InvalidArgument(where + ".bytes is out of range", where + ".bytes");
    if (!IsSha256Hex(f.sha256))
      return Status::InvalidArgument(where + ".sha256 must be 64 lower-case hex digits",
                                     where + ".sha256");
    if (!seen.insert(f.path).second)
      return Status::InvalidArgument(where + ".path '" + f.path + "' is listed twice",
                                     where + ".path");
    total += f.bytes;
    m.files.push_back(std::move(f));
  }
  if (m.model_id < 1) return Status::InvalidArgument("model_id must be at least 1", "model_id");
  if (total != m.bytes)
    return Status::InvalidArgument("bytes " + std::to_string(m.bytes) +
                                       " is not the sum of the files' bytes " +
                                       std::to_string(total),
                                   "bytes");
  std::sort(m.files.begin(), m.files.end(),
            [](const ModelFileEntry& a, const ModelFileEntry& b) { return a.path < b.path; });
  if (m.digest != ModelDigest(m.files))
    return Status::InvalidArgument("digest does not match the listed files", "digest");
  return m;
}

}  // namespace hai::cluster
