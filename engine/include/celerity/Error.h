#pragma once
// Errors of the engine: a small value type that names what went wrong and where (file,
// tensor, field). Functions that can fail on input throw `CelerityError` inside the engine;
// the job boundary converts it to an `Error` value, so exceptions never cross into the UI.

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace celerity {

enum class ErrorCode {
  Invalid = 0,
  FileNotFound,
  FileUnreadable,
  MalformedFile,      // the bytes contradict the format (bad header, spans, JSON, dtype)
  UnsafeFormat,       // pickle-based formats that can execute code when read
  UnsupportedFormat,  // well-formed, but a kind this build does not handle
  UnknownModel,       // the weights match no known architecture
  WeightMismatch,     // missing / unexpected / wrongly shaped tensors for a model
  InvalidArgument,
  OutOfMemory,
  Cancelled,
  Internal,
};

const char* errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Invalid;
  std::string message;  // what went wrong, in words a user can act on
  std::string where;    // the file, tensor or field it concerns; may be empty

  std::string toString() const;
};

class CelerityError : public std::runtime_error {
 public:
  explicit CelerityError(Error error);
  CelerityError(ErrorCode code, std::string message, std::string where = {});

  const Error& error() const noexcept { return error_; }
  ErrorCode code() const noexcept { return error_.code; }

 private:
  Error error_;
};

// Either a value or the Error that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}    // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return std::holds_alternative<T>(state_); }
  explicit operator bool() const noexcept { return ok(); }

  const T& value() const& { return valueOrThrow(); }
  T& value() & { return const_cast<T&>(valueOrThrow()); }
  T&& value() && { return std::move(const_cast<T&>(valueOrThrow())); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  const T& valueOrThrow() const {
    if (!ok()) throw CelerityError(std::get<Error>(state_));
    return std::get<T>(state_);
  }
  std::variant<T, Error> state_;
};

// Runs `fn` and turns a thrown CelerityError (or any std::exception) into a Result.
template <typename Fn>
auto captureErrors(Fn&& fn) -> Result<decltype(fn())> {
  try {
    return fn();
  } catch (const CelerityError& e) {
    return e.error();
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::OutOfMemory, "out of memory", {}};
  } catch (const std::exception& e) {
    return Error{ErrorCode::Internal, e.what(), {}};
  }
}

}  // namespace celerity
