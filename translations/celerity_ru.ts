<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ModelFolders</name>
    <message>
        <source>AUTOMATIC1111 install</source>
        <translation>установка AUTOMATIC1111</translation>
    </message>
    <message>
        <source>ComfyUI install</source>
        <translation>установка ComfyUI</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>папка</translation>
    </message>
    <message>
        <source>%1 (the studio&apos;s own folder)</source>
        <translation>%1 (собственная папка студии)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>celerity::studio::EngineController</name>
    <message>
        <source>Load %1</source>
        <translation>Загрузка %1</translation>
    </message>
    <message>
        <source>inpaint</source>
        <translation>инпейнт</translation>
    </message>
    <message>
        <source>img2img</source>
        <translation>img2img</translation>
    </message>
    <message>
        <source>txt2img</source>
        <translation>txt2img</translation>
    </message>
    <message>
        <source> ×%1</source>
        <translation> ×%1</translation>
    </message>
    <message>
        <source>%1 %2×%3%4, %5 steps: %6</source>
        <translation>%1 %2×%3%4, шагов: %5 — %6</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Бенчмарк</translation>
    </message>
    <message>
        <source>A/B %1</source>
        <translation>A/B %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n run(s) per arm): %2</source>
        <translation>
            <numerusform>%1 (%n прогон на вариант): %2</numerusform>
            <numerusform>%1 (%n прогона на вариант): %2</numerusform>
            <numerusform>%1 (%n прогонов на вариант): %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>celerity::studio::JobFeed</name>
    <message>
        <source>warm-up %1</source>
        <translation>прогрев %1</translation>
    </message>
    <message>
        <source>%1 run %2</source>
        <translation>%1, прогон %2</translation>
    </message>
    <message>
        <source>A/B: %1 of %2 runs · %3 took %4</source>
        <translation>A/B: выполнено %1 из %2 · %3: %4</translation>
    </message>
    <message>
        <source>A/B done: %1</source>
        <translation>A/B готово: %1</translation>
    </message>
