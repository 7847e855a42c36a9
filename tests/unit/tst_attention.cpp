// Attention kernels: the query-chunked kernel equals one unchunked pass (also with a mask
// that has its own query axis), and the kernel choice is per thread and scoped.
#include <cmath>
#include <thread>
#include <vector>

#include <QTest>

#include "models/common/Attention.h"

using namespace celerity;

class TestAttention : public QObject {
  Q_OBJECT

 private slots:
  void chunkingDoesNotChangeTheResult() {
    at::manual_seed(3);
    const auto q = at::randn({2, 4, 37, 8});
    const auto k = at::randn({2, 4, 29, 8});
    const auto v = at::randn({2, 4, 29, 8});
    const auto whole = chunkedAttention(q, k, v, {});
    // One row of scores is 2·4·29·4 bytes: a 1000-byte budget makes chunks of one query.
    const auto chunked = chunkedAttention(q, k, v, {}, 1000);
    QVERIFY(at::allclose(whole, chunked, 1e-6, 1e-6));
    const auto reference = at::matmul(at::softmax(at::matmul(q, k.transpose(-2, -1)) / std::sqrt(8.0), -1), v);
    QVERIFY(at::allclose(whole, reference, 1e-5, 1e-6));
  }

  void maskWithQueryAxisIsCutWithTheQueries() {
    at::manual_seed(4);
    const auto q = at::randn({1, 2, 16, 4});
    const auto k = at::randn({1, 2, 16, 4});
    const auto v = at::randn({1, 2, 16, 4});
    const auto mask = causalMask(16, q.options());
    const auto whole = chunkedAttention(q, k, v, mask);
    const auto chunked = chunkedAttention(q, k, v, mask, 200);
    QVERIFY(at::allclose(whole, chunked, 1e-6, 1e-6));
    // Causal: the first query sees only the first key.
    QVERIFY(at::allclose(whole.select(2, 0), v.select(2, 0), 1e-6, 1e-6));
  }

  void kernelChoiceIsScopedPerThread() {
    QCOMPARE(currentAttentionKernel(), AttentionKernel::Fused);
    {
      AttentionKernelScope scope(AttentionKernel::Chunked);
      QCOMPARE(currentAttentionKernel(), AttentionKernel::Chunked);
      AttentionKernel other = AttentionKernel::Chunked;
      std::thread([&] { other = currentAttentionKernel(); }).join();
      QCOMPARE(other, AttentionKernel::Fused);
    }
    QCOMPARE(currentAttentionKernel(), AttentionKernel::Fused);
  }

  void multiHeadAttentionMatchesEitherKernel() {
    at::manual_seed(5);
    const auto q = at::randn({2, 10, 12});
    const auto k = at::randn({2, 7, 12});
    const auto v = at::randn({2, 7, 12});
    const auto fused = multiHeadAttention(q, k, v, 3);
    AttentionKernelScope scope(AttentionKernel::Chunked);
    const auto chunked = multiHeadAttention(q, k, v, 3);
    QVERIFY(at::allclose(fused, chunked, 1e-5, 1e-6));
    QCOMPARE(fused.sizes().vec(), (std::vector<std::int64_t>{2, 10, 12}));
  }
};

QTEST_APPLESS_MAIN(TestAttention)
#include "tst_attention.moc"
