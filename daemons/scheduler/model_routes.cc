#include "daemons/scheduler/model_routes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "lib/http/bearer.h"
#include "lib/log/log.h"

namespace hai::scheduler {
namespace {

using http::Request;
using http::Response;

constexpr size_t kPiece = 1 << 20;

http::Handler Guard(std::string token, std::function<Result<Response>(Request&)> fn) {
  return [token = std::move(token), fn = std::move(fn)](Request& req) {
    if (!http::BearerMatches(req, token))
      return Response::Error(Status::Unauthenticated("this route needs the cluster token"));
    Result<Response> r = fn(req);
    if (r.ok()) return std::move(*r);
    if (r.status().code() != Code::kNotFound)
      log::Warn(
          "model file request refused",
          {{"request_id", req.request_id}, {"path", req.path}, {"error", r.status().message()}});
    return Response::Error(r.status());
  };
}

Result<int64_t> ModelId(const Request& req) {
  const std::string id = req.Param("id");
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos ||
      id == "0" || id[0] == '0')
    return Status::NotFound("no model '" + id.substr(0, 40) + "'");
  return std::stoll(id);
}

// A descriptor closed with the last copy of the response that reads it.
using SharedFd = std::shared_ptr<int>;
SharedFd Own(int fd) {
  return SharedFd(new int(fd), [](int* p) {
    if (*p >= 0) ::close(*p);
    delete p;
  });
}

// Opens `rel` (already checked by CheckModelFilePath) below `dir`, one part
// at a time and never through a symbolic link, so nothing outside the folder
// can be reached even if the folder was tampered with.
Result<SharedFd> OpenInside(const std::string& dir, const std::string& rel) {
  auto refuse = [&](const std::string& why) {
    return Status::FailedPrecondition("file '" + rel + "' of the model " + why);
  };
  SharedFd at = Own(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (*at < 0) return refuse("cannot be read: folder " + dir + ": " + std::strerror(errno));
  size_t start = 0;
  for (;;) {
    const size_t slash = rel.find('/', start);
    const bool last = slash == std::string::npos;
    const std::string part = rel.substr(start, last ? std::string::npos : slash - start);
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
    SharedFd next = Own(::openat(*at, part.c_str(), flags));
    if (*next < 0) {
      const int err = errno;
      if (err == ENOENT) return refuse("is missing on the control node");
      if (err == ELOOP || err == ENOTDIR)
        return refuse("is a symbolic link or passes through one; only plain files are served");
      return refuse(std::string("cannot be opened: ") + std::strerror(err));
    }
    if (last) return next;
    at = std::move(next);
    start = slash + 1;
  }
}

Result<Response> ManifestRoute(const ModelArtifacts* artifacts, Request& req) {
  HAI_ASSIGN_OR_RETURN(int64_t id, ModelId(req));
  HAI_ASSIGN_OR_RETURN(ModelArtifact artifact, artifacts->Find(id));
  return Response::Json(200, cluster::ToJson(artifact.manifest));
}

Result<Response> FileRoute(const ModelArtifacts* artifacts, Request& req) {
  HAI_ASSIGN_OR_RETURN(int64_t id, ModelId(req));
  const std::string rel = req.Param("path");
  HAI_RETURN_IF_ERROR(cluster::CheckModelFilePath(rel));
  HAI_ASSIGN_OR_RETURN(ModelArtifact artifact, artifacts->Find(id));
  const auto& files = artifact.manifest.files;  // sorted by path
  auto it = std::lower_bound(
      files.begin(), files.end(), rel,
      [](const cluster::ModelFileEntry& f, const std::string& p) { return f.path < p; });
  if (it == files.end() || it->path != rel)
    return Status::NotFound("model " + std::to_string(id) + " has no file '" + rel.substr(0, 200) +
                            "'");
  HAI_ASSIGN_OR_RETURN(SharedFd fd, OpenInside(artifact.dir, rel));
  struct stat st {};
  if (::fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode))
    return Status::FailedPrecondition("file '" + rel + "' of the model is not a regular file");
  // The agent checks the size and hash anyway; a file that changed since the
  // import is refused here so that the mistake is named where it is.
  if (st.st_size != it->bytes)
    return Status::FailedPrecondition("file '" + rel + "' of the model has " +
                                      std::to_string(st.st_size) + " bytes on the control node; " +
                                      "the registry recorded " + std::to_string(it->bytes));
  auto buffer = std::make_shared<std::string>();
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  Response r = Response::Sized(
      "application/octet-stream", size,
      [fd, buffer, size](uint64_t offset, uint64_t length, const http::StreamWrite& write) {
        if (offset >= size) return false;
        buffer->resize(std::min<uint64_t>({length, size - offset, kPiece}));
        const ssize_t n = ::pread(*fd, buffer->data(), buffer->size(), static_cast<off_t>(offset));
        if (n <= 0) return false;  // shrunk underneath: the client sees a short body
        return write(std::string_view(buffer->data(), static_cast<size_t>(n)));
      });
  r.AddHeader("X-Content-SHA256", it->sha256);
  return r;
}

}  // namespace

void AddModelRoutes(http::Router* router, const ModelArtifacts* artifacts,
                    const std::string& token) {
  router->Add("GET", "/internal/v1/models/{id}/manifest",
              Guard(token, [artifacts](Request& req) { return ManifestRoute(artifacts, req); }));
  router->Add("GET", "/internal/v1/models/{id}/files/{path...}",
              Guard(token, [artifacts](Request& req) { return FileRoute(artifacts, req); }));
}

}  // namespace hai::scheduler