</context>
<context>
    <name>celerity::studio::StudioSession</name>
    <message>
        <source>The new language applies when Celerity starts again</source>
        <translation>Новый язык будет применён при следующем запуске Celerity</translation>
    </message>
    <message>
        <source>Image %1</source>
        <translation>Изображение %1</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>The engine could not start: %1</source>
        <translation>Не удалось запустить движок: %1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>отменено</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>ошибка: %1</translation>
    </message>
    <message>
        <source>Choose a checkpoint first</source>
        <translation>Сначала выберите чекпойнт</translation>
    </message>
    <message numerus="yes">
        <source>Added %1 (%2, %n checkpoint folder(s))</source>
        <translation>
            <numerusform>Добавлено: %1 (%2, %n папка с чекпойнтами)</numerusform>
            <numerusform>Добавлено: %1 (%2, %n папки с чекпойнтами)</numerusform>
            <numerusform>Добавлено: %1 (%2, %n папок с чекпойнтами)</numerusform>
        </translation>
    </message>
    <message>
        <source>The demo checkpoint could not be made: %1</source>
        <translation>Не удалось создать демо-чекпойнт: %1</translation>
    </message>
    <message>
        <source>Demo checkpoint ready: tiny random weights, it paints noise, not pictures</source>
        <translation>Демо-чекпойнт готов: крошечный, со случайными весами — рисует шум, а не картинки</translation>
    </message>
    <message>
        <source>A/B %1</source>
        <translation>A/B %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::DetailerPanel</name>
    <message>
        <source>Same seed for each tab</source>
        <translation>Один сид для всех вкладок</translation>
    </message>
    <message>
        <source>Show detected regions on the image</source>
        <translation>Показывать найденные области на изображении</translation>
    </message>
    <message>
        <source>Add a tab (up to %1)</source>
        <translation>Добавить вкладку (не больше %1)</translation>
    </message>
    <message>
        <source>Remove the last tab</source>
        <translation>Удалить последнюю вкладку</translation>
    </message>
    <message>
        <source>Look for detector models again</source>
        <translation>Заново найти модели детекторов</translation>
    </message>
    <message>
        <source>Off: tab n uses the image&apos;s seed + n, as ADetailer does</source>
        <translation>Выключено: вкладка n берёт сид изображения + n, как в ADetailer</translation>
    </message>
    <message>
        <source>Draw each region a tab found (box, label, score and mask) over the finished image</source>
        <translation>Рисовать поверх готового изображения каждую область, найденную вкладкой (рамку, метку, оценку и маску)</translation>
    </message>
    <message>
        <source>Tab %1 ✓</source>
        <translation>Вкладка %1 ✓</translation>
    </message>
    <message>
        <source>Tab %1</source>
        <translation>Вкладка %1</translation>
    </message>
    <message>
        <source>ADetailer is off: switch a tab on to fix faces and hands after each image</source>
        <translation>ADetailer выключен: включите вкладку, чтобы исправлять лица и руки после каждого изображения</translation>
    </message>
    <message>
        <source>ADetailer: tab(s) %1 on</source>
        <translation>ADetailer включён, вкладки: %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::DetailerTabEditor</name>
    <message>
        <source>%1 (built-in face detector)</source>
        <translation>%1 (встроенный детектор лиц)</translation>
    </message>
    <message>
        <source>Enable this tab</source>
        <translation>Включить эту вкладку</translation>
    </message>
    <message>
        <source>Empty: the main prompt</source>
        <translation>Пусто: основной промпт</translation>
    </message>
    <message>
        <source>Empty: the main negative prompt</source>
        <translation>Пусто: основной негативный промпт</translation>
    </message>
    <message>
        <source>Inpaint only masked</source>
        <translation>Перерисовывать только область маски</translation>
    </message>
    <message>
        <source>The detector: files in the ADetailer model folders, or the built-in face detector</source>
        <translation>Детектор: файлы из папок моделей ADetailer или встроенный детектор лиц</translation>
    </message>
    <message>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <source>Keep only the k best regions (0 keeps all)</source>
        <translation>Оставить только k лучших областей (0 — оставить все)</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Площадь</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Уверенность</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Нет</translation>
    </message>
    <message>
        <source>Position (left to right)</source>
        <translation>Положение (слева направо)</translation>
    </message>
    <message>
        <source>Position (center to edge)</source>
        <translation>Положение (от центра к краю)</translation>
    </message>
    <message>
        <source>Area (large to small)</source>
        <translation>Площадь (от большей к меньшей)</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Объединить</translation>
    </message>
    <message>
        <source>Merge and invert</source>
        <translation>Объединить и инвертировать</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>Размер изображения</translation>
    </message>
    <message>
        <source>Separate width/height</source>
        <translation>Отдельные ширина и высота</translation>
    </message>
    <message>
        <source>Match the box</source>
        <translation>По рамке</translation>
    </message>
    <message>
        <source>Moves each mask this many pixels to the right</source>
        <translation>Сдвигает каждую маску на столько пикселей вправо</translation>
    </message>
    <message>
        <source>Moves each mask this many pixels up</source>
        <translation>Сдвигает каждую маску на столько пикселей вверх</translation>
    </message>
    <message>
        <source>Grows (positive) or shrinks (negative) each mask by this many pixels</source>
        <translation>Расширяет (положительное значение) или сужает (отрицательное) каждую маску на столько пикселей</translation>
    </message>
    <message>
        <source>[SEP] gives each region its own prompt, in order (the last repeats); [PROMPT] inserts the main prompt; a part that is only [SKIP] leaves that region as it is.</source>
        <translation>[SEP] даёт каждой области свой промпт, по порядку (последний повторяется); [PROMPT] вставляет основной промпт; часть, состоящая только из [SKIP], оставляет свою область как есть.</translation>
    </message>
    <message>
        <source>Detection</source>
        <translation>Обнаружение</translation>
    </message>
    <message>
        <source>Confidence threshold</source>
        <translation>Порог уверенности</translation>
    </message>
    <message>
        <source>Mask min area ratio</source>
        <translation>Мин. доля площади маски</translation>
    </message>
    <message>
        <source>Mask max area ratio</source>
        <translation>Макс. доля площади маски</translation>
    </message>
    <message>
        <source>by</source>
        <translation>по</translation>
    </message>
    <message>
        <source>Only the top k</source>
        <translation>Только k лучших</translation>
    </message>
    <message>
        <source>Sort order</source>
        <translation>Порядок сортировки</translation>
    </message>
    <message>
        <source>Mask preprocessing</source>
        <translation>Предобработка маски</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Смещение</translation>
    </message>
    <message>
        <source>Dilate (+) / erode (−)</source>
        <translation>Расширение (+) / сужение (−)</translation>
    </message>
    <message>
        <source>Merge mode</source>
        <translation>Режим объединения</translation>
    </message>
    <message>
        <source>Inpainting</source>
        <translation>Перерисовка</translation>
    </message>
    <message>
        <source>Mask blur</source>
        <translation>Размытие маски</translation>
    </message>
    <message>
        <source>Denoising strength</source>
        <translation>Сила шумоподавления</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>отступ</translation>
    </message>
    <message>
        <source>Inpaint size</source>
        <translation>Размер перерисовки</translation>
    </message>
    <message>
        <source>Width × height</source>
        <translation>Ширина × высота</translation>
    </message>
    <message>
        <source>Own settings (unchecked: the main ones)</source>
        <translation>Свои настройки (без галочки — основные)</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Шаги</translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation>Масштаб CFG</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Сэмплер</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Расписание</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Чекпойнт</translation>
    </message>
    <message>
        <source>Clip skip</source>
        <translation>Clip skip</translation>
    </message>
    <message>
        <source>Noise multiplier</source>
        <translation>Множитель шума</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Промпт</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>Негативный промпт</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1 (не найден)</translation>
    </message>
    <message>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <source>None (the checkpoint&apos;s own)</source>
        <translation>Нет (собственный VAE чекпоинта)</translation>
    </message>
</context>
<context>
    <name>celerity::ui::DetectionOverlay</name>
    <message>
        <source>region</source>
        <translation>область</translation>
    </message>
    <message>
        <source>%1: %2 (skipped)</source>
        <translation>%1: %2 (пропущено)</translation>
    </message>
    <message>
        <source>%1: %2 %3</source>
        <translation>%1: %2 %3</translation>
    </message>
