#include "daemons/agent/model_source.h"

#include <nlohmann/json.hpp>

#include "daemons/agent/verified_file.h"
#include "lib/base/percent_encoding.h"
#include "lib/http/client.h"

namespace hai::agent {
namespace {

// An error answer is small JSON; this much of a body is kept to explain a
// refusal. A 200 body goes to the file.
constexpr size_t kErrorBodyKept = 4096;

// "the scheduler answered 404: <its message>"
Status Refusal(int status, const std::string& body) {
  std::string message = body.substr(0, 300);
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object() &&
      j["error"].value("message", "") != "")
    message = j["error"]["message"].get<std::string>();
  const std::string text = "the scheduler answered " + std::to_string(status) + ": " + message;
  if (status == 404) return Status::NotFound(text);
  if (status == 401 || status == 403) return Status::Unauthenticated(text);
  return Status::Unavailable(text);
}

}  // namespace

std::string EncodeUrlPath(const std::string& path) { return PercentEncode(path, "/"); }

Result<cluster::ModelManifest> ModelSource::Manifest(int64_t model_id) const {
  http::Client client(settings_.host, settings_.port, settings_.timeout_ms);
  const std::string path = "/internal/v1/models/" + std::to_string(model_id) + "/manifest";
  auto r = client.Send("GET", path, "", {{"Authorization", "Bearer " + settings_.token}});
  if (!r.ok())
    return Status::Unavailable("cannot reach the scheduler at " + where() + " for the manifest " +
                               "of model " + std::to_string(model_id) + ": " +
                               r.status().message());
  if (r->status != 200) return Refusal(r->status, r->body);
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  auto manifest = cluster::ModelManifestFromJson(j);
  if (!manifest.ok())
    return Status::InvalidArgument("the scheduler's manifest of model " + std::to_string(model_id) +
                                   " is not usable: " + manifest.status().message());
  if (manifest->model_id != model_id)
    return Status::InvalidArgument("the scheduler sent the manifest of model " +
                                   std::to_string(manifest->model_id) + " for model " +
                                   std::to_string(model_id));
  return manifest;
}

Status ModelSource::Download(int64_t model_id, const cluster::ModelFileEntry& file,
                             const std::string& dest,
                             const std::function<void(int64_t bytes)>& on_bytes,
                             const std::function<bool()>& cancelled) const {
  VerifiedFileWriter out(dest, file.path, file.bytes, file.sha256);
  HAI_RETURN_IF_ERROR(out.Open());
  http::Client client(settings_.host, settings_.port, settings_.timeout_ms);
  const std::string path =
      "/internal/v1/models/" + std::to_string(model_id) + "/files/" + EncodeUrlPath(file.path);
  // The status is known only once the body is done (the client has no
  // separate head callback), so an error body lands in the file too; it is
  // small, and the file is thrown away with the failure.
  std::string head;
  Status write_error;
  bool stopped = false;
  auto r = client.SendStreaming("GET", path, "", {{"Authorization", "Bearer " + settings_.token}},
                                [&](std::string_view data) {
                                  if (cancelled && cancelled()) {
                                    stopped = true;
                                    return false;
                                  }
                                  if (head.size() < kErrorBodyKept)
                                    head.append(data.substr(0, kErrorBodyKept - head.size()));
                                  write_error = out.Append(data);
                                  if (!write_error.ok()) return false;
                                  if (on_bytes) on_bytes(static_cast<int64_t>(data.size()));
                                  return true;
                                });
  if (stopped) return Status::Unavailable("cancelled");
  if (!r.ok() && !write_error.ok()) {
    // An error answer longer than the file (a small file) overflows it
    // before its status is known: say what the scheduler said instead.
    auto j = nlohmann::json::parse(head, nullptr, false);
    if (write_error.code() == Code::kFailedPrecondition && j.is_object() && j.contains("error") &&
        j["error"].is_object())
      return Status::Unavailable("file '" + file.path + "': the scheduler refused it: " +
                                 j["error"].value("message", head.substr(0, 300)));
    return write_error;
  }
  if (!r.ok())
    return Status::Unavailable("file '" + file.path + "': the transfer from the scheduler at " +
                               where() + " broke off after " + std::to_string(out.written()) +
                               " of " + std::to_string(file.bytes) +
                               " bytes: " + r.status().message());
  if (r->status != 200) {
    Status refusal = Refusal(r->status, head);
    return Status(refusal.code(), "file '" + file.path + "': " + refusal.message());
  }
  return out.Finish();
}

}  // namespace hai::agent
