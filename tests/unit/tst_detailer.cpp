// The detailer's plain parts: ADetailer's tab prompts ([SEP], [PROMPT], [SKIP]), which regions
// may share a batch, ADetailer's infotext entries and JSON tabs, and the detector folders'
// path safety and caches.
#include <fstream>

#include <QTemporaryDir>
#include <QTest>

#include "celerity/DetailerOptions.h"
#include "celerity/Error.h"
#include "detail/DetailerBatching.h"
#include "celerity/Infotext.h"
#include "metadata/DetailerInfotext.h"
#include "detail/DetailerPrompts.h"
#include "detail/DetectorSet.h"

using namespace celerity;

class TestDetailer : public QObject {
  Q_OBJECT

 private slots:
  void emptyTabPromptIsTheMainPrompt() {
    const auto prompts = splitTabPrompts("", "a knight");
    QCOMPARE(prompts.size(), std::size_t{1});
    QCOMPARE(prompts[0], std::string("a knight"));
  }

  void sepSplitsAndPromptInserts() {
    const auto prompts = splitTabPrompts("smiling face [SEP]  [SEP] [PROMPT], freckles", "a knight");
    QCOMPARE(prompts.size(), std::size_t{3});
    QCOMPARE(prompts[0], std::string("smiling face"));
    QCOMPARE(prompts[1], std::string("a knight"));  // empty part → main prompt
    QCOMPARE(prompts[2], std::string("a knight, freckles"));
    QCOMPARE(promptForRegion(prompts, 0), std::string("smiling face"));
    QCOMPARE(promptForRegion(prompts, 7), std::string("a knight, freckles"));  // the last repeats
  }

  void skipIsRecognisedOnlyAlone() {
    QVERIFY(isSkipPrompt("[SKIP]"));
    QVERIFY(isSkipPrompt("  [SKIP] "));
    QVERIFY(!isSkipPrompt("[SKIP] face"));
    const auto prompts = splitTabPrompts("face [SEP] [SKIP] [SEP] hand", "main");
    QVERIFY(!isSkipPrompt(prompts[0]));
    QVERIFY(isSkipPrompt(prompts[1]));
    QVERIFY(!isSkipPrompt(prompts[2]));
  }

  void loraSetKeyComparesOnlyTheLoraTags() {
    QCOMPARE(loraSetKey("a smiling face"), std::string());
    QCOMPARE(loraSetKey("face <hypernet:x:1>"), std::string());  // not a LoRA
    const auto key = loraSetKey("face <lora:detail:0.8>, eyes <lyco:skin:1:0.5>");
    QVERIFY(!key.empty());
    QCOMPARE(loraSetKey("other words <lora:detail:0.8> <lyco:skin:1:0.5>"), key);
    QVERIFY(loraSetKey("face <lora:detail:0.7> <lyco:skin:1:0.5>") != key);  // another weight
    QVERIFY(loraSetKey("<lyco:skin:1:0.5> <lora:detail:0.8>") != key);        // order counts, as merging does
  }

  void disjointRegionsShareOneBatch() {
    std::vector<BatchCandidate> candidates = {
        {0, 0, 10, 10, "a"}, {20, 0, 30, 10, "a"}, {40, 0, 50, 10, "a"}};
    const auto batches = planDetailerBatches(candidates, true, 8);
    QCOMPARE(batches.size(), std::size_t{1});
    QCOMPARE(batches[0], (std::vector<std::size_t>{0, 1, 2}));
    const auto sequential = planDetailerBatches(candidates, false, 8);
    QCOMPARE(sequential.size(), std::size_t{3});
    QCOMPARE(sequential[2], std::vector<std::size_t>{2});
  }