</context>
<context>
    <name>celerity::ui::EmptyStatePanel</name>
    <message>
        <source>Choose a models folder…</source>
        <translation>Выбрать папку моделей…</translation>
    </message>
    <message>
        <source>Create the demo checkpoint</source>
        <translation>Создать демо-чекпойнт</translation>
    </message>
    <message>
        <source>&lt;h2&gt;No checkpoints found&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Чекпойнты не найдены&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Celerity looks for Stable Diffusion checkpoints (.safetensors) in:</source>
        <translation>Celerity ищет чекпойнты Stable Diffusion (.safetensors) в папках:</translation>
    </message>
    <message>
        <source>Pick an AUTOMATIC1111 or ComfyUI install (its models are found in models/Stable-diffusion or models/checkpoints), or any folder that holds .safetensors checkpoints.</source>
        <translation>Выберите установку AUTOMATIC1111 или ComfyUI (её модели лежат в models/Stable-diffusion или models/checkpoints) либо любую папку с чекпойнтами .safetensors.</translation>
    </message>
    <message>
        <source>Or try the studio at once with a demo checkpoint made here in a second: a tiny SD 1.5 model with random weights. Every part of the studio works with it, but its pictures are noise, not art.</source>
        <translation>Или попробуйте студию сразу — с демо-чекпойнтом, который создаётся здесь за секунду: это крошечная модель SD 1.5 со случайными весами. С ней работает каждая часть студии, но её картинки — шум, а не искусство.</translation>
    </message>
    <message>
        <source>This build cannot make checkpoints</source>
        <translation>Эта сборка не умеет создавать чекпойнты</translation>
    </message>
</context>
<context>
    <name>celerity::ui::GalleryView</name>
    <message>
        <source>#%1</source>
        <translation>№%1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::HiresGroup</name>
    <message>
        <source>Hires. fix</source>
        <translation>Hires fix</translation>
    </message>
    <message>
        <source>Generate at the set size, upscale, then refine with a second sampling pass</source>
        <translation>Сгенерировать в заданном размере, увеличить, затем доработать вторым проходом сэмплера</translation>
    </message>
    <message>
        <source>same as sampling</source>
        <translation>как в основном проходе</translation>
    </message>
    <message>
        <source>Upscale by</source>
        <translation>Увеличить в</translation>
    </message>
    <message>
        <source>Upscaler</source>
        <translation>Апскейлер</translation>
    </message>
    <message>
        <source>Hires steps</source>
        <translation>Шаги Hires</translation>
    </message>
    <message>
        <source>Denoising strength</source>
        <translation>Сила шумоподавления</translation>
    </message>
</context>
<context>
    <name>celerity::ui::ImageInputsPanel</name>
    <message>
        <source>Init image (img2img)</source>
        <translation>Исходное изображение (img2img)</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>Нет изображения</translation>
    </message>
    <message>
        <source>Inpaint the painted mask</source>
        <translation>Инпейнт по нарисованной маске</translation>
    </message>
    <message>
        <source>Only the masked area, at full resolution</source>
        <translation>Только область маски, в полном разрешении</translation>
    </message>
    <message>
        <source>Invert the mask (repaint what is not painted)</source>
        <translation>Инвертировать маску (перерисовать незакрашенное)</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Открыть изображение…</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>Очистить маску</translation>
    </message>
    <message>
        <source>Just resize</source>
        <translation>Просто изменить размер</translation>
    </message>
    <message>
        <source>Crop and resize</source>
        <translation>Обрезать и изменить размер</translation>
    </message>
    <message>
        <source>Resize and fill</source>
        <translation>Изменить размер и заполнить</translation>
    </message>
    <message>
        <source>Just resize (latent upscale)</source>
        <translation>Просто изменить размер (латентное увеличение)</translation>
    </message>
    <message>
        <source>original</source>
        <translation>оригинал</translation>
    </message>
    <message>
        <source>fill</source>
        <translation>заливка</translation>
    </message>
    <message>
        <source>latent noise</source>
        <translation>латентный шум</translation>
    </message>
    <message>
        <source>latent nothing</source>
        <translation>латентная пустота</translation>
    </message>
    <message>
        <source>Denoising strength</source>
        <translation>Сила шумоподавления</translation>
    </message>
    <message>
        <source>Resize mode</source>
        <translation>Режим изменения размера</translation>
    </message>
    <message>
        <source>Brush radius</source>
        <translation>Радиус кисти</translation>
    </message>
    <message>
        <source>Mask blur</source>
        <translation>Размытие маски</translation>
    </message>
    <message>
        <source>Masked content</source>
        <translation>Содержимое под маской</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>Отступ</translation>
    </message>
