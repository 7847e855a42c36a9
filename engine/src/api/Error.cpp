#include "celerity/Error.h"

namespace celerity {

const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::Invalid: return "invalid";
    case ErrorCode::FileNotFound: return "file not found";
    case ErrorCode::FileUnreadable: return "file unreadable";
    case ErrorCode::MalformedFile: return "malformed file";
    case ErrorCode::UnsafeFormat: return "unsafe format";
    case ErrorCode::UnsupportedFormat: return "unsupported format";
    case ErrorCode::UnknownModel: return "unknown model";
    case ErrorCode::WeightMismatch: return "weight mismatch";
    case ErrorCode::InvalidArgument: return "invalid argument";
    case ErrorCode::OutOfMemory: return "out of memory";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal error";
  }
  return "unknown error";
}

std::string Error::toString() const {
  std::string text = where.empty() ? message : where + ": " + message;
  return text;
}

CelerityError::CelerityError(Error error)
    : std::runtime_error(error.toString()), error_(std::move(error)) {}

CelerityError::CelerityError(ErrorCode code, std::string message, std::string where)
    : CelerityError(Error{code, std::move(message), std::move(where)}) {}

}  // namespace celerity