  void overlappingRegionsWaitForEarlierOnes() {
    // 1 overlaps 0; 2 overlaps 1 only; 3 is free → waves {0, 3}, {1}, {2}.
    std::vector<BatchCandidate> candidates = {
        {0, 0, 10, 10, "a"}, {5, 5, 15, 15, "a"}, {12, 12, 20, 20, "a"}, {50, 50, 60, 60, "a"}};
    const auto batches = planDetailerBatches(candidates, true, 8);
    QCOMPARE(batches.size(), std::size_t{3});
    QCOMPARE(batches[0], (std::vector<std::size_t>{0, 3}));
    QCOMPARE(batches[1], std::vector<std::size_t>{1});
    QCOMPARE(batches[2], std::vector<std::size_t>{2});
    // Touching edges do not overlap (half-open rectangles).
    QVERIFY(!rectanglesIntersect({0, 0, 10, 10, ""}, {10, 0, 20, 10, ""}));
  }

  void groupKeysAndBatchLimitSplitBatches() {
    std::vector<BatchCandidate> candidates;
    for (int i = 0; i < 5; ++i) candidates.push_back({i * 10, 0, i * 10 + 5, 5, i == 2 ? "b" : "a"});
    const auto batches = planDetailerBatches(candidates, true, 3);
    QCOMPARE(batches.size(), std::size_t{3});
    QCOMPARE(batches[0], (std::vector<std::size_t>{0, 1, 3}));
    QCOMPARE(batches[1], std::vector<std::size_t>{4});
    QCOMPARE(batches[2], std::vector<std::size_t>{2});
  }

  void infotextWritesOnlyNonDefaultsAndReadsBack() {
    DetailerParams params;
    DetailerTab face;
    face.prompt = "detailed face, (smile:1.1)";
    face.maskTopK = 2;
    face.steps = 12;
    face.sampler = "DPM++ 2M";
    face.scheduler = "Karras";
    DetailerTab hand;
    hand.model = "hand_yolov8n.pt";
    hand.confidence = 0.45;
    hand.inpaintSize = DetailerInpaintSize::Custom;
    hand.inpaintWidth = 768;
    hand.inpaintHeight = 640;
    hand.mergeMode = DetailerMaskMerge::MergeInvert;
    hand.sortOrder = DetailerSortOrder::CenterToEdge;
    hand.noiseMultiplier = 1.1;
    hand.clipSkip = 2;
    hand.vaePath = "vae-ft-mse-840000-ema-pruned.safetensors";
    params.tabs = {face, hand};
    const auto pairs = detailerInfotext(params);
    const auto valueOf = [&](const std::string& key) -> std::string {
      for (const auto& [k, v] : pairs) {
        if (k == key) return v;
      }
      return "<absent>";
    };
    QCOMPARE(valueOf("ADetailer model"), std::string("face_yolov8n.pt"));
    QCOMPARE(valueOf("ADetailer confidence"), std::string("0.3"));
    QCOMPARE(valueOf("ADetailer mask only top k largest"), std::string("2"));
    QCOMPARE(valueOf("ADetailer inpaint only masked"), std::string("True"));
    QCOMPARE(valueOf("ADetailer mask min ratio"), std::string("<absent>"));  // default: not written
    QCOMPARE(valueOf("ADetailer model 2nd"), std::string("hand_yolov8n.pt"));
    QCOMPARE(valueOf("ADetailer confidence 2nd"), std::string("0.45"));
    QCOMPARE(valueOf("ADetailer inpaint width 2nd"), std::string("768"));
    QCOMPARE(valueOf("ADetailer mask merge invert 2nd"), std::string("Merge and Invert"));
    QCOMPARE(valueOf("ADetailer use separate VAE 2nd"), std::string("True"));
    QCOMPARE(valueOf("ADetailer VAE 2nd"), std::string("vae-ft-mse-840000-ema-pruned.safetensors"));
    QCOMPARE(valueOf("ADetailer VAE"), std::string("<absent>"));

    DetailerParams back;
    QVERIFY(detailerFromInfotext(pairs, back));
    QCOMPARE(back.tabs.size(), std::size_t{2});
    const auto& f = back.tabs[0];
    QCOMPARE(f.prompt, face.prompt);
    QCOMPARE(f.maskTopK, 2);
    QCOMPARE(f.steps.value_or(0), 12);
    QCOMPARE(f.sampler.value_or(""), std::string("DPM++ 2M"));
    QCOMPARE(f.scheduler.value_or(""), std::string("Karras"));
    QVERIFY(!f.cfgScale);
    const auto& h = back.tabs[1];
    QCOMPARE(h.model, hand.model);
    QCOMPARE(h.confidence, 0.45);
    QCOMPARE(h.inpaintSize, DetailerInpaintSize::Custom);
    QCOMPARE(h.inpaintWidth, 768);
    QCOMPARE(h.inpaintHeight, 640);
    QCOMPARE(h.mergeMode, DetailerMaskMerge::MergeInvert);
    QCOMPARE(h.sortOrder, DetailerSortOrder::CenterToEdge);
    QCOMPARE(h.noiseMultiplier.value_or(0), 1.1);
    QCOMPARE(h.clipSkip.value_or(0), 2);
    QCOMPARE(h.vaePath, hand.vaePath);
    QVERIFY(!f.vaePath);

    DetailerParams none;
    QVERIFY(!detailerFromInfotext({{"Steps", "20"}}, none));
    QVERIFY(none.tabs.empty());
  }

