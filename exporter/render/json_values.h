// JSON values shared by the site's JSON documents (partials.cc, history_json.cc):
// unknown is null, never 0. Header-only helpers; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

namespace observd {

template <typename T>
nlohmann::json MaybeJson(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace observd
