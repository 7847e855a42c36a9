// Error values, Result<T> and the conversion of exceptions at a boundary.
#include <QTest>

#include "celerity/Error.h"

using namespace celerity;

class TestError : public QObject {
  Q_OBJECT

 private slots:
  void errorTextNamesWhere() {
    const Error error{ErrorCode::MalformedFile, "bad header", "/models/x.safetensors"};
    QCOMPARE(error.toString(), std::string("/models/x.safetensors: bad header"));
    const Error bare{ErrorCode::Internal, "boom", {}};
    QCOMPARE(bare.toString(), std::string("boom"));
    QCOMPARE(std::string(errorCodeName(ErrorCode::UnsafeFormat)), std::string("unsafe format"));
  }

  void resultHoldsValueOrError() {
    Result<int> good = 42;
    QVERIFY(good.ok());
    QCOMPARE(good.value(), 42);
    Result<int> bad = Error{ErrorCode::InvalidArgument, "steps must be positive", "steps"};
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().where, std::string("steps"));
    QVERIFY_THROWS_EXCEPTION(CelerityError, bad.value());
  }

  void captureErrorsConvertsExceptions() {
    const auto fromCelerity = captureErrors([]() -> int {
      throw CelerityError(ErrorCode::FileNotFound, "does not exist", "a.safetensors");
    });
    QCOMPARE(fromCelerity.error().code, ErrorCode::FileNotFound);
    const auto fromStd = captureErrors([]() -> int { throw std::runtime_error("odd"); });
    QCOMPARE(fromStd.error().code, ErrorCode::Internal);
    QCOMPARE(fromStd.error().message, std::string("odd"));
    const auto fromAlloc = captureErrors([]() -> int { throw std::bad_alloc(); });
    QCOMPARE(fromAlloc.error().code, ErrorCode::OutOfMemory);
    const auto fine = captureErrors([] { return 7; });
    QCOMPARE(fine.value(), 7);
  }
};

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"
