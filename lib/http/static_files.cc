#include "lib/http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hai::http {
namespace {

bool SafePath(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) return false;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t end = path.find('/', pos + 1);
    if (end == std::string::npos) end = path.size();
    std::string seg = path.substr(pos + 1, end - pos - 1);
    if (seg == ".." || seg == ".") return false;
    pos = end;
  }
  return true;
}

std::optional<std::string> ReadFile(const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string MimeTypeFor(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<Response> ServeStatic(const std::string& dir, const std::string& path) {
  if (!SafePath(path)) return std::nullopt;
  std::string rel = path == "/" ? "/index.html" : path;
  std::filesystem::path file = std::filesystem::path(dir) / rel.substr(1);
  std::optional<std::string> body = ReadFile(file);
  bool fallback = false;
  if (!body) {
    if (std::filesystem::path(rel).has_extension()) return std::nullopt;
    body = ReadFile(std::filesystem::path(dir) / "index.html");
    if (!body) return std::nullopt;
    file = "index.html";
    fallback = true;
  }
  Response r = Response::Text(200, std::move(*body), MimeTypeFor(file.string()));
  bool hashed_asset = !fallback && rel.rfind("/assets/", 0) == 0;
  r.AddHeader("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  if (MimeTypeFor(file.string()).rfind("text/html", 0) == 0) {
    r.AddHeader("X-Frame-Options", "DENY");
    r.AddHeader("Referrer-Policy", "same-origin");
  }
  return r;
}

}  // namespace hai::http