</context>
<context>
    <name>celerity::ui::JobProgressBar</name>
    <message>
        <source>Ready</source>
        <translation>Готов к работе</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 мин %2 с</translation>
    </message>
    <message>
        <source>Hires step %1/%2</source>
        <translation>Шаг Hires %1/%2</translation>
    </message>
    <message>
        <source>Step %1/%2</source>
        <translation>Шаг %1/%2</translation>
    </message>
    <message>
        <source>%1 it/s</source>
        <translation>%1 ит/с</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>осталось %1</translation>
    </message>
    <message>
        <source>batch %1/%2</source>
        <translation>пакет %1/%2</translation>
    </message>
    <message>
        <source>Started: %1</source>
        <translation>Запущено: %1</translation>
    </message>
    <message>
        <source>Done in %1 s</source>
        <translation>Готово за %1 с</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) done in %1 s</source>
        <translation>
            <numerusform>%n изображение готово за %1 с</numerusform>
            <numerusform>%n изображения готовы за %1 с</numerusform>
            <numerusform>%n изображений готово за %1 с</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Ошибка: %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::LoraPanel</name>
    <message>
        <source>Search name or trigger words</source>
        <translation>Поиск по имени или триггерным словам</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>List the LoRA folders again</source>
        <translation>Заново прочитать папки LoRA</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>База</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Ранг</translation>
    </message>
    <message>
        <source>Trigger words</source>
        <translation>Триггерные слова</translation>
    </message>
    <message>
        <source>Click a LoRA to add it to the prompt</source>
        <translation>Щёлкните LoRA, чтобы добавить её в промпт</translation>
    </message>
    <message>
        <source>The prompt names no LoRA. Click one above to add &lt;lora:name:1&gt;.</source>
        <translation>В промпте нет LoRA. Щёлкните LoRA выше, чтобы добавить &lt;lora:name:1&gt;.</translation>
    </message>
    <message>
        <source>&lt;b&gt;In the prompt&lt;/b&gt;</source>
        <translation>&lt;b&gt;В промпте&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Output name: %1</source>
        <translation>Выходное имя: %1</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 МБ</translation>
    </message>
    <message>
        <source>Cannot be read: %1</source>
        <translation>Не удаётся прочитать: %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>не читается</translation>
    </message>
    <message>
        <source>Alpha %1</source>
        <translation>Альфа %1</translation>
    </message>
    <message>
        <source>The file names no trigger words</source>
        <translation>В файле не указаны триггерные слова</translation>
    </message>
    <message>
        <source>Made for %1, like the loaded checkpoint (%2)</source>
        <translation>Сделана для %1, как и загруженный чекпойнт (%2)</translation>
    </message>
    <message>
        <source>Made for %1, the loaded checkpoint is %2: the engine refuses it</source>
        <translation>Сделана для %1, а загруженный чекпойнт — %2: движок её не примет</translation>
    </message>
    <message>
        <source>The file does not tell which base model it was made for</source>
        <translation>В файле не указано, для какой базовой модели она сделана</translation>
    </message>
    <message>
        <source>Made for %1; no checkpoint is loaded yet</source>
        <translation>Сделана для %1; чекпойнт ещё не загружен</translation>
    </message>
    <message>
        <source>Listing the LoRA folders…</source>
        <translation>Чтение папок LoRA…</translation>
    </message>
    <message>
        <source>No LoRA folder. Add an AUTOMATIC1111 or ComfyUI install (with models/Lora or models/loras) as a model folder to list its LoRAs.</source>
        <translation>Нет папки LoRA. Добавьте установку AUTOMATIC1111 или ComfyUI (с models/Lora или models/loras) как папку моделей, чтобы увидеть её LoRA.</translation>
    </message>
    <message numerus="yes">
        <source>%n LoRA(s)</source>
        <translation>
            <numerusform>%n LoRA</numerusform>
            <numerusform>%n LoRA</numerusform>
            <numerusform>%n LoRA</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 shown</source>
        <translation>показано: %1</translation>
    </message>
    <message>
        <source>No prompt to add %1 to</source>
        <translation>Нет промпта, в который можно добавить %1</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>Не удаётся прочитать %1: %2</translation>
    </message>
    <message>
        <source>%1 is already in the prompt</source>
        <translation>%1 уже есть в промпте</translation>
    </message>
    <message>
        <source>Added %1 to the prompt</source>
        <translation>В промпт добавлено: %1</translation>
    </message>
    <message>
        <source>The engine refuses this tag: %1</source>
        <translation>Движок не принимает этот тег: %1</translation>
    </message>
    <message>
        <source>No LoRA of this name in the LoRA folders</source>
        <translation>В папках LoRA нет LoRA с таким именем</translation>
    </message>
    <message>
        <source>Trigger words: %1</source>
        <translation>Триггерные слова: %1</translation>
    </message>
    <message>
        <source>Removed %1 from the prompt</source>
        <translation>Из промпта удалено: %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::LoraWeightRow</name>
    <message>
        <source>Remove this LoRA from the prompt</source>
        <translation>Удалить эту LoRA из промпта</translation>
    </message>
    <message>
        <source>Text encoder weight (the first number of the tag)</source>
        <translation>Вес для текстового энкодера (первое число тега)</translation>
    </message>
    <message>
        <source>UNet weight (the second number of the tag; without it the UNet follows the text encoder)</source>
        <translation>Вес для UNet (второе число тега; без него UNet следует за текстовым энкодером)</translation>
    </message>
    <message>
        <source>TE</source>
        <translation>TE</translation>
    </message>
    <message>
        <source>UNet</source>
        <translation>UNet</translation>
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
        <translation>Сети LoRA пока недоступны</translation>
    </message>
    <message>
        <source>ADetailer is not available yet</source>
        <translation>ADetailer пока недоступен</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <source>img2img / inpaint</source>
        <translation>img2img / инпейнт</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>ADetailer</source>
        <translation>ADetailer</translation>
    </message>
    <message>
        <source>Write a prompt and press Ctrl+Enter</source>
        <translation>Напишите промпт и нажмите Ctrl+Enter</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Очередь</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>Галерея</translation>
    </message>
    <message>
        <source>Optimizations</source>
        <translation>Оптимизации</translation>
    </message>
    <message>
        <source>Timeline review</source>
        <translation>Разбор временной шкалы</translation>
    </message>
    <message>
        <source>%1 is not available yet</source>
        <translation>%1: пока недоступно</translation>
    </message>
    <message>
        <source>Parameters restored; checkpoint &quot;%1&quot; is not among yours</source>
        <translation>Параметры восстановлены; чекпойнта «%1» среди ваших нет</translation>
    </message>
    <message>
        <source>Parameters restored</source>
        <translation>Параметры восстановлены</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Не удаётся прочитать %1: %2</translation>
    </message>
    <message>
        <source>%1 holds no generation parameters</source>
        <translation>В %1 нет параметров генерации</translation>
    </message>
    <message>
        <source>Choose a models folder, or an AUTOMATIC1111 or ComfyUI install</source>
        <translation>Выберите папку моделей или установку AUTOMATIC1111 либо ComfyUI</translation>
    </message>
    <message>
        <source>Restore parameters from a PNG</source>
        <translation>Восстановить параметры из PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Изображения PNG (*.png)</translation>
    </message>
    <message>
        <source>Open an init image</source>
        <translation>Открыть исходное изображение</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp)</source>
        <translation>Изображения (*.png *.jpg *.jpeg *.webp *.bmp)</translation>
    </message>
    <message>
        <source>Cannot read the image %1</source>
        <translation>Не удаётся прочитать изображение %1</translation>
    </message>
    <message>
        <source>Preview, step %1/%2</source>
        <translation>Превью, шаг %1/%2</translation>
    </message>
    <message>
        <source>Seed %1</source>
        <translation>Сид %1</translation>
    </message>
    <message>
        <source>Job failed: %1</source>
        <translation>Задание не выполнено: %1</translation>
    </message>
    <message>
        <source>Parameters restored; VAE &quot;%1&quot; is not among yours</source>
        <translation>Параметры восстановлены; VAE «%1» нет среди ваших</translation>
    </message>
