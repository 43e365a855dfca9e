#pragma once

// Internal to lib/cluster: the strict reader the wire codecs share.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "lib/base/status.h"

namespace hai::cluster::internal {

// Reads the fields of one JSON object into typed values and keeps the first
// error, naming the field by its path ("inventory.devices[0].vendor"; a reader
// with an empty `where` names top-level fields by key alone). Types are
// strict: an integer field refuses 1.5, true and "1"; a number field accepts
// any JSON number. Unknown fields are ignored so newer peers can add some.
class Reader {
 public:
  Reader(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object()) {
      std::string name = where_.empty() ? "the message" : where_;
      error_ = Status::InvalidArgument(name + " must be an object", where_);
    }
  }

  template <typename T>
  void Get(const char* key, T* out, bool required = true) {
    if (!error_.ok()) return;
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      if (required) error_ = Status::InvalidArgument(Path(key) + " is required", Path(key));
      return;
    }
    if (!Fits<T>(*it)) {
      error_ = Status::InvalidArgument(Path(key) + " has the wrong type", Path(key));
      return;
    }
    try {
      *out = it->get<T>();
    } catch (const nlohmann::json::exception&) {
      error_ = Status::InvalidArgument(Path(key) + " has the wrong type", Path(key));
    }
  }

  const nlohmann::json* Child(const char* key) const {
    if (!j_.is_object()) return nullptr;
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  std::string Path(const std::string& key) const {
    return where_.empty() ? key : where_ + "." + key;
  }
  Status status() const { return error_; }
  void Fail(Status st) {
    if (error_.ok()) error_ = std::move(st);
  }

 private:
  template <typename T>
  struct IsVector : std::false_type {};
  template <typename E>
  struct IsVector<std::vector<E>> : std::true_type {};
  template <typename T>
  struct IsMap : std::false_type {};
  template <typename V>
  struct IsMap<std::map<std::string, V>> : std::true_type {};

  // Whether `v` has exactly the JSON type T stands for, elements included.
  template <typename T>
  static bool Fits(const nlohmann::json& v) {
    if constexpr (std::is_same_v<T, bool>) {
      return v.is_boolean();
    } else if constexpr (std::is_integral_v<T>) {
      return v.is_number_integer();
    } else if constexpr (std::is_floating_point_v<T>) {
      return v.is_number();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return v.is_string();
    } else if constexpr (IsVector<T>::value) {
      if (!v.is_array()) return false;
      for (const nlohmann::json& e : v)
        if (!Fits<typename T::value_type>(e)) return false;
      return true;
    } else if constexpr (IsMap<T>::value) {
      if (!v.is_object()) return false;
      for (const auto& [k, e] : v.items())
        if (!Fits<typename T::mapped_type>(e)) return false;
      return true;
    } else {
      return true;  // other types: nlohmann's own conversion decides
    }
  }

  const nlohmann::json& j_;
  std::string where_;
  Status error_;
};

}  // namespace hai::cluster::internal
