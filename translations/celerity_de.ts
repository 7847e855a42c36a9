<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ModelFolders</name>
    <message>
        <source>AUTOMATIC1111 install</source>
        <translation>AUTOMATIC1111-Installation</translation>
    </message>
    <message>
        <source>ComfyUI install</source>
        <translation>ComfyUI-Installation</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>%1 (the studio&apos;s own folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::studio::EngineController</name>
    <message>
        <source>Load %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inpaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>img2img</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>txt2img</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ×%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2×%3%4, %5 steps: %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Benchmark</translation>
    </message>
    <message>
        <source>A/B %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n run(s) per arm): %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>celerity::studio::JobFeed</name>
    <message>
        <source>warm-up %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 run %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B: %1 of %2 runs · %3 took %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B done: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::studio::StudioSession</name>
    <message>
        <source>The new language applies when Celerity starts again</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start von Celerity</translation>
    </message>
    <message>
        <source>Image %1</source>
        <translation>Bild %1</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine could not start: %1</source>
        <translation>Die Engine konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Choose a checkpoint first</source>
        <translation>Zuerst einen Checkpoint wählen</translation>
    </message>
    <message numerus="yes">
        <source>Added %1 (%2, %n checkpoint folder(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The demo checkpoint could not be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo checkpoint ready: tiny random weights, it paints noise, not pictures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::EmptyStatePanel</name>
    <message>
        <source>Choose a models folder…</source>
        <translation>Modellordner wählen…</translation>
    </message>
    <message>
        <source>Create the demo checkpoint</source>
        <translation>Demo-Checkpoint erstellen</translation>
    </message>
    <message>
        <source>&lt;h2&gt;No checkpoints found&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Keine Checkpoints gefunden&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Celerity looks for Stable Diffusion checkpoints (.safetensors) in:</source>
        <translation>Celerity sucht Stable-Diffusion-Checkpoints (.safetensors) in:</translation>
    </message>
    <message>
        <source>Pick an AUTOMATIC1111 or ComfyUI install (its models are found in models/Stable-diffusion or models/checkpoints), or any folder that holds .safetensors checkpoints.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or try the studio at once with a demo checkpoint made here in a second: a tiny SD 1.5 model with random weights. Every part of the studio works with it, but its pictures are noise, not art.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This build cannot make checkpoints</source>
        <translation>Dieser Build kann keine Checkpoints erstellen</translation>
    </message>
</context>
<context>
    <name>celerity::ui::GalleryView</name>
    <message>
        <source>#%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::HiresGroup</name>
    <message>
        <source>Hires. fix</source>
        <translation>Hires. fix</translation>
    </message>
    <message>
        <source>Generate at the set size, upscale, then refine with a second sampling pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same as sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upscale by</source>
        <translation>Hochskalieren um</translation>
    </message>
    <message>
        <source>Upscaler</source>
        <translation>Hochskalierer</translation>
    </message>
    <message>
        <source>Hires steps</source>
        <translation>Hires-Schritte</translation>
    </message>
    <message>
        <source>Denoising strength</source>
        <translation>Entrauschungsstärke</translation>
    </message>
</context>
<context>
    <name>celerity::ui::ImageInputsPanel</name>
    <message>
        <source>Init image (img2img)</source>
        <translation>Ausgangsbild (img2img)</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>Kein Bild</translation>
    </message>
    <message>
        <source>Inpaint the painted mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the masked area, at full resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invert the mask (repaint what is not painted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Bild öffnen…</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>Maske löschen</translation>
    </message>
    <message>
        <source>Just resize</source>
        <translation>Nur skalieren</translation>
    </message>
    <message>
        <source>Crop and resize</source>
        <translation>Zuschneiden und skalieren</translation>
    </message>
    <message>
        <source>Resize and fill</source>
        <translation>Skalieren und auffüllen</translation>
    </message>
    <message>
        <source>Just resize (latent upscale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>latent noise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>latent nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denoising strength</source>
        <translation>Entrauschungsstärke</translation>
    </message>
    <message>
        <source>Resize mode</source>
        <translation>Skalierungsmodus</translation>
    </message>
    <message>
        <source>Brush radius</source>
        <translation>Pinselradius</translation>
    </message>
    <message>
        <source>Mask blur</source>
        <translation>Maskenunschärfe</translation>
    </message>
    <message>
        <source>Masked content</source>
        <translation>Maskierter Inhalt</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>Rand</translation>
    </message>
</context>
<context>
    <name>celerity::ui::JobProgressBar</name>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hires step %1/%2</source>
        <translation>Hires-Schritt %1/%2</translation>
    </message>
    <message>
        <source>Step %1/%2</source>
        <translation>Schritt %1/%2</translation>
    </message>
    <message>
        <source>%1 it/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>Restzeit %1</translation>
    </message>
    <message>
        <source>batch %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started: %1</source>
        <translation>Gestartet: %1</translation>
    </message>
    <message>
        <source>Done in %1 s</source>
        <translation>Fertig in %1 s</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) done in %1 s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::LoraWeightRow</name>
    <message>
        <source>Remove this LoRA from the prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text encoder weight (the first number of the tag)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNet weight (the second number of the tag; without it the UNet follows the text encoder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::MainWindow</name>
    <message>
        <source>Celerity</source>
        <translation>Celerity</translation>
    </message>
    <message>
        <source>LoRA networks are not available yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ADetailer is not available yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>img2img / inpaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ADetailer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a prompt and press Ctrl+Enter</source>
        <translation>Prompt schreiben und Strg+Eingabe drücken</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>Galerie</translation>
    </message>
    <message>
        <source>Optimizations</source>
        <translation>Optimierungen</translation>
    </message>
    <message>
        <source>Timeline review</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>%1 is not available yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters restored; checkpoint &quot;%1&quot; is not among yours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters restored</source>
        <translation>Parameter übernommen</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 holds no generation parameters</source>
        <translation>%1 enthält keine Generierungsparameter</translation>
    </message>
    <message>
        <source>Choose a models folder, or an AUTOMATIC1111 or ComfyUI install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore parameters from a PNG</source>
        <translation>Parameter aus einer PNG übernehmen</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Open an init image</source>
        <translation>Ausgangsbild öffnen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.bmp)</translation>
    </message>
    <message>
        <source>Cannot read the image %1</source>
        <translation>Das Bild %1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Preview, step %1/%2</source>
        <translation>Vorschau, Schritt %1/%2</translation>
    </message>
    <message>
        <source>Seed %1</source>
        <translation>Seed %1</translation>
    </message>
    <message>
        <source>Job failed: %1</source>
        <translation>Auftrag fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::MaskPainter</name>
    <message>
        <source>Paint the area to repaint with the left button; erase with the right button</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load an init image to paint a mask</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::OptimizationPanel</name>
    <message>
        <source>exact</source>
        <translation>exakt</translation>
    </message>
    <message>
        <source>within tolerance</source>
        <translation>innerhalb der Toleranz</translation>
    </message>
    <message>
        <source>changes image</source>
        <translation>ändert das Bild</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Every optimization at its default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All on</source>
        <translation>Alle an</translation>
    </message>
    <message>
        <source>Every optimization this device supports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All off</source>
        <translation>Alle aus</translation>
    </message>
    <message>
        <source>No optimization: the reference to measure against</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presets:</source>
        <translation>Vorgaben:</translation>
    </message>
    <message>
        <source>Unmeasured runs per arm first (loading, caches, allocator warm-up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured runs per arm, interleaved A B A B …; the report takes their medians</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B runs per arm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warm-up +</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (default: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Switching this changes the image; it is recorded in the PNG metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bit-identical images on and off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Differences at rounding level only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B this</source>
        <translation>A/B testen</translation>
    </message>
    <message>
        <source>Run the current request with this optimization off and on, and compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · affects %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last measured: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B %1: run %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A/B %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::ParametersPanel</name>
    <message>
        <source>Look for checkpoints again</source>
        <translation>Erneut nach Checkpoints suchen</translation>
    </message>
    <message>
        <source>%1 (also: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the text encoder this many layers before its end (1 = the last layer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batches made one after the other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images made together in one batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation>CFG-Skala</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Batch count × size</source>
        <translation>Stapelanzahl × -größe</translation>
    </message>
    <message>
        <source>Clip skip</source>
        <translation>Clip skip</translation>
    </message>
</context>
<context>
    <name>celerity::ui::ProfileFormat</name>
    <message>
        <source>0 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not compared (no image, or different sizes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>identical</source>
        <translation>identisch</translation>
    </message>
    <message>
        <source>max Δ %1, mean Δ %2, PSNR %3 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wall %1 (median)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wall %1 (%2), images: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration: %1</source>
        <translation>Dauer: %1</translation>
    </message>
    <message>
        <source>Share of the job: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device time: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <source>no optimizations</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::ProfilerOverlay</name>
    <message>
        <source>still running</source>
        <translation>läuft noch</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>Läuft: %1</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Gesamt: %1</translation>
    </message>
    <message>
        <source>No profile yet</source>
        <translation>Noch kein Profil</translation>
    </message>
    <message>
        <source>running · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::PromptEditor</name>
    <message>
        <source>Chunk %1: %2/%3 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token counter unavailable: the CLIP vocabulary was not found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::PromptPanel</name>
    <message>
        <source>&amp;Prompt</source>
        <translation>&amp;Prompt</translation>
    </message>
    <message>
        <source>&amp;Negative prompt</source>
        <translation>&amp;Negativer Prompt</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generieren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>What to paint: a photo of a cat, (detailed fur:1.2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to avoid: blurry, lowres</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate (Ctrl+Enter)</source>
        <translation>Generieren (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Cancel the running job (Escape)</source>
        <translation>Laufenden Auftrag abbrechen (Esc)</translation>
    </message>
</context>
<context>
    <name>celerity::ui::QueueModel</name>
    <message>
        <source>pending</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>hält an</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
</context>
<context>
    <name>celerity::ui::QueueView</name>
    <message>
        <source>No jobs queued. Generate with Ctrl+Enter.</source>
        <translation>Keine Aufträge. Generieren mit Strg+Eingabe.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the selected jobs</source>
        <translation>Ausgewählte Aufträge abbrechen</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Alle abbrechen</translation>
    </message>
    <message>
        <source>Stop the running job at the next step and drop every pending one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish current image and stop</source>
        <translation>Aktuelles Bild fertigstellen und anhalten</translation>
    </message>
    <message>
        <source>Let the image being made finish, then stop the job and the queue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::SeedControls</name>
    <message>
        <source>Seed; −1 picks a random seed for every job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufall</translation>
    </message>
    <message>
        <source>Random seed (−1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reuse</source>
        <translation>Wiederverwenden</translation>
    </message>
    <message>
        <source>Reuse the seed of the last image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reuse the seed of the last image (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::SizeControls</name>
    <message>
        <source>Width (a multiple of 8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Height (a multiple of 8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap width and height</source>
        <translation>Breite und Höhe tauschen</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Vorgaben</translation>
    </message>
</context>
<context>
    <name>celerity::ui::StageComparisonModel</name>
    <message>
        <source>Whole job (wall time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Δ ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Δ %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B / A</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::StageTableModel</name>
    <message>
        <source>Stage</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Peak memory</source>
        <translation>Spitzenspeicher</translation>
    </message>
</context>
<context>
    <name>celerity::ui::StudioActions</name>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generieren</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Cancel &amp;all</source>
        <translation>&amp;Alle abbrechen</translation>
    </message>
    <message>
        <source>&amp;Finish current image and stop</source>
        <translation>Aktuelles Bild &amp;fertigstellen und anhalten</translation>
    </message>
    <message>
        <source>Profiler &amp;overlay</source>
        <translation>Profiler-&amp;Overlay</translation>
    </message>
    <message>
        <source>Show where the time goes over the image (F9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore parameters from PNG…</source>
        <translation>Parameter aus PNG &amp;übernehmen…</translation>
    </message>
    <message>
        <source>Open &amp;init image…</source>
        <translation>&amp;Ausgangsbild öffnen…</translation>
    </message>
    <message>
        <source>&amp;Models folder…</source>
        <translation>&amp;Modellordner…</translation>
    </message>
    <message>
        <source>Create &amp;demo checkpoint</source>
        <translation>&amp;Demo-Checkpoint erstellen</translation>
    </message>
    <message>
        <source>A tiny checkpoint with random weights: it exercises the studio but paints noise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh checkpoints</source>
        <translation>Checkpoints &amp;aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
</context>
<context>
    <name>celerity::ui::StudioStatusBar</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, %3 in RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 on the GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, loaded in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>Loaded: %1</source>
        <translation>Geladen: %1</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>Speicher: %1</translation>
    </message>
    <message>
        <source>models %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>celerity::ui::TimelineReview</name>
    <message>
        <source>Select one job to see its timeline, two (Ctrl+click) to compare them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>−</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation>Verkleinern (Strg+Mausrad)</translation>
    </message>
    <message>
        <source>+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation>Vergrößern (Strg+Mausrad)</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <source>Show the whole job</source>
        <translation>Ganzen Auftrag zeigen</translation>
    </message>
    <message>
        <source>Export Chrome trace…</source>
        <translation>Chrome-Trace exportieren…</translation>
    </message>
    <message>
        <source>Save the selected jobs as a trace for Perfetto or chrome://tracing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a job to see where its time went; select two to compare them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>Auftrag %1</translation>
    </message>
    <message>
        <source>%1 — A %2 → B %3 (%4)
images: %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 — median %2 of %n run(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Device: %2
Optimizations: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n jobs selected: select one to see its timeline or two to compare them.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2 — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;A&lt;/b&gt;: %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;B&lt;/b&gt;: %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 — median %3 (%4 … %5); typical run shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>, after %n warm-up run(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — B / A %2 on the wall time (medians of %n interleaved run(s) per arm%3) · images: %4</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Export Chrome trace</source>
        <translation>Chrome-Trace exportieren</translation>
    </message>
    <message>
        <source>Chrome trace (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trace could not be written to %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
