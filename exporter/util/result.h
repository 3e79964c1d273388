// Result<T> is exporter/'s one error convention: a call that can fail returns either
// its value or an Error (one line a person can act on). Result<> (void) is for calls
// that only succeed or fail. A reader never opens a comment to learn what success
// looks like. Plain value type; thread-compatible.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace observd {

// Why a call failed: one line, without a trailing newline, that names what was wrong
// ("web.num_threads: must be at least 16"). Callers add context by prefixing.
struct Error {
  std::string message;
};

// The failure value every Result<T> converts from: `return Fail("...")`.
inline Error Fail(std::string message) { return Error{std::move(message)}; }

template <typename T = void>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The value; only when ok().
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

  // The error message; only when !ok().
  const std::string& error() const {
    assert(!ok());
    return std::get<1>(v_).message;
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  // The error message; only when !ok().
  const std::string& error() const {
    assert(!ok());
    return error_->message;
  }

 private:
  std::optional<Error> error_;
};

// Success of a Result<>: `return Ok();`.
inline Result<> Ok() { return {}; }

}  // namespace observd