  void pngTextRestoresTheTabs() {
    const std::string text =
        "a knight\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 5, Size: 512x512, "
        "ADetailer model: face_yolov8n.pt, ADetailer prompt: \"smile, [SEP] [SKIP]\", ADetailer confidence: 0.35, "
        "ADetailer dilate erode: 4, ADetailer mask blur: 4, ADetailer denoising strength: 0.45, "
        "ADetailer inpaint only masked: True, ADetailer inpaint padding: 48, ADetailer model 2nd: hand_yolov8n.pt, "
        "ADetailer confidence 2nd: 0.3, ADetailer version: 24.11.1";
    Request request;
    applyInfotextParameters(parametersFromInfotext(text), request);
    QCOMPARE(request.prompt, std::string("a knight"));
    QCOMPARE(request.detailer.tabs.size(), std::size_t{2});
    QCOMPARE(request.detailer.tabs[0].prompt, std::string("smile, [SEP] [SKIP]"));
    QCOMPARE(request.detailer.tabs[0].confidence, 0.35);
    QCOMPARE(request.detailer.tabs[0].denoisingStrength, 0.45);
    QCOMPARE(request.detailer.tabs[0].inpaintPadding, 48);
    QCOMPARE(request.detailer.tabs[1].model, std::string("hand_yolov8n.pt"));
    // Text without ADetailer keys leaves the tabs as they were.
    applyInfotextParameters(parametersFromInfotext("a cat\nSteps: 10, Seed: 1, Size: 64x64"), request);
    QCOMPARE(request.detailer.tabs.size(), std::size_t{2});
  }