</context>
<context>
    <name>celerity::ui::MaskPainter</name>
    <message>
        <source>Paint the area to repaint with the left button; erase with the right button</source>
        <translation>Закрасьте левой кнопкой область для перерисовки; правой кнопкой — стереть</translation>
    </message>
    <message>
        <source>Load an init image to paint a mask</source>
        <translation>Загрузите исходное изображение, чтобы нарисовать маску</translation>
    </message>
</context>
<context>
    <name>celerity::ui::OptimizationPanel</name>
    <message>
        <source>exact</source>
        <translation>точно</translation>
    </message>
    <message>
        <source>within tolerance</source>
        <translation>в пределах допуска</translation>
    </message>
    <message>
        <source>changes image</source>
        <translation>меняет изображение</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>По умолчанию</translation>
    </message>
    <message>
        <source>Every optimization at its default</source>
        <translation>Все оптимизации в состоянии по умолчанию</translation>
    </message>
    <message>
        <source>All on</source>
        <translation>Все вкл.</translation>
    </message>
    <message>
        <source>Every optimization this device supports</source>
        <translation>Все оптимизации, которые поддерживает это устройство</translation>
    </message>
    <message>
        <source>All off</source>
        <translation>Все выкл.</translation>
    </message>
    <message>
        <source>No optimization: the reference to measure against</source>
        <translation>Без оптимизаций: эталон для сравнения</translation>
    </message>
    <message>
        <source>Presets:</source>
        <translation>Пресеты:</translation>
    </message>
    <message>
        <source>Unmeasured runs per arm first (loading, caches, allocator warm-up)</source>
        <translation>Сначала неучитываемые прогоны каждого варианта (загрузка, кэши, прогрев аллокатора)</translation>
    </message>
    <message>
        <source>Measured runs per arm, interleaved A B A B …; the report takes their medians</source>
        <translation>Измеряемые прогоны каждого варианта, поочерёдно A B A B …; в отчёт идут их медианы</translation>
    </message>
    <message>
        <source>A/B runs per arm:</source>
        <translation>Прогонов A/B на вариант:</translation>
    </message>
    <message>
        <source>warm-up +</source>
        <translation>прогрев +</translation>
    </message>
    <message>
        <source>measured</source>
        <translation>измеряемых</translation>
    </message>
    <message>
        <source>%1 (default: %2)</source>
        <translation>%1 (по умолчанию: %2)</translation>
    </message>
    <message>
        <source>on</source>
        <translation>вкл.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>выкл.</translation>
    </message>
    <message>
        <source>Switching this changes the image; it is recorded in the PNG metadata</source>
        <translation>Переключение меняет изображение; это записывается в метаданные PNG</translation>
    </message>
    <message>
        <source>Bit-identical images on and off</source>
        <translation>Изображения побитово совпадают при включении и выключении</translation>
    </message>
    <message>
        <source>Differences at rounding level only</source>
        <translation>Различия только на уровне округления</translation>
    </message>
    <message>
        <source>A/B this</source>
        <translation>A/B-тест</translation>
    </message>
    <message>
        <source>Run the current request with this optimization off and on, and compare</source>
        <translation>Выполнить текущий запрос с этой оптимизацией выключенной и включённой и сравнить</translation>
    </message>
    <message>
        <source>%1 · affects %2</source>
        <translation>%1 · влияет на %2</translation>
    </message>
    <message>
        <source>Not available: %1</source>
        <translation>Недоступно: %1</translation>
    </message>
    <message>
        <source>Last measured: %1</source>
        <translation>Последнее измерение: %1</translation>
    </message>
    <message>
        <source>A/B %1: run %2 of %3</source>
        <translation>A/B %1: прогон %2 из %3</translation>
    </message>
    <message>
        <source>A/B %1: %2</source>
        <translation>A/B %1: %2</translation>
    </message>