  void jsonTakesAdetailerApiArgs() {
    const auto params = detailerParamsFromJson(R"J({"args": [true, true,
        {"ad_model": "face_yolov8n.pt", "ad_prompt": "a [SEP] b", "ad_confidence": 0.5,
         "ad_use_steps": true, "ad_steps": 9, "ad_mask_merge_invert": "Merge"},
        {"ad_model": "hand_yolov8n.pt", "ad_tab_enable": false, "ad_use_inpaint_width_height": true,
         "ad_inpaint_width": 640, "ad_inpaint_height": 512, "ad_bbox_sortby": "Area (large to small)"}]})J",
                                               "test");
    QVERIFY(params.skipImg2Img);
    QCOMPARE(params.tabs.size(), std::size_t{2});
    QCOMPARE(params.tabs[0].prompt, std::string("a [SEP] b"));
    QCOMPARE(params.tabs[0].confidence, 0.5);
    QCOMPARE(params.tabs[0].steps.value_or(0), 9);
    QCOMPARE(params.tabs[0].mergeMode, DetailerMaskMerge::Merge);
    QVERIFY(!params.tabs[1].enabled);
    QCOMPARE(params.tabs[1].inpaintSize, DetailerInpaintSize::Custom);
    QCOMPARE(params.tabs[1].inpaintWidth, 640);
    QCOMPARE(params.tabs[1].sortOrder, DetailerSortOrder::AreaDescending);
    QVERIFY(params.active());

    const auto plain = detailerParamsFromJson(R"([{"ad_model": "haar_face"}])", "test");
    QCOMPARE(plain.tabs.size(), std::size_t{1});
    QCOMPARE(plain.tabs[0].denoisingStrength, 0.4);
    QVERIFY(!plain.skipImg2Img);
    QVERIFY(!plain.tabs[0].vaePath);

    // "use separate VAE": a file, "None" / "Automatic" = the checkpoint's own, "Use same VAE" = the job's.
    const auto vaes = detailerParamsFromJson(R"([{"ad_model": "a", "ad_use_vae": true, "ad_vae": "x.safetensors"},
        {"ad_model": "b", "ad_use_vae": true, "ad_vae": "None"},
        {"ad_model": "c", "ad_use_vae": true, "ad_vae": "Use same VAE"},
        {"ad_model": "d", "ad_use_vae": false, "ad_vae": "x.safetensors"}])",
                                             "test");
    QCOMPARE(vaes.tabs[0].vaePath, std::optional<std::string>("x.safetensors"));
    QCOMPARE(vaes.tabs[1].vaePath, std::optional<std::string>(""));
    QVERIFY(!vaes.tabs[2].vaePath);
    QVERIFY(!vaes.tabs[3].vaePath);
  }

  void jsonErrorsNameTheKey() {
    const auto expectError = [](const std::string& text, const std::string& fragment) {
      try {
        detailerParamsFromJson(text, "tabs.json");
        QFAIL("no error");
      } catch (const CelerityError& e) {
        const auto where = e.error().where + " " + e.error().message;
        QVERIFY2(where.find(fragment) != std::string::npos, where.c_str());
      }
    };
    expectError("[{\"ad_modle\": \"x\"}]", "ad_modle");
    expectError("[{\"ad_confidence\": \"high\"}]", "ad_confidence");
    expectError("[{\"ad_mask_merge_invert\": \"Both\"}]", "ad_mask_merge_invert");
    expectError("[1, 2", "JSON");
    expectError("[{}, {}, {}, {}, {}]", "at most 4");
  }

  void detectorNamesStayInsideTheFolders() {
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.path().toStdString();
    std::filesystem::create_directories(folder / "sub");
    std::ofstream(folder / "sub" / "face_yolov8n.pt") << "x";
    std::ofstream(folder / "hand.safetensors") << "x";
    DetectorSet set({folder}, {}, at::kCPU);
    QCOMPARE(set.resolve("sub/face_yolov8n.pt"), folder / "sub" / "face_yolov8n.pt");
    QCOMPARE(set.resolve("hand"), folder / "hand.safetensors");  // extension may be left out
    const auto names = set.list();
    QCOMPARE(names, (std::vector<std::string>{"hand.safetensors", "sub/face_yolov8n.pt", "haar_face"}));
    for (const auto* bad : {"../hand.safetensors", "/etc/passwd", "sub/../../x.pt", ""}) {
      try {
        set.resolve(bad);
        QFAIL(bad);
      } catch (const CelerityError& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
      }
    }
    try {
      set.resolve("missing.pt");
      QFAIL("missing model accepted");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileNotFound);
      QVERIFY(e.error().message.find(folder.string()) != std::string::npos);
    }
  }
};

QTEST_APPLESS_MAIN(TestDetailer)
#include "tst_detailer.moc"