</context>
<context>
    <name>celerity::ui::ParametersPanel</name>
    <message>
        <source>Look for checkpoints again</source>
        <translation>Заново найти чекпойнты</translation>
    </message>
    <message>
        <source>%1 (also: %2)</source>
        <translation>%1 (также: %2)</translation>
    </message>
    <message>
        <source>Stop the text encoder this many layers before its end (1 = the last layer)</source>
        <translation>Остановить текстовый энкодер за столько слоёв до конца (1 — последний слой)</translation>
    </message>
    <message>
        <source>Batches made one after the other</source>
        <translation>Пакеты, создаваемые один за другим</translation>
    </message>
    <message>
        <source>Images made together in one batch</source>
        <translation>Изображения, создаваемые вместе в одном пакете</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Чекпойнт</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Сэмплер</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Расписание</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Шаги</translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation>Масштаб CFG</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Сид</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>Batch count × size</source>
        <translation>Число пакетов × размер</translation>
    </message>
    <message>
        <source>Clip skip</source>
        <translation>Clip skip</translation>
    </message>
    <message>
        <source>A standalone VAE used instead of the checkpoint&apos;s own (A1111&apos;s &quot;SD VAE&quot;)</source>
        <translation>Отдельный VAE вместо встроенного в чекпоинт («SD VAE» в A1111)</translation>
    </message>
    <message>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Автоматически</translation>
    </message>
    <message>
        <source>The checkpoint&apos;s own VAE</source>
        <translation>Собственный VAE чекпоинта</translation>
    </message>
</context>
<context>
    <name>celerity::ui::ProfileFormat</name>
    <message>
        <source>0 ms</source>
        <translation>0 мс</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 мс</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 мин %2 с</translation>
    </message>
    <message>
        <source>not compared (no image, or different sizes)</source>
        <translation>не сравнивались (нет изображения или разные размеры)</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>идентичны</translation>
    </message>
    <message>
        <source>max Δ %1, mean Δ %2, PSNR %3 dB</source>
        <translation>макс. Δ %1, средняя Δ %2, PSNR %3 дБ</translation>
    </message>
    <message>
        <source>wall %1 (median)</source>
        <translation>общее время %1 (медиана)</translation>
    </message>
    <message>
        <source>wall %1 (%2), images: %3</source>
        <translation>общее время %1 (%2), изображения: %3</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 ГиБ</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 МиБ</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 КиБ</translation>
    </message>
    <message>
        <source>Duration: %1</source>
        <translation>Длительность: %1</translation>
    </message>
    <message>
        <source>Share of the job: %1</source>
        <translation>Доля в задании: %1</translation>
    </message>
    <message>
        <source>Device time: %1</source>
        <translation>Время на устройстве: %1</translation>
    </message>
    <message>
        <source>Step: %1</source>
        <translation>Шаг: %1</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>Память: %1</translation>
    </message>
    <message>
        <source>no optimizations</source>
        <translation>без оптимизаций</translation>
    </message>
</context>
<context>
    <name>celerity::ui::ProfilerOverlay</name>
    <message>
        <source>still running</source>
        <translation>ещё выполняется</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation>Шаг %1: %2</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>Выполняется: %1</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Всего: %1</translation>
    </message>
    <message>
        <source>No profile yet</source>
        <translation>Профиля пока нет</translation>
    </message>
    <message>
        <source>running · %1</source>
        <translation>выполняется · %1</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>всего %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::PromptEditor</name>
    <message>
        <source>Chunk %1: %2/%3 tokens</source>
        <translation>Фрагмент %1: %2/%3 токенов</translation>
    </message>
    <message>
        <source>Token counter unavailable: the CLIP vocabulary was not found</source>
        <translation>Счётчик токенов недоступен: словарь CLIP не найден</translation>
    </message>
</context>
<context>
    <name>celerity::ui::PromptPanel</name>
    <message>
        <source>&amp;Prompt</source>
        <translation>&amp;Промпт</translation>
    </message>
    <message>
        <source>&amp;Negative prompt</source>
        <translation>Негативный про&amp;мпт</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Генерировать</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <source>What to paint: a photo of a cat, (detailed fur:1.2)</source>
        <translation>Что нарисовать: a photo of a cat, (detailed fur:1.2)</translation>
    </message>
    <message>
        <source>What to avoid: blurry, lowres</source>
        <translation>Чего избегать: blurry, lowres</translation>
    </message>
    <message>
        <source>Generate (Ctrl+Enter)</source>
        <translation>Генерировать (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Cancel the running job (Escape)</source>
        <translation>Отменить текущее задание (Escape)</translation>
    </message>
</context>
<context>
    <name>celerity::ui::QueueModel</name>
    <message>
        <source>pending</source>
        <translation>ожидает</translation>
    </message>
    <message>
        <source>running</source>
        <translation>выполняется</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>останавливается</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Задание</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Запрос</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Прогресс</translation>
    </message>
</context>
<context>
    <name>celerity::ui::QueueView</name>
    <message>
        <source>No jobs queued. Generate with Ctrl+Enter.</source>
        <translation>Очередь пуста. Генерация — Ctrl+Enter.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <source>Cancel the selected jobs</source>
        <translation>Отменить выбранные задания</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>Отменить все</translation>
    </message>
    <message>
        <source>Stop the running job at the next step and drop every pending one</source>
        <translation>Остановить текущее задание на следующем шаге и убрать все ожидающие</translation>
    </message>
    <message>
        <source>Finish current image and stop</source>
        <translation>Завершить текущее изображение и остановить</translation>
    </message>
    <message>
        <source>Let the image being made finish, then stop the job and the queue</source>
        <translation>Дать доделать текущее изображение, затем остановить задание и очередь</translation>
    </message>
</context>
<context>
    <name>celerity::ui::SeedControls</name>
    <message>
        <source>Seed; −1 picks a random seed for every job</source>
        <translation>Сид; −1 выбирает случайный сид для каждого задания</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Случайный</translation>
    </message>
    <message>
        <source>Random seed (−1)</source>
        <translation>Случайный сид (−1)</translation>
    </message>
    <message>
        <source>Reuse</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Reuse the seed of the last image</source>
        <translation>Взять сид последнего изображения</translation>
    </message>
    <message>
        <source>Reuse the seed of the last image (%1)</source>
        <translation>Взять сид последнего изображения (%1)</translation>
    </message>
</context>
<context>
    <name>celerity::ui::SizeControls</name>
    <message>
        <source>Width (a multiple of 8)</source>
        <translation>Ширина (кратна 8)</translation>
    </message>
    <message>
        <source>Height (a multiple of 8)</source>
        <translation>Высота (кратна 8)</translation>
    </message>
    <message>
        <source>Swap width and height</source>
        <translation>Поменять ширину и высоту местами</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Пресеты</translation>
    </message>
</context>
<context>
    <name>celerity::ui::StageComparisonModel</name>
    <message>
        <source>Whole job (wall time)</source>
        <translation>Всё задание (общее время)</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Этап</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B: %1</translation>
    </message>
    <message>
        <source>Δ ms</source>
        <translation>Δ мс</translation>
    </message>
    <message>
        <source>Δ %</source>
        <translation>Δ %</translation>
    </message>
    <message>
        <source>B / A</source>
        <translation>B / A</translation>
    </message>
</context>
<context>
    <name>celerity::ui::StageTableModel</name>
    <message>
        <source>Stage</source>
        <translation>Этап</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Количество</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Всего</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Среднее</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Доля</translation>
    </message>
    <message>
        <source>Peak memory</source>
        <translation>Пиковая память</translation>
    </message>
</context>
<context>
    <name>celerity::ui::StudioActions</name>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Генерировать</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <source>Cancel &amp;all</source>
        <translation>Отменить &amp;все</translation>
    </message>
    <message>
        <source>&amp;Finish current image and stop</source>
        <translation>&amp;Завершить текущее изображение и остановить</translation>
    </message>
    <message>
        <source>Profiler &amp;overlay</source>
        <translation>&amp;Оверлей профилировщика</translation>
    </message>
    <message>
        <source>Show where the time goes over the image (F9)</source>
        <translation>Показывать поверх изображения, на что уходит время (F9)</translation>
    </message>
    <message>
        <source>&amp;Restore parameters from PNG…</source>
        <translation>&amp;Восстановить параметры из PNG…</translation>
    </message>
    <message>
        <source>Open &amp;init image…</source>
        <translation>Открыть &amp;исходное изображение…</translation>
    </message>
    <message>
        <source>&amp;Models folder…</source>
        <translation>Папка &amp;моделей…</translation>
    </message>
    <message>
        <source>Create &amp;demo checkpoint</source>
        <translation>Создать &amp;демо-чекпойнт</translation>
    </message>
    <message>
        <source>A tiny checkpoint with random weights: it exercises the studio but paints noise</source>
        <translation>Крошечный чекпойнт со случайными весами: на нём работает вся студия, но рисует он только шум</translation>
    </message>
    <message>
        <source>&amp;Refresh checkpoints</source>
        <translation>&amp;Обновить список чекпойнтов</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Системный язык</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <comment>menu</comment>
        <translation>Г&amp;енерация</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Настройки</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
</context>
<context>
    <name>celerity::ui::StudioStatusBar</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: %2, %3 in RAM</source>
        <translation>%1: %2, %3 в ОЗУ</translation>
    </message>
    <message>
        <source>, %1 on the GPU</source>
        <translation>, %1 на GPU</translation>
    </message>
    <message>
        <source>, loaded in %1 s</source>
        <translation>, загружен за %1 с</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Модель не загружена</translation>
    </message>
    <message>
        <source>Loaded: %1</source>
        <translation>Загружено: %1</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>Память: %1</translation>
    </message>
    <message>
        <source>models %1</source>
        <translation>модели %1</translation>
    </message>
</context>
<context>
    <name>celerity::ui::TimelineReview</name>
    <message>
        <source>Select one job to see its timeline, two (Ctrl+click) to compare them</source>
        <translation>Выберите одно задание, чтобы увидеть его временную шкалу, или два (Ctrl+щелчок), чтобы сравнить их</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation>Уменьшить (Ctrl+колесо)</translation>
    </message>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation>Увеличить (Ctrl+колесо)</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Целиком</translation>
    </message>
    <message>
        <source>Show the whole job</source>
        <translation>Показать всё задание</translation>
    </message>
    <message>
        <source>Export Chrome trace…</source>
        <translation>Экспорт трассировки Chrome…</translation>
    </message>
    <message>
        <source>Save the selected jobs as a trace for Perfetto or chrome://tracing</source>
        <translation>Сохранить выбранные задания как трассировку для Perfetto или chrome://tracing</translation>
    </message>
    <message>
        <source>Select a job to see where its time went; select two to compare them.</source>
        <translation>Выберите задание, чтобы увидеть, на что ушло время; выберите два, чтобы сравнить их.</translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>Задание %1</translation>
    </message>
    <message>
        <source>%1 — A %2 → B %3 (%4)
images: %5</source>
        <translation>%1 — A %2 → B %3 (%4)
изображения: %5</translation>
    </message>
    <message numerus="yes">
        <source>%1 — median %2 of %n run(s)</source>
        <translation>
            <numerusform>%1 — медиана %2 по %n прогону</numerusform>
            <numerusform>%1 — медиана %2 по %n прогонам</numerusform>
            <numerusform>%1 — медиана %2 по %n прогонам</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2
%3</source>
        <translation>%1 — %2
%3</translation>
    </message>
    <message>
        <source>%1
Device: %2
Optimizations: %3</source>
        <translation>%1
Устройство: %2
Оптимизации: %3</translation>
    </message>
    <message numerus="yes">
        <source>%n jobs selected: select one to see its timeline or two to compare them.</source>
        <translation>
            <numerusform>Выбрано %n задание: выберите одно, чтобы увидеть его временную шкалу, или два, чтобы сравнить их.</numerusform>
            <numerusform>Выбрано %n задания: выберите одно, чтобы увидеть его временную шкалу, или два, чтобы сравнить их.</numerusform>
            <numerusform>Выбрано %n заданий: выберите одно, чтобы увидеть его временную шкалу, или два, чтобы сравнить их.</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2 — %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2 — %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;A&lt;/b&gt;: %1 — %2</source>
        <translation>&lt;b&gt;A&lt;/b&gt;: %1 — %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;B&lt;/b&gt;: %1 — %2</source>
        <translation>&lt;b&gt;B&lt;/b&gt;: %1 — %2</translation>
    </message>
    <message>
        <source>%1 off</source>
        <translation>%1 выкл.</translation>
    </message>
    <message>
        <source>%1 on</source>
        <translation>%1 вкл.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2 — median %3 (%4 … %5); typical run shown</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2 — медиана %3 (%4 … %5); показан типичный прогон</translation>
    </message>
    <message numerus="yes">
        <source>, after %n warm-up run(s)</source>
        <translation>
            <numerusform>, после %n прогревочного прогона</numerusform>
            <numerusform>, после %n прогревочных прогонов</numerusform>
            <numerusform>, после %n прогревочных прогонов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — B / A %2 on the wall time (medians of %n interleaved run(s) per arm%3) · images: %4</source>
        <translation>
            <numerusform>%1 — B / A %2 по общему времени (медианы %n чередующегося прогона на вариант%3) · изображения: %4</numerusform>
            <numerusform>%1 — B / A %2 по общему времени (медианы %n чередующихся прогонов на вариант%3) · изображения: %4</numerusform>
            <numerusform>%1 — B / A %2 по общему времени (медианы %n чередующихся прогонов на вариант%3) · изображения: %4</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Chrome trace</source>
        <translation>Экспорт трассировки Chrome</translation>
    </message>
    <message>
        <source>Chrome trace (*.json);;All files (*)</source>
        <translation>Трассировка Chrome (*.json);;Все файлы (*)</translation>
    </message>
    <message>
        <source>The trace could not be written to %1:
%2</source>
        <translation>Не удалось записать трассировку в %1:
%2</translation>
    </message>
</context>
</TS>
